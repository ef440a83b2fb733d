package prompt

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
)

// scriptTerm is a terminal for Run: keys come from a channel, and it knows
// whether it is in raw mode.
type scriptTerm struct {
	raw  atomic.Bool
	keys chan []byte
}

// typeLine queues a line as a terminal sends it, a key per read.
func (t *scriptTerm) typeLine(s string) {
	for _, b := range []byte(s + "\r") {
		t.keys <- []byte{b}
	}
}

func (t *scriptTerm) Setup() error    { t.raw.Store(true); return nil }
func (t *scriptTerm) TearDown() error { t.raw.Store(false); return nil }
func (t *scriptTerm) GetWinSize() *WinSize {
	return &WinSize{Row: 24, Col: 80}
}

func (t *scriptTerm) Read() ([]byte, error) {
	select {
	case b := <-t.keys:
		return b, nil
	default:
		return nil, errors.New("no input")
	}
}

// rawWatch records, for every flush that draws the prompt, whether the
// terminal was raw at that moment.
type rawWatch struct {
	VT100Writer
	term    *scriptTerm
	prompts []bool
}

func (w *rawWatch) Flush() error {
	if strings.Contains(string(w.buffer), "P> ") {
		w.prompts = append(w.prompts, w.term.raw.Load())
	}
	w.buffer = w.buffer[:0]
	return nil
}

// A prompt on the screen means the editor reads the keys: when the next
// prompt were drawn while the terminal was still cooked, a line typed as
// soon as it shows would be echoed by the kernel and again by the editor
// (xvirsh's TestPtySameLinesAnySize caught it as a doubled line).
func TestRunDrawsPromptOnlyInRawMode(t *testing.T) {
	term := &scriptTerm{keys: make(chan []byte, 16)}
	out := &rawWatch{term: term}
	var ran []string
	p := New(func(line string) {
		ran = append(ran, line)
		if line == "one" {
			term.typeLine("quit")
		}
	}, func(Document) []Suggest { return nil },
		OptionParser(term),
		OptionWriter(out),
		OptionPrefix("P> "),
		OptionSetExitCheckerOnInput(func(in string, breakline bool) bool {
			return breakline && in == "quit"
		}),
	)
	term.typeLine("one")
	p.Run()

	if strings.Join(ran, ",") != "one,quit" {
		t.Fatalf("ran %q, want one and quit", ran)
	}
	if len(out.prompts) < 2 {
		t.Fatalf("the prompt was drawn %d times, want at start and after one", len(out.prompts))
	}
	for i, raw := range out.prompts {
		if !raw {
			t.Errorf("prompt %d drawn on a cooked terminal", i+1)
		}
	}
}
