package shell

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	prompt "github.com/c-bata/go-prompt"

	"xvirsh/commands"
)

// fakeTable offers what a command table would: commands by prefix, then
// domains, quoted as the table quotes them.
type fakeTable struct {
	calls   int
	domains []string
	sawCtx  bool
}

func (f *fakeTable) complete(ctx context.Context, text string) []commands.Candidate {
	f.calls++
	_, f.sawCtx = ctx.Deadline()
	_, word := commands.CompletionWord(text)
	var out []commands.Candidate
	if !strings.Contains(text, " ") {
		for _, c := range []string{"domid", "dominfo", "domuuid", "dumpxml", "list", "dominfo"} {
			if strings.HasPrefix(c, word) {
				out = append(out, commands.Candidate{Text: c, Value: c})
			}
		}
		return out
	}
	if text == "boom " {
		panic("completer bug")
	}
	out = append(out, commands.Candidate{}) // an empty entry: the adapter copes
	for _, d := range f.domains {
		if strings.HasPrefix(d, word) {
			out = append(out, commands.Candidate{Text: commands.QuoteWord(d), Value: d, Description: "domain"})
		}
	}
	return out
}

func TestTab(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		again bool
		want  prompt.TabCompletion
	}{
		{"several, nothing in common beyond the word: nothing", "domi", false, prompt.TabCompletion{}},
		{"second Tab lists them", "domi", true, prompt.TabCompletion{List: []string{"domid", "dominfo"}}},
		{"common prefix completes", "dominfo my", false, prompt.TabCompletion{Delete: 2, Insert: "'my v"}},
		{"single match completes with a blank", "dumpx", false, prompt.TabCompletion{Delete: 5, Insert: "dumpxml "}},
		{"repeats count once", "dominf", false, prompt.TabCompletion{Delete: 6, Insert: "dominfo "}},
		{"domain argument", "dominfo wi", false, prompt.TabCompletion{Delete: 2, Insert: "winxp "}},
		{"quoted single match", "dominfo we", false, prompt.TabCompletion{Delete: 2, Insert: "'web server' "}},
		{"quoted word goes on", "dominfo 'my v", false, prompt.TabCompletion{}},
		{"no match", "dominfo zz", true, prompt.TabCompletion{}},
		{"listed sorted, as readline lists", "dominfo w", true, prompt.TabCompletion{List: []string{"web server", "winxp"}}},
		{"completer panic costs only the suggestions", "boom ", true, prompt.TabCompletion{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeTable{domains: []string{"winxp", "web server", "my vm", "my vx"}}
			c := &completer{ctx: context.Background(), complete: f.complete}
			got := c.tab(tt.text, tt.again)
			if got.Delete != tt.want.Delete || got.Insert != tt.want.Insert || !slices.Equal(got.List, tt.want.List) {
				t.Errorf("tab(%q, again=%v) = %+v, want %+v", tt.text, tt.again, got, tt.want)
			}
			if f.calls > 0 && !f.sawCtx {
				t.Error("completion ran without a deadline")
			}
		})
	}
}

// Through the real table: file names with blanks, directories and their
// closing quote, the listing's short names.
func TestTabFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "host dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"host dir/guest-a.xml", "host dir/guest-b.xml", "other.cfg"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := commands.NewEnv(&commands.IOStreams{}, "test:///default", nil)
	c := &completer{ctx: context.Background(), complete: env.Complete}
	line := "define " + dir + "/ho"
	step := func(again bool) prompt.TabCompletion {
		got := c.tab(line, again)
		r := []rune(line)
		line = string(r[:len(r)-got.Delete]) + got.Insert
		return got
	}
	step(false)
	if want := "define '" + dir + "/host dir/"; line != want {
		t.Fatalf("after Tab into the directory: %q, want %q", line, want)
	}
	step(false)
	if want := "define '" + dir + "/host dir/guest-"; line != want {
		t.Fatalf("after Tab in the directory: %q, want %q", line, want)
	}
	if got := step(true); !slices.Equal(got.List, []string{"guest-a.xml", "guest-b.xml"}) {
		t.Errorf("second Tab lists %q", got.List)
	}
	line += "b"
	step(false)
	if want := "define '" + dir + "/host dir/guest-b.xml' "; line != want {
		t.Fatalf("after the last Tab: %q, want %q", line, want)
	}
	words, err := commands.Tokenize(line)
	if err != nil || len(words) != 1 || words[0][1] != dir+"/host dir/guest-b.xml" {
		t.Errorf("the completed line reads as %q (%v)", words, err)
	}
}
