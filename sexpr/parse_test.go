package sexpr

import (
	"errors"
	"strings"
	"testing"
)

// tree renders a node in a quoting-free debug form so that expectations
// show structure, not printer choices: atoms in <>, lists in ().
func tree(n *Node) string {
	if !n.IsList() {
		return "<" + n.Value + ">"
	}
	parts := make([]string, len(n.Kids))
	for i, k := range n.Kids {
		parts[i] = tree(k)
	}
	return "(" + strings.Join(parts, " ") + ")"
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"bare atoms", "(domain (domid 3) (name web))", "(<domain> (<domid> <3>) (<name> <web>))"},
		{"single quoted", `(name 'my vm')`, "(<name> <my vm>)"},
		{"double quoted", `(name "my vm")`, "(<name> <my vm>)"},
		{"escapes", `(a 'it\'s \\ \"x\" \n\t') `, "(<a> <it's \\ \"x\" \n\t>)"},
		{"one-letter escapes", `(a '\a\b\t\n\v\f\r\\\'\"')`, "(<a> <\a\b\t\n\v\f\r\\'\">)"},
		{"octal and hex", `(a '\101\x42\0')`, "(<a> <AB\x00>)"},
		{"unknown escape keeps backslash", `(a 'C:\path')`, `(<a> <C:\path>)`},
		{"empty string", `(kernel '')`, "(<kernel> <>)"},
		{"empty list", `()`, "()"},
		{"key with no value", `(image (hvm (kernel )))`, "(<image> (<hvm> (<kernel>)))"},
		{"quote inside atom is literal", `(e it's)`, "(<e> <it's>)"},
		{"whitespace everywhere", "\n\t (a\r\n  b\f)\n\n", "(<a> <b>)"},
		{"vertical tab is white space", "\v(a\vb)\v", "(<a> <b>)"},
		{"other control and non-ASCII bytes are atom bytes", "(a\x00\x1b\u00a0b)", "(<a\x00\x1b\u00a0b>)"},
		{"atom ends at paren", `(a(b)c)`, "(<a> (<b>) <c>)"},
		{"newline in string", "(a 'x\ny')", "(<a> <x\ny>)"},
		{"unicode", "(name 'ünï ☃')", "(<name> <ünï ☃>)"},
		{"lone atom", "xyz", "<xyz>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseString(tt.in)
			if err != nil {
				t.Fatalf("ParseString(%q): %v", tt.in, err)
			}
			if got := tree(n); got != tt.want {
				t.Errorf("ParseString(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
		pos      string
	}{
		{"empty", "", ErrEmpty, "1:1"},
		{"only blanks", "  \n  ", ErrEmpty, "2:3"},
		{"missing close", "(domain\n  (name x)", ErrUnbalanced, "1:1"},
		{"missing close inner", "(domain (name x\n", ErrUnbalanced, "1:9"},
		{"stray close", ")", ErrUnbalanced, "1:1"},
		{"extra close", "(a b))", ErrTrailing, "1:6"},
		{"unterminated string", "(a\n 'abc)", ErrUnclosed, "2:2"},
		{"two expressions", "(a) (b)", ErrTrailing, "1:5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseString(tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ParseString(%q) error = %v, want %v", tt.in, err, tt.want)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not a *SyntaxError", err)
			}
			if !strings.HasPrefix(err.Error(), tt.pos+": ") {
				t.Errorf("error %q does not start with position %s", err, tt.pos)
			}
		})
	}
}

func TestParseDeepNestingIsRefused(t *testing.T) {
	in := strings.Repeat("(", 100000) + strings.Repeat(")", 100000)
	_, err := ParseString(in)
	if !errors.Is(err, ErrTooDeep) {
		t.Fatalf("depth 100000: error = %v, want ErrTooDeep", err)
	}
	ok := strings.Repeat("(a ", MaxDepth) + strings.Repeat(")", MaxDepth)
	if _, err := ParseString(ok); err != nil {
		t.Fatalf("depth %d must be accepted: %v", MaxDepth, err)
	}
}

func TestParseHasNoSizeLimit(t *testing.T) {
	// The 2006 code cut output at 1 KB, then 4 KB. Build 4 MB of devices.
	var b strings.Builder
	b.WriteString("(domain (name big)")
	for i := 0; i < 20000; i++ {
		b.WriteString(" (device (vbd (uname 'file:/var/lib/xen/images/disk.img') (dev xvda) (mode w)))")
	}
	b.WriteString(")")
	n, err := ParseString(b.String())
	if err != nil {
		t.Fatal(err)
	}
	if got := len(n.Children("device")); got != 20000 {
		t.Fatalf("read %d devices, want 20000", got)
	}
	again, err := ParseString(n.String())
	if err != nil || !Equal(n, again) {
		t.Fatalf("4 MB tree does not print and read back identically: %v", err)
	}
}

func TestLookup(t *testing.T) {
	n, err := ParseString(`(domain (name web) (image (hvm (boot cd) (kernel) (serial (pty none)) (kernel x)))
		(device (vkbd)) (device (vbd (dev hda))) (bootloader) (memory 512M))`)
	if err != nil {
		t.Fatal(err)
	}
	if got := n.Get("image/hvm/boot"); got != "cd" {
		t.Errorf("boot = %q, want cd", got)
	}
	if _, ok := n.GetOK("image/hvm/kernel"); ok {
		t.Error("(kernel) has no value, and the first match wins over a later (kernel x)")
	}
	if _, ok := n.GetOK("image/hvm/serial"); ok {
		t.Error("(serial (pty none)) has no scalar value")
	}
	if !n.Has("bootloader") || n.HasContent("bootloader") {
		t.Error("(bootloader) exists but is empty")
	}
	if n.Has("image/linux") {
		t.Error("image/linux must not be found")
	}
	if got := len(n.Children("device")); got != 2 {
		t.Errorf("%d device lists, want 2", got)
	}
	if got := n.Lookup("device/vkbd"); got == nil || len(got.Kids) != 1 {
		t.Error("first device list is (device (vkbd))")
	}
	n.Set("memory", "1024")
	n.Set("vcpus", "2")
	n.Delete("device")
	if got := n.String(); got != "(domain (name web) (image (hvm (boot cd) (kernel) (serial (pty none)) (kernel x))) (bootloader) (memory 1024) (vcpus 2))" {
		t.Errorf("after Set/Delete: %s", got)
	}
}

// TestSharedAtoms: bare atoms of one text may share a node, which is why
// trees are changed by replacing nodes; Set and Delete must then change
// only what they name.
func TestSharedAtoms(t *testing.T) {
	n, err := ParseString("(d (x 1) (y 1) (z (x 1)))")
	if err != nil {
		t.Fatal(err)
	}
	n.Set("x", "2")
	n.Lookup("z").Set("x", "3")
	if got := n.String(); got != "(d (x 2) (y 1) (z (x 3)))" {
		t.Errorf("after Set: %s", got)
	}
	c := n.Clone()
	c.Delete("y")
	if n.Get("y") != "1" || c.Has("y") {
		t.Errorf("Delete on a clone: %s / %s", n, c)
	}
}

func TestParseFileNamesTheFile(t *testing.T) {
	_, err := ParseFile("dom.sxp", []byte("(domain\n  (name x)"))
	var se *SyntaxError
	if !errors.As(err, &se) || se.Filename != "dom.sxp" || !strings.HasPrefix(err.Error(), "dom.sxp:1:1: ") {
		t.Errorf("ParseFile error %v", err)
	}
	if _, err := ParseFile("ok.sxp", []byte("(a)")); err != nil {
		t.Errorf("ParseFile: %v", err)
	}
}
