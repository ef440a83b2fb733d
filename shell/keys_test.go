package shell

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	prompt "github.com/c-bata/go-prompt"
)

func TestSplitKeys(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"typed letter", "l", []string{"l"}},
		{"Enter alone", "\r", []string{"\r"}},
		{"arrow alone", "\x1b[A", []string{"\x1b[A"}},
		{"expect send with CR", "list --all\r", []string{"list --all", "\r"}},
		{"CRLF is one Enter", "list\r\n", []string{"list", "\r"}},
		{"LF is Enter", "list\n", []string{"list", "\n"}},
		{"pasted lines", "list\rdominfo vm1\rquit\r", []string{"list", "\r", "dominfo vm1", "\r", "quit", "\r"}},
		{"blank line in paste", "a\r\rb\r", []string{"a", "\r", "\r", "b", "\r"}},
		{"Tab after text", "dom\t", []string{"dom", "\t"}},
		{"Ctrl-C after text", "abc\x03", []string{"abc", "\x03"}},
		{"two arrows", "\x1b[A\x1b[A", []string{"\x1b[A", "\x1b[A"}},
		{"text then arrow", "ab\x1b[D", []string{"ab", "\x1b[D"}},
		{"Delete key is whole", "x\x1b[3~", []string{"x", "\x1b[3~"}},
		{"unknown CSI kept whole", "\x1b[1;5Cx", []string{"\x1b[1;5C", "x"}},
		{"F1 (SS3)", "\x1b" + "OPa", []string{"\x1bOP", "a"}},
		{"Alt-b", "\x1bbx", []string{"\x1bb", "x"}},
		{"lone ESC at end", "a\x1b", []string{"a", "\x1b"}},
		{"UTF-8 text stays whole", "dumpxml grüße\r", []string{"dumpxml grüße", "\r"}},
		{"backspaces", "ab\x7f\x7f", []string{"ab", "\x7f", "\x7f"}},
		{"Alt-Backspace is one key", "ab\x1b\x7f", []string{"ab", "\x1b\x7f"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, k := range splitKeys([]byte(tt.in)) {
				got = append(got, string(k))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("splitKeys(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// Every key go-prompt knows must come through as that key, never cut.
func TestSplitKeysKeepsKnownKeys(t *testing.T) {
	for _, seq := range prompt.ASCIISequences {
		got := splitKeys(seq.ASCIICode)
		if len(got) != 1 || string(got[0]) != string(seq.ASCIICode) {
			t.Errorf("key %v %q split into %q", seq.Key, seq.ASCIICode, got)
		}
	}
}

// fakeParser hands out scripted reads, as the terminal would.
type fakeParser struct {
	prompt.ConsoleParser
	reads []string
}

func (f *fakeParser) Read() ([]byte, error) {
	if len(f.reads) == 0 {
		return nil, errors.New("EAGAIN")
	}
	r := f.reads[0]
	f.reads = f.reads[1:]
	return []byte(r), nil
}

func TestKeySplitterQueuesAcrossReads(t *testing.T) {
	s := &keySplitter{ConsoleParser: &fakeParser{reads: []string{"list\rquit\r", "\x04"}}}
	var got []string
	for {
		b, err := s.Read()
		if err != nil {
			break
		}
		got = append(got, string(b))
	}
	want := []string{"list", "\r", "quit", "\r", "\x04"}
	if !slices.Equal(got, want) {
		t.Errorf("reads = %q, want %q", got, want)
	}
	// What go-prompt makes of them: text, Enter, text, Enter, Ctrl-D.
	var keys []string
	for _, k := range got {
		keys = append(keys, fmt.Sprint(prompt.GetKey([]byte(k))))
	}
	wantKeys := []string{"NotDefined", "ControlM", "NotDefined", "ControlM", "ControlD"}
	if !slices.Equal(keys, wantKeys) {
		t.Errorf("keys = %v, want %v", keys, wantKeys)
	}
}

// A long paste reaches go-prompt in 1024-byte reads; a character cut in
// two by a read boundary must arrive whole.
func TestKeySplitterJoinsCutCharacters(t *testing.T) {
	s := &keySplitter{ConsoleParser: &fakeParser{reads: []string{"define gr\xc3", "\xbc\xc3\x9f", "e.xml\r"}}}
	var text string
	for {
		b, err := s.Read()
		if errors.Is(err, errIncomplete) {
			continue
		}
		if err != nil {
			break
		}
		text += string(b) + "|"
	}
	if want := "define gr|üß|e.xml|\r|"; text != want {
		t.Errorf("keys %q, want %q", text, want)
	}
}

func TestIncompleteTail(t *testing.T) {
	for in, want := range map[string]int{
		"":             0,
		"abc":          0,
		"ab\xc3":       1,
		"ab\xc3\xbc":   0,
		"\xe2\x82":     2,
		"\xe2\x82\xac": 0,
		"\xf0\x9f\x98": 3,
		"\x80\x80":     0, // stray continuation bytes: not ours to hold
	} {
		if got := incompleteTail([]byte(in)); got != want {
			t.Errorf("incompleteTail(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestPasteText(t *testing.T) {
	for in, want := range map[string]string{
		"domstate winxp\ndomstate fc8\n": "domstate winxp; domstate fc8",
		"list --all":                     "list --all",
		"a\r\nb\r\n\r\n":                 "a; b",
		"destroy x\n":                    "destroy x",
		"\tlist\t--all  \n":              " list --all",
	} {
		if got := pasteText(in); got != want {
			t.Errorf("pasteText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestColorWanted(t *testing.T) {
	for _, tt := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{"TERM": "xterm-256color"}, false},
		{map[string]string{"TERM": "xterm-256color", "COLORTERM": "truecolor"}, true},
		{map[string]string{"TERM": "xterm", "COLORTERM": "truecolor", "NO_COLOR": "1"}, false},
		{map[string]string{"TERM": "dumb", "COLORTERM": "truecolor"}, false},
	} {
		if got := colorWanted(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("colorWanted(%v) = %v", tt.env, got)
		}
	}
}
