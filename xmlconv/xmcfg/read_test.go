package xmcfg

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// e is an entry without positions, for tables.
func e(name string, v Value) Entry { return Entry{Name: name, Value: v} }

func neg(n uint64) Value { return Value{Kind: KindInt, Num: n, Neg: true} }

func sameEntries(got, want []Entry) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i].Name != want[i].Name || !Equal(got[i].Value, want[i].Value) {
			return false
		}
	}
	return true
}

func show(es []Entry) string {
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "%s=%s ", e.Name, literal(e.Value))
	}
	return b.String()
}

func literal(v Value) string {
	switch v.Kind {
	case KindString:
		return fmt.Sprintf("%q", v.Str)
	case KindInt:
		if v.Neg {
			return fmt.Sprintf("-%d", v.Num)
		}
		return fmt.Sprint(v.Num)
	case KindList:
		parts := make([]string, len(v.Items))
		for i, it := range v.Items {
			parts[i] = literal(it)
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	return "?"
}

// Every literal form, comment and continuation of xm-config.md §1.2.
func TestParseAccepts(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Entry
	}{
		{"empty input", "", nil},
		{"double quotes", `name = "guest"`, []Entry{e("name", Str("guest"))}},
		{"single quotes", `name = 'guest'`, []Entry{e("name", Str("guest"))}},
		{"empty strings", `a = ""` + "\n" + `b = ''`, []Entry{e("a", Str("")), e("b", Str(""))}},
		{"other quote inside", `a = "it's"; b = 'say "hi"'`,
			[]Entry{e("a", Str("it's")), e("b", Str(`say "hi"`))}},
		{"triple quotes span lines", "extra = \"\"\"a\n'b' \"c\"\nd\"\"\"\nx = 1",
			[]Entry{e("extra", Str("a\n'b' \"c\"\nd")), e("x", Int(1))}},
		{"triple quotes end at the first three", `a = """x"" y"""`, []Entry{e("a", Str(`x"" y`))}},
		{"empty triple quotes", "a = \"\"\"\"\"\"\n", []Entry{e("a", Str(""))}},
		{"empty triple quotes at the very end", `a = """"""`, []Entry{e("a", Str(""))}},
		// §1.2: no escape processing; a backslash is a byte.
		{"backslashes are bytes", `a = "C:\new\t\\"; b = '\x41'`,
			[]Entry{e("a", Str(`C:\new\t\\`)), e("b", Str(`\x41`))}},
		{"a hash inside a string", `a = "#not a comment"`, []Entry{e("a", Str("#not a comment"))}},
		{"non-ASCII bytes", "a = \"g\xc3\xa4st\xff\"", []Entry{e("a", Str("g\xc3\xa4st\xff"))}},
		{"integers", "a = 0\nb = 42\nc = +7\nd = -3\nf = 010",
			[]Entry{e("a", Int(0)), e("b", Int(42)), e("c", Int(7)), e("d", Int(-3)), e("f", Int(10))}},
		{"minus zero is signed", "a = -0", []Entry{e("a", neg(0))}},
		{"integer limits", "a = 18446744073709551615\nb = -9223372036854775808",
			[]Entry{e("a", Uint(1<<64-1)), e("b", Int(-1<<63))}},
		{"empty lists", "a = []\nb = [ ]\nc = [\n\n]", []Entry{e("a", List()), e("b", List()), e("c", List())}},
		{"list", `disk = [ "phy:/dev/a,xvda,w", 'file:/b,xvdb,r' ]`,
			[]Entry{e("disk", Strs("phy:/dev/a,xvda,w", "file:/b,xvdb,r"))}},
		{"list trailing comma", `vif = [ "", ]`, []Entry{e("vif", Strs(""))}},
		{"list over lines", "disk = [\n  'a',\n\n  'b'\n  ,'c'\n]\nx = 1",
			[]Entry{e("disk", Strs("a", "b", "c")), e("x", Int(1))}},
		{"nested and mixed list", `a = [ 1, [ "x", [] ], -2, 'y' ]`,
			[]Entry{e("a", List(Int(1), List(Str("x"), List()), Int(-2), Str("y")))}},
		{"comments and blank lines", "# head\n\n   # indented\nname = 'a' # after\n#tail",
			[]Entry{e("name", Str("a"))}},
		{"comment without newline at end", "a = 1 #", []Entry{e("a", Int(1))}},
		{"semicolons", "a = 1; b = 2;\nc = 3 ;  d = 4", []Entry{e("a", Int(1)), e("b", Int(2)), e("c", Int(3)), e("d", Int(4))}},
		{"indented statements", "\t a = 1\n    b\t=\t2", []Entry{e("a", Int(1)), e("b", Int(2))}},
		{"no blanks around =", "a=1\nb='x'", []Entry{e("a", Int(1)), e("b", Str("x"))}},
		{"CR LF lines", "a = 1\r\nb = [ 1,\r\n 2 ]\r\n", []Entry{e("a", Int(1)), e("b", List(Int(1), Int(2)))}},
		{"CR lines", "a = 1\rb = 2\r", []Entry{e("a", Int(1)), e("b", Int(2))}},
		{"trailing blank lines", "a = 1\n\n  \n\t\n", []Entry{e("a", Int(1))}},
		{"names", "a_1 = 1\nZ9 = 2", []Entry{e("a_1", Int(1)), e("Z9", Int(2))}},
		{"duplicates are kept in order", "a = 1\na = 2", []Entry{e("a", Int(1)), e("a", Int(2))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseString(tt.in, "")
			if err != nil {
				t.Fatalf("ParseString(%q): %v", tt.in, err)
			}
			if !sameEntries(c.Entries, tt.want) {
				t.Fatalf("ParseString(%q)\n got %s\nwant %s", tt.in, show(c.Entries), show(tt.want))
			}
		})
	}
}

// Bad input: libvirt's message (the sentinel) at file:line:col, and for
// the common mistakes a hint that says what was found and why it is refused.
func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		err       error
		line, col int
		hint      string // a part of the detail; "" to skip
	}{
		{"expression", "memory = 256 * 2", ErrSeparator, 1, 14, "an expression"},
		{"string concatenation", `extra = "a" + "b"`, ErrSeparator, 1, 13, "an expression"},
		{"adjacent strings", `extra = "a" "b"`, ErrSeparator, 1, 13, "not joined"},
		{"function call", "name = os.uname()", ErrValue, 1, 8, "the name os"},
		{"call", "vcpus = int('2')", ErrValue, 1, 9, "a call of int"},
		{"variable", "maxmem = memory", ErrValue, 1, 10, "the name memory"},
		{"True", "acpi = True", ErrValue, 1, 8, "libvirt refuses"},
		{"None", "x = None", ErrValue, 1, 5, "libvirt refuses"},
		{"tuple", "x = (1, 2)", ErrValue, 1, 5, "tuples"},
		{"dict", "x = {'a': 1}", ErrValue, 1, 5, "dicts"},
		{"float", "x = 1.5", ErrSeparator, 1, 6, "only decimal integers"},
		{"leading dot float", "x = .5", ErrValue, 1, 5, "floats"},
		{"hex", "x = 0x1f", ErrSeparator, 1, 6, "only decimal"},
		{"long", "x = 512L", ErrSeparator, 1, 8, "only decimal"},
		{"raw string", `x = r"\d"`, ErrValue, 1, 5, "string prefixes"},
		{"unicode string", `x = u'a'`, ErrValue, 1, 5, "string prefixes"},
		{"triple single quotes", "x = '''a'''", ErrSeparator, 1, 7, "'''"},
		{"escaped quote does not protect", `x = 'a\'b'`, ErrSeparator, 1, 9, ""},
		{"unterminated double", "a = 1\nname = \"guest\nb = 2", ErrString, 2, 8, "end of the line"},
		{"unterminated single at end", "name = 'guest", ErrString, 1, 8, "end of input"},
		{"unterminated triple", "a = 1\nextra = \"\"\"x\n\ny", ErrString, 2, 9, "never closed"},
		{"junk after triple", `a = """x""""`, ErrSeparator, 1, 12, ""},
		{"sign alone", "a = -", ErrNumber, 1, 5, ""},
		{"sign and junk", "a = +x", ErrNumber, 1, 5, ""},
		{"overflow", "a = 18446744073709551616", ErrIntRange, 1, 5, "64 bits"},
		{"negative overflow", "a = -9223372036854775809", ErrIntRange, 1, 5, ""},
		{"name with underscore", "_a = 1", ErrName, 1, 1, "ASCII letter"},
		{"name with digit", "1a = 1", ErrName, 1, 1, "ASCII letter"},
		{"only blanks", "  \n\t\n", ErrName, 3, 1, "end of input"},
		{"double semicolon", "a = 1;;", ErrName, 1, 7, ""},
		{"no assignment", "a\n= 1", ErrAssign, 1, 2, "end of line"},
		{"subscript", "x[0] = 1", ErrAssign, 1, 2, "plain names"},
		{"augmented", "x += 1", ErrAssign, 1, 3, "plain '='"},
		{"value on the next line", "a =\n1", ErrValue, 1, 4, "line of its '='"},
		{"nothing after =", "a = ", ErrValue, 1, 5, "end of input"},
		{"backslash continuation", "a = \\\n 1", ErrValue, 1, 5, "backslash"},
		{"two statements on a line", "a = 1 b = 2", ErrSeparator, 1, 7, "';'"},
		{"list without commas", "a = [ 1 2 ]", ErrListSep, 1, 9, ""},
		{"empty list item", "a = [ , ]", ErrValue, 1, 7, ""},
		{"double comma", "a = [ 1,, 2 ]", ErrValue, 1, 9, ""},
		{"comment in list after comma", "disk = [ 'a', # first\n 'b' ]", ErrValue, 1, 15, "comments"},
		{"comment in list after item", "disk = [ 'a' # first\n, 'b' ]", ErrListSep, 1, 14, "comments"},
		{"list never closed", "a = 1\ndisk = [ 'a',\n 'b'\n", ErrListClose, 2, 8, "opened here"},
		{"list open at end", "a = [", ErrListClose, 1, 5, ""},
		{"item missing at end", "a = [ 1,", ErrValue, 1, 9, "end of input"},
		{"error after CR LF lines", "a = 1\r\nb = 2\r\nc = ?", ErrValue, 3, 5, ""},
		{"error after a triple string", "a = \"\"\"x\ny\nz\"\"\" junk", ErrSeparator, 3, 6, ""},
		{"too deep", "a = " + strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1), ErrTooDeep, 1, 5 + MaxDepth, ""},
		{"NUL in a string", "a = 1\nb = \"x\x00y\"", ErrNUL, 2, 7, ""},
		{"NUL in a comment", "# \x00\na = 1", ErrNUL, 1, 3, ""},
		{"byte order mark", "\xef\xbb\xbfname = 'a'", ErrName, 1, 1, "byte order mark"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseString(tt.in, "guest.cfg")
			if err == nil {
				t.Fatalf("ParseString(%q) = %s, want an error", tt.in, show(c.Entries))
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("ParseString(%q): %T %v, want a *SyntaxError", tt.in, err, err)
			}
			if !errors.Is(err, tt.err) || se.Pos.Line != tt.line || se.Pos.Col != tt.col {
				t.Fatalf("ParseString(%q) = %v\nwant %v at %d:%d", tt.in, err, tt.err, tt.line, tt.col)
			}
			prefix := fmt.Sprintf("guest.cfg:%d:%d: %v", tt.line, tt.col, tt.err)
			if msg := err.Error(); !strings.HasPrefix(msg, prefix) || !strings.Contains(msg, tt.hint) {
				t.Fatalf("message %q\nwant prefix %q and %q in it", msg, prefix, tt.hint)
			}
		})
	}
}

func TestPositions(t *testing.T) {
	src := "# c\nname = 'a'\r\n  disk = [\r\n 'x',\n\t\"y\" ]; m = \"\"\"1\n2\"\"\"\rk = 5"
	c, err := ParseString(src, "")
	if err != nil {
		t.Fatal(err)
	}
	type lc struct{ line, col int }
	want := []struct{ name, value lc }{
		{lc{2, 1}, lc{2, 8}},
		{lc{3, 3}, lc{3, 10}},
		{lc{5, 9}, lc{5, 13}},
		{lc{7, 1}, lc{7, 5}},
	}
	if len(c.Entries) != len(want) {
		t.Fatalf("got %s", show(c.Entries))
	}
	for i, w := range want {
		got := c.Entries[i]
		if got.Pos.Line != w.name.line || got.Pos.Col != w.name.col ||
			got.Value.Pos.Line != w.value.line || got.Value.Pos.Col != w.value.col {
			t.Errorf("%s: name at %v, value at %v; want %v, %v", got.Name, got.Pos, got.Value.Pos, w.name, w.value)
		}
		if src[got.Pos.Offset:got.Pos.Offset+len(got.Name)] != got.Name {
			t.Errorf("%s: offset %d points at %q", got.Name, got.Pos.Offset, src[got.Pos.Offset:])
		}
	}
	items := c.Entries[1].Value.Items
	if items[0].Pos.String() != "4:2" || items[1].Pos.String() != "5:2" {
		t.Errorf("list items at %v and %v, want 4:2 and 5:2", items[0].Pos, items[1].Pos)
	}
}

// 10 MB of a realistic shape (one long disk list, as a host with many
// volumes might have) is read, whole and quickly; above MaxSize the reader
// stops, from a string or from an endless stream, with a position.
func TestSizeLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("name = \"big\"\ndisk = [\n")
	n := 0
	for b.Len() < 10_000_000-64 {
		fmt.Fprintf(&b, "  'phy:/dev/vg%03d/volume%06d,xvd%06d,w',\n", n%1000, n, n)
		n++
	}
	b.WriteString("]\nmemory = 512\n")
	big := b.String()
	c, err := ParseString(big, "")
	if err != nil {
		t.Fatalf("%d bytes: %v", len(big), err)
	}
	if disks, _ := c.Lookup("disk"); len(disks.Items) != n {
		t.Fatalf("got %d disks, want %d", len(disks.Items), n)
	}
	if m, _ := c.Lookup("memory"); !Equal(m, Int(512)) {
		t.Fatalf("memory after the list = %s", literal(m))
	}

	exact := "a = '" + strings.Repeat("x", MaxSize-7) + "'\n"
	if _, err := ParseString(exact, ""); err != nil {
		t.Fatalf("exactly MaxSize bytes: %v", err)
	}
	over := "a = 1\n" + strings.Repeat("#", MaxSize)
	_, err = ParseString(over, "huge.cfg")
	if !errors.Is(err, ErrTooLarge) || !strings.HasPrefix(err.Error(), fmt.Sprintf("huge.cfg:2:%d: ", MaxSize-5)) {
		t.Fatalf("over MaxSize: %v", err)
	}
	_, err = Parse(make([]byte, 4*MaxSize), "zeros.img")
	if !errors.Is(err, ErrTooLarge) || !strings.HasPrefix(err.Error(), fmt.Sprintf("zeros.img:1:%d: ", MaxSize+1)) {
		t.Fatalf("40 MiB of zeros: %v", err)
	}
	_, err = Read(endless{}, "/dev/zero")
	if !errors.Is(err, ErrTooLarge) || !strings.HasPrefix(err.Error(), "/dev/zero:1:") {
		t.Fatalf("endless stream: %v", err)
	}
}

type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestReadFile(t *testing.T) {
	c, err := ReadFile("testdata/hvm-guest.cfg")
	if err != nil {
		t.Fatal(err)
	}
	if c.Source != "testdata/hvm-guest.cfg" {
		t.Errorf("Source = %q", c.Source)
	}
	want := map[string]Value{
		"import_note":    Str("xm would run this file; xvirsh only reads the literals"),
		"vcpus":          Int(4),
		"vcpu_avail":     Int(3),
		"rtc_timeoffset": Int(-3600),
		"vncpasswd":      Str(`it"s secret`),
		"pci":            List(),
		"disk": Strs("phy:/dev/vg0/web01,hda,w", "tap:aio:/srv/xen/web01-data.img,hdb,w",
			"file:/srv/iso/debian-5.0.iso,hdc:cdrom,r"),
		"vif": Strs("mac=00:16:3e:00:12:34,bridge=xenbr0,model=e1000",
			"mac=00:16:3e:00:12:35,bridge=xenbr1,script=vif-bridge,rate=10MB/s"),
		"description": Str("A web server.\nMaintained by ops; see C:\\docs\\web01 for the runbook."),
	}
	for k, w := range want {
		if v, ok := c.Lookup(k); !ok || !Equal(v, w) {
			t.Errorf("%s = %s, want %s", k, literal(v), literal(w))
		}
	}
	if len(c.Entries) != 38 {
		t.Errorf("%d entries, want 38", len(c.Entries))
	}

	c, err = ReadFile("testdata/pv-guest.cfg")
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := c.Lookup("on_crash"); v.Str != "coredump-restart" || v.Pos.Line != 13 {
		t.Errorf("CR LF file: on_crash = %q at %v, want line 13", v.Str, v.Pos)
	}

	_, err = ReadFile("testdata/bad-expression.cfg")
	if !errors.Is(err, ErrSeparator) || !strings.HasPrefix(err.Error(), "testdata/bad-expression.cfg:3:14: expecting a separator") {
		t.Errorf("bad file: %v", err)
	}
	if _, err = ReadFile("testdata/no-such.cfg"); err == nil || !strings.Contains(err.Error(), "no-such.cfg") {
		t.Errorf("missing file: %v", err)
	}
	if _, err = ReadFile("testdata"); err == nil || strings.Count(err.Error(), "testdata") != 1 {
		t.Errorf("a directory: %v, want one mention of its name", err)
	}
	if _, err = Read(failing{}, "pipe"); !errors.Is(err, io.ErrUnexpectedEOF) || !strings.HasPrefix(err.Error(), "pipe: ") {
		t.Errorf("failing reader: %v", err)
	}
}
