package xmcfg

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParse: the reader never panics; what it refuses it places
// consistently; what it accepts the writer can write, and that reads back
// to the same entries and writes to the same bytes.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "a = 1", "name = 'x'; disk = [ \"a,b,c\", ]", "a = \"\"\"x\ny\"\"\"", "a = [[1],[-0,+2]]",
		"# c\r\na = 'b' # d\r\n", "a = 1 + 2", "a = '''x'''", "a = [ 1, # c\n 2 ]", "  \n", "a = \"\x00\"",
		"a = \"\"\"\"\"\"", "a = \"\"\"'\"\"\"", "a = -", "x = 99999999999999999999", "a = '\\'",
		"a\r= 1", "a = [\r\n]", "é = 1", "a = 'é'",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		c, err := ParseString(in, "fuzz")
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("%q: error %T %v is not a *SyntaxError", in, err, err)
			}
			if se.Pos.Offset < 0 || se.Pos.Offset > len(in) || posOf(in, se.Pos.Offset) != se.Pos {
				t.Fatalf("%q: error at %+v, but that offset is at %+v", in, se.Pos, posOf(in, se.Pos.Offset))
			}
			return
		}
		for _, e := range c.Entries {
			if posOf(in, e.Pos.Offset) != e.Pos || !strings.HasPrefix(in[e.Pos.Offset:], e.Name) {
				t.Fatalf("%q: entry %s at %+v is not where the scan says", in, e.Name, e.Pos)
			}
		}
		out, err := c.Marshal()
		if err != nil {
			t.Fatalf("%q read, but cannot be written: %v", in, err)
		}
		back, err := Parse(out, "rewritten")
		if err != nil {
			t.Fatalf("%q written as %q, which does not read: %v", in, out, err)
		}
		if !sameEntries(back.Entries, c.Entries) {
			t.Fatalf("%q written as %q reads back as %s, not %s", in, out, show(back.Entries), show(c.Entries))
		}
		again, err := back.Marshal()
		if err != nil || string(again) != string(out) {
			t.Fatalf("writing is not stable: %q then %q (%v)", out, again, err)
		}
	})
}

// FuzzWriteRead: every value the writer accepts reads back as itself, and
// it refuses only what no delimiter of §1.5 can carry.
func FuzzWriteRead(f *testing.F) {
	for _, s := range []string{"", "a", `"`, "'", `"'`, "a\nb", "\r", `"""`, "x\"", "\x00", `\`, "#", "[", "é\xff"} {
		f.Add(s, int64(0))
	}
	f.Add("x", int64(-1<<63))
	f.Fuzz(func(t *testing.T, s string, n int64) {
		want := []Entry{
			e("s", Str(s)), e("n", Int(n)),
			e("l", List(Str(s), Int(n), Strs(s, "ok", s), List())),
		}
		c := &Config{}
		for _, w := range want {
			c.Set(w.Name, w.Value)
		}
		out, err := c.Marshal()
		multiline := strings.ContainsAny(s, "\r\n")
		needsTriple := multiline || strings.Contains(s, `"`) && strings.Contains(s, "'")
		unwritable := strings.Contains(s, "\x00") ||
			needsTriple && (strings.Contains(s, `"""`) || strings.HasSuffix(s, `"`))
		if err != nil {
			if !unwritable || !errors.Is(err, ErrUnwritable) {
				t.Fatalf("%q refused: %v", s, err)
			}
			return
		}
		if unwritable {
			t.Fatalf("%q written as %q, but it cannot read back", s, out)
		}
		back, err := Parse(out, "")
		if err != nil || !sameEntries(back.Entries, want) {
			t.Fatalf("%q written as %q reads back as %v (%v)", s, out, show(back.Entries), err)
		}
	})
}
