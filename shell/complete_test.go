package shell

import (
	"context"
	"slices"
	"strings"
	"testing"

	prompt "github.com/c-bata/go-prompt"
)

// fakeTable offers what a command table would, from a mutable domain list.
type fakeTable struct {
	calls   int
	domains []string
	sawCtx  bool
}

func (f *fakeTable) complete(ctx context.Context, text string) []prompt.Suggest {
	f.calls++
	_, f.sawCtx = ctx.Deadline()
	var out []prompt.Suggest
	if !strings.Contains(text, " ") {
		for _, c := range []string{"domid", "dominfo", "domuuid", "dumpxml", "list", "dominfo"} {
			if strings.HasPrefix(c, text) {
				out = append(out, prompt.Suggest{Text: c})
			}
		}
		return out
	}
	if text == "boom " {
		panic("completer bug")
	}
	// Deliberately unfiltered, with an empty entry: the adapter copes.
	out = append(out, prompt.Suggest{Text: ""})
	for _, d := range f.domains {
		if strings.Contains(d, " ") {
			d = "'" + d + "'"
		}
		out = append(out, prompt.Suggest{Text: d, Description: "domain"})
	}
	return out
}

func texts(s []prompt.Suggest) []string {
	var out []string
	for _, x := range s {
		out = append(out, x.Text)
	}
	return out
}

func TestCompleter(t *testing.T) {
	tests := []struct {
		name string
		text string
		tab  bool
		want []string
	}{
		{"empty line while typing: nothing pops up", "", false, nil},
		{"blank line while typing", "  ", false, nil},
		{"Tab on empty line: all commands", "", true, []string{"domid", "dominfo", "domuuid", "dumpxml", "list"}},
		{"command prefix, repeats dropped", "dom", false, []string{"domid", "dominfo", "domuuid"}},
		{"argument filtered by the word", "dominfo vm", false, []string{"vm1", "vm2"}},
		{"argument, empty word", "dominfo ", false, []string{"vm1", "vm2", "web", "'my vm'"}},
		{"quoted candidate for a bare word", "dominfo my", false, []string{"'my vm'"}},
		{"quoted candidate for a quoted word", "dominfo 'my", false, []string{"'my vm'"}},
		{"no match", "dominfo zz", false, nil},
		{"completer panic costs only the suggestions", "boom ", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeTable{domains: []string{"vm1", "vm2", "web", "my vm"}}
			c := &completer{ctx: context.Background(), complete: f.complete}
			got := texts(c.suggest(tt.text, tt.tab))
			if !slices.Equal(got, tt.want) {
				t.Errorf("suggest(%q, tab=%v) = %q, want %q", tt.text, tt.tab, got, tt.want)
			}
			if f.calls > 0 && !f.sawCtx {
				t.Error("completion ran without a deadline")
			}
		})
	}
}

// While the user cycles with Tab the list must not change under go-prompt
// (it indexes the new list with the old selection and panics), but after a
// command the fresh state is offered.
func TestCompleterStableUntilCommand(t *testing.T) {
	f := &fakeTable{domains: []string{"vm1", "vm2", "vm3"}}
	c := &completer{ctx: context.Background(), complete: f.complete}
	first := c.suggest("start ", true)
	f.domains = []string{"vm1"} // vm2 and vm3 were started meanwhile
	if again := c.suggest("start ", true); len(again) != len(first) {
		t.Fatalf("list changed from %q to %q while cycling", texts(first), texts(again))
	}
	c.forget() // a command ran
	if got := texts(c.suggest("start ", false)); !slices.Equal(got, []string{"vm1"}) {
		t.Errorf("after a command: %q, want the fresh list", got)
	}
	// Typing on changes the text and asks again.
	before := f.calls
	c.suggest("start v", false)
	if f.calls != before+1 {
		t.Error("a new text did not ask the table")
	}
}

func TestLastWord(t *testing.T) {
	for text, want := range map[string]string{
		"":                "",
		"dom":             "dom",
		"dominfo ":        "",
		"dominfo vm":      "vm",
		"create ./a/b.xm": "./a/b.xm",
		"list --al":       "--al",
		"list;dom":        "dom",
	} {
		if got := lastWord(text); got != want {
			t.Errorf("lastWord(%q) = %q, want %q", text, got, want)
		}
	}
}
