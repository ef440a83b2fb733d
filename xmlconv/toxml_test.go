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
