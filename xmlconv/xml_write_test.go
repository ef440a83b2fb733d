package xmlconv

import (
	"strings"
	"testing"

	"xvirsh/sexpr"
)

func txConvert(t testing.TB, src string, opt Options) string {
	t.Helper()
	root, err := sexpr.ParseString(src)
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	out, err := ToXML(root, opt)
	if err != nil {
		t.Fatalf("ToXML: %v\ninput: %s", err, src)
	}
	return out
}

// TestToXMLFormatting checks what a reader of the XML sees: libvirt's
// two-space indentation, single-quoted attributes, a final newline, and
// leaf text (a kernel command line) kept byte for byte.
func TestToXMLFormatting(t *testing.T) {
	out := txConvert(t, `(vm (name 'a&b') (uuid 00000000000000000000000000000001) (memory 64)
		(image (linux (kernel /k) (args '  x<y "q" ') )))`, Options{})
	for _, want := range []string{
		"<domain type='xen'>\n  <name>a&amp;b</name>\n",
		"\n    <cmdline>  x&lt;y &quot;q&quot; </cmdline>\n",
		"\n  <devices>\n    <console type='pty'>\n      <target type='xen' port='0'/>\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.HasSuffix(out, "</domain>\n") {
		t.Errorf("output does not end in </domain> and a newline: %q", out[len(out)-20:])
	}
}

// TestCharacterReferences: CR, LF and TAB inside attributes, and CR in
// text, are written as character references, which an XML reader would
// otherwise turn into blanks or line feeds; so SEXPR -> XML -> SEXPR
// keeps them (issue 8).
func TestCharacterReferences(t *testing.T) {
	src := "(vm (name c) (uuid 00000000000000000000000000000001) (memory 64)" +
		" (description 'a\\r\\nb\\tc') (image (linux (kernel /k)))" +
		" (device (vbd (dev xvda) (uname 'file:/x\\ty\\nz\\rw') (mode w))))"
	out := txConvert(t, src, Options{})
	for _, want := range []string{
		"<description>a&#13;\nb\tc</description>",
		"<source file='/x&#9;y&#10;z&#13;w'/>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	vm, err := ToSexpr([]byte(out), DefaultVersion)
	if err != nil {
		t.Fatal(err)
	}
	if got := vm.Get("description"); got != "a\r\nb\tc" {
		t.Errorf("description back as %q", got)
	}
	if got := vm.Lookup("device/vbd").Get("uname"); got != "file:/x\ty\nz\rw" {
		t.Errorf("uname back as %q", got)
	}
}
