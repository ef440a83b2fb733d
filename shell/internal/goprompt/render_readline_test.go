package prompt

import (
	"bytes"
	"testing"
)

// bufWriter is a VT100Writer whose output is kept for the test.
type bufWriter struct {
	VT100Writer
	out bytes.Buffer
}

func (w *bufWriter) Flush() error {
	w.out.Write(w.buffer)
	w.buffer = nil
	return nil
}

func newTestRender() (*Render, *bufWriter) {
	w := &bufWriter{}
	return &Render{
		prefix:             "> ",
		out:                w,
		livePrefixCallback: func() (string, bool) { return "", false },
		bracketedPaste:     true,
		row:                24,
		col:                80,
	}, w
}

// Typing at the end of the line writes the typed text and nothing else;
// the prompt is drawn once; Enter turns paste marking off before the
// newline.
func TestRenderWritesOnlyWhatChanged(t *testing.T) {
	r, w := newTestRender()
	buf := NewBuffer()
	r.Render(buf, nil)
	for _, c := range "list" {
		buf.InsertText(string(c), false, true)
		r.Render(buf, nil)
	}
	r.BreakLine(buf)
	if got, want := w.out.String(), "> "+pasteModeOn+"list"+pasteModeOff+"\n"; got != want {
		t.Errorf("stream %q, want %q", got, want)
	}
}

// An edit in the middle rewrites from the change on, and erases what
// the line lost.
func TestRenderEditInTheMiddle(t *testing.T) {
	r, w := newTestRender()
	buf := NewBuffer()
	buf.InsertText("dominfo winxp", false, true)
	r.Render(buf, nil)
	w.out.Reset()
	buf.CursorLeft(5)
	buf.DeleteBeforeCursor(1) // "dominfowinxp"
	r.Render(buf, nil)
	want := "\x1b[6D" + "winxp" + "\x1b[J" + "\x1b[5D"
	if got := w.out.String(); got != want {
		t.Errorf("stream %q, want %q", got, want)
	}
}

// A Backspace that brings the end of a wrapped line back to the right
// margin moves the cursor there and erases the rest: no newline, which
// would draw the line a row too low and leave the deleted text shown.
func TestRenderBackspaceToTheMargin(t *testing.T) {
	r, w := newTestRender()
	r.col = 10
	buf := NewBuffer()
	buf.InsertText("12345678", false, true) // "> 12345678" fills the row
	r.Render(buf, nil)
	if got := w.out.String(); got != "> 12345678\n"+pasteModeOn {
		t.Fatalf("stream %q, want the line and a newline at the margin", got)
	}
	buf.InsertText("X", false, true)
	r.Render(buf, nil)
	w.out.Reset()
	buf.DeleteBeforeCursor(1)
	r.Render(buf, nil)
	if got, want := w.out.String(), "\x1b[1D"+"\x1b[J"; got != want {
		t.Errorf("stream %q, want %q", got, want)
	}
	w.out.Reset()
	buf.DeleteBeforeCursor(1) // back onto the first row
	r.Render(buf, nil)
	if got, want := w.out.String(), "\x1b[1A"+"\x1b[9C"+"\x1b[J"; got != want {
		t.Errorf("stream %q, want %q", got, want)
	}
}

func TestFormatColumns(t *testing.T) {
	got := formatColumns([]string{"domid", "dominfo", "domname", "domstate", "domuuid"}, 30)
	want := "domid     domname   domuuid\ndominfo   domstate\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestReadlineTab(t *testing.T) {
	for _, tt := range []struct {
		word  string
		cands []string
		again bool
		want  TabCompletion
	}{
		{"dom", []string{"domid", "dominfo"}, false, TabCompletion{Delete: 3, Insert: "domi"}},
		{"domi", []string{"domid", "dominfo"}, false, TabCompletion{}},
		{"domi", []string{"domid", "dominfo"}, true, TabCompletion{List: []string{"domid", "dominfo"}}},
		{"dumpx", []string{"dumpxml"}, false, TabCompletion{Delete: 5, Insert: "dumpxml "}},
		{"x", nil, true, TabCompletion{}},
	} {
		got := Readline(tt.word, tt.cands, tt.again)
		if got.Delete != tt.want.Delete || got.Insert != tt.want.Insert || len(got.List) != len(tt.want.List) {
			t.Errorf("Readline(%q, %q, %v) = %+v, want %+v", tt.word, tt.cands, tt.again, got, tt.want)
		}
	}
}

// No key ever puts a control character into the line.
func TestUnknownKeysInsertNothing(t *testing.T) {
	p := &Prompt{buf: NewBuffer(), history: NewHistory(), renderer: &Render{livePrefixCallback: func() (string, bool) { return "", false }}}
	for _, k := range []string{"\x1bx", "\x1b[15~", "\x1b", "\x1bOP", "\x1b[1;2P", "\x00"} {
		p.feed([]byte(k))
	}
	if got := p.buf.Text(); got != "" {
		t.Errorf("line after unknown keys: %q", got)
	}
}
