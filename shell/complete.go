package shell

import (
	"context"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	prompt "github.com/c-bata/go-prompt"

	"xvirsh/commands"
)

// completeTimeout bounds one completion: a slow xend must not freeze the
// line for longer than this after a Tab.
const completeTimeout = 2 * time.Second

// completer is readline's Tab over the command table's completion. All
// the knowledge of what to offer (command names, unused options, domains
// by state, file paths) and of how words are quoted lives in commands;
// this decides what one Tab does with it:
//   - one candidate: it replaces the word, followed by a blank, or by
//     nothing when it is a directory (Tab goes on into it), whose closing
//     quote is left off so the path can be typed on;
//   - several: their longest common prefix replaces the word; when that
//     adds nothing, a second Tab lists them under the line;
//   - none: nothing.
//
// The table is asked on Tab only, never while typing.
type completer struct {
	ctx      context.Context
	complete func(ctx context.Context, textBeforeCursor string) []commands.Candidate
}

// Tab is the prompt.TabCompleter.
func (c *completer) Tab(d prompt.Document, again bool) prompt.TabCompletion {
	return c.tab(d.TextBeforeCursor(), again)
}

func (c *completer) tab(text string, again bool) prompt.TabCompletion {
	start, word := commands.CompletionWord(text)
	raw := text[start:]
	cands := c.ask(text, word)
	del := utf8.RuneCountInString(raw)
	switch len(cands) {
	case 0:
		return prompt.TabCompletion{}
	case 1:
		ins := cands[0].Text
		if strings.HasSuffix(cands[0].Value, "/") {
			ins = openQuote(ins, cands[0].Value)
		} else {
			ins += " "
		}
		return prompt.TabCompletion{Delete: del, Insert: ins}
	}
	values := make([]string, len(cands))
	quoted := strings.HasPrefix(raw, "'") || strings.HasPrefix(raw, `"`)
	for i, cand := range cands {
		values[i] = cand.Value
		quoted = quoted || cand.Text != cand.Value
	}
	lcp := prompt.LongestCommonPrefix(values)
	if len(lcp) > len(word) {
		ins := lcp
		if quoted {
			ins = openQuote(commands.QuoteWord(lcp), lcp)
			if ins == lcp {
				ins = "'" + lcp
			}
		}
		return prompt.TabCompletion{Delete: del, Insert: ins}
	}
	if !again {
		return prompt.TabCompletion{}
	}
	// Listed as readline lists file names: without the directory part
	// they all share.
	dir := word[:strings.LastIndex(word, "/")+1]
	for i := range values {
		values[i] = strings.TrimPrefix(values[i], dir)
	}
	// Sorted, as readline sorts the matches it lists
	// (rl_sort_completion_matches): the shell's domain list keeps
	// active domains in no particular order (backend.DomainStates).
	sort.Strings(values)
	return prompt.TabCompletion{List: values}
}

// openQuote drops the closing quote of quoted (value written as a word),
// so that the user can type on inside the quotes.
func openQuote(quoted, value string) string {
	if quoted != value && len(quoted) >= 2 {
		return quoted[:len(quoted)-1]
	}
	return quoted
}

// ask calls the table's completion and keeps the candidates that extend
// word, without repeats. A panic in a completer costs the suggestions,
// not the shell.
func (c *completer) ask(text, word string) (out []commands.Candidate) {
	defer func() {
		if recover() != nil {
			out = nil
		}
	}()
	ctx, cancel := context.WithTimeout(c.ctx, completeTimeout)
	defer cancel()
	seen := make(map[string]bool)
	for _, s := range c.complete(ctx, text) {
		if s.Value == "" {
			s.Value = s.Text
		}
		if s.Text == "" || seen[s.Value] || !strings.HasPrefix(s.Value, word) {
			continue
		}
		seen[s.Value] = true
		out = append(out, s)
	}
	return out
}
