package commands

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Complete returns the completions for the text before the cursor, already
// filtered by the word under the cursor. Each Text replaces that whole
// word. The order of checks follows virsh's readline completer:
//
//  1. no command word yet: command names;
//  2. the previous word is an option that takes a value: that option's
//     completer;
//  3. the word starts with '-': the options not given yet;
//  4. a positional slot is free: its completer;
//  5. otherwise: the options not given yet.
func (e *Env) Complete(ctx context.Context, textBeforeCursor string) []Candidate {
	l := lex(textBeforeCursor)
	if l.comment {
		return nil
	}
	var words []string
	if len(l.cmds) > 0 && !l.sepEnd {
		words = l.cmds[len(l.cmds)-1]
	}
	cur := ""
	if l.open && len(words) > 0 {
		cur = words[len(words)-1]
		words = words[:len(words)-1]
	}
	if len(words) == 0 {
		cands := commandCandidates(e.commands())
		// By name, as readline lists virsh's: the table's group order
		// scatters dom* over the popup, whose first rows are all most
		// terminals show.
		sort.Slice(cands, func(i, j int) bool { return cands[i].Text < cands[j].Text })
		return filterPrefix(cands, cur)
	}
	cmd := e.find(words[0])
	if cmd == nil {
		return nil
	}
	st, _ := bind(cmd, words[1:], true)
	var cands []Candidate
	switch {
	case st.pending != nil:
		cands = valueCandidates(ctx, e, st.pending, cur)
	case strings.HasPrefix(cur, "-"):
		cands = optionCandidates(cmd, st)
	case st.next != nil:
		cands = valueCandidates(ctx, e, st.next, cur)
	default:
		cands = optionCandidates(cmd, st)
	}
	return filterPrefix(cands, cur)
}

// CompletionWord is the word under the cursor at the end of
// textBeforeCursor: where it starts in the text (its opening quote
// included) and its value once quotes and escapes are read. Candidates'
// Text replaces text[start:].
func CompletionWord(textBeforeCursor string) (start int, word string) {
	l := lex(textBeforeCursor)
	if !l.open || l.sepEnd || len(l.cmds) == 0 {
		return len(textBeforeCursor), ""
	}
	words := l.cmds[len(l.cmds)-1]
	return l.wordStart, words[len(words)-1]
}

// QuoteWord writes s as one word the tokenizer reads back as s.
func QuoteWord(s string) string { return quoteWord(s) }

// commandCandidates are the commands help lists: hidden ones left out.
func commandCandidates(cmds []*Command) []Candidate {
	var out []Candidate
	for _, c := range cmds {
		if !c.has(Hidden) {
			out = append(out, Candidate{Text: c.Name, Description: c.Summary})
		}
	}
	return out
}

func valueCandidates(ctx context.Context, e *Env, o *Opt, cur string) []Candidate {
	if o.Complete == nil {
		return nil
	}
	return o.Complete(ctx, e, cur)
}

// optionCandidates offers the options not given yet; an Argv option stays
// on offer since it takes any number of words.
func optionCandidates(cmd *Command, st *bindState) []Candidate {
	var out []Candidate
	for _, o := range cmd.Opts {
		if _, given := st.vals[o.Name]; given && o.Kind != KindArgv {
			continue
		}
		out = append(out, Candidate{Text: "--" + o.Name, Description: o.Help})
	}
	return out
}

// filterPrefix keeps candidates starting with prefix and quotes those the
// tokenizer would otherwise split.
func filterPrefix(cands []Candidate, prefix string) []Candidate {
	out := cands[:0]
	for _, c := range cands {
		if strings.HasPrefix(c.Text, prefix) {
			c.Value = c.Text
			c.Text = quoteWord(c.Text)
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// quoteWord single-quotes a word holding blanks or shell-like specials.
func quoteWord(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n;#'\"\\") {
		return s
	}
	if !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func completeDomains(filter stateFilter) Completer {
	return func(ctx context.Context, e *Env, _ string) []Candidate {
		var out []Candidate
		for _, d := range e.domains.get(ctx, e) {
			if filter(d) {
				out = append(out, Candidate{Text: d.Name, Description: d.State.String()})
			}
		}
		return out
	}
}

// completeWords offers fixed words.
func completeWords(words ...string) Completer {
	return func(context.Context, *Env, string) []Candidate {
		out := make([]Candidate, len(words))
		for i, w := range words {
			out[i] = Candidate{Text: w}
		}
		return out
	}
}

// maxFileCandidates bounds a completion in a huge directory.
const maxFileCandidates = 1000

// completeFile lists the entries of the directory the word points into;
// directories get a trailing slash so Tab can continue into them.
func completeFile(_ context.Context, _ *Env, word string) []Candidate {
	dir, base := filepath.Split(word)
	read := dir
	if read == "" {
		read = "."
	}
	if strings.HasPrefix(read, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			read = filepath.Join(home, read[2:])
		}
	}
	f, err := os.Open(read)
	if err != nil {
		return nil
	}
	defer f.Close()
	entries, _ := f.ReadDir(maxFileCandidates)
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	var out []Candidate
	for _, ent := range entries {
		name := ent.Name()
		if strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		text, desc := dir+name, "file"
		if ent.IsDir() {
			text, desc = text+"/", "directory"
		} else if ent.Type()&os.ModeSymlink != 0 {
			if st, err := os.Stat(filepath.Join(read, name)); err == nil && st.IsDir() {
				text, desc = text+"/", "directory"
			}
		}
		out = append(out, Candidate{Text: text, Description: desc})
	}
	return out
}

// completeDir is completeFile for a directory argument: directories only.
func completeDir(ctx context.Context, e *Env, word string) []Candidate {
	var out []Candidate
	for _, c := range completeFile(ctx, e, word) {
		if strings.HasSuffix(c.Text, "/") {
			out = append(out, c)
		}
	}
	return out
}

func completeHelpTopic(_ context.Context, e *Env, _ string) []Candidate {
	cmds := e.commands()
	out := commandCandidates(cmds)
	for _, g := range groupsOf(cmds) {
		out = append(out, Candidate{Text: g.Keyword, Description: g.Name})
	}
	return out
}

func completeURI(context.Context, *Env, string) []Candidate {
	return []Candidate{
		{Text: "test:///default", Description: "built-in demo host"},
		{Text: "xen:///", Description: "local xend (unix socket)"},
		{Text: "xen+unix:///var/lib/xend/xend-socket", Description: "xend on a unix socket"},
		{Text: "http://localhost:8000/", Description: "xend over HTTP"},
	}
}

func completeFormat(context.Context, *Env, string) []Candidate {
	return []Candidate{
		{Text: nativeFormat, Description: "xend S-expression"},
		{Text: xmFormat, Description: "xm config file (/etc/xen/NAME.cfg)"},
	}
}

func completeVersion(context.Context, *Env, string) []Candidate {
	return []Candidate{
		{Text: "1", Description: "Xen 3.0.2 and older"},
		{Text: "2", Description: "Xen 3.0.3"},
		{Text: "3", Description: "Xen 3.0.4"},
		{Text: "4", Description: "Xen 3.1 and later"},
	}
}
