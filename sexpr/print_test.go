package sexpr

import (
	"strings"
	"testing"
)

func TestQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"web", "web"},
		{"file:/var/lib/xen/a.img", "file:/var/lib/xen/a.img"},
		{"00:16:3e:00:00:01", "00:16:3e:00:00:01"},
		{"", "''"},
		{"my vm", "'my vm'"},
		{"a)(b", "'a)(b'"},
		{"it's", `'it\'s'`},
		{`C:\x`, `'C:\\x'`},
		{"x\ny", `'x\ny'`},
		{"bell\a", `'bell\007'`},
		{"ünï", "'ünï'"},
		{"\xff", `'\377'`},
		{"#comment", "'#comment'"},
		{"[a]", "'[a]'"},
		{`say "hi"`, `'say "hi"'`},
	}
	for _, tt := range tests {
		if got := Quote(tt.in); got != tt.want {
			t.Errorf("Quote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// A value can never inject structure: whatever the name, printing then
// reading gives one atom with the same bytes.
func TestPrintedValueCannotInject(t *testing.T) {
	for _, v := range []string{"x) (memory 99999", "')(on_crash destroy)('", `\') (a '`, "\x00\x01", "日本語 (x)"} {
		cfg := List(Atom("vm"), KV("name", v), KV("memory", "512"))
		back, err := ParseString(cfg.String())
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		if len(back.Kids) != 3 || back.Get("name") != v || back.Get("memory") != "512" {
			t.Errorf("value %q changed the tree: %s", v, back)
		}
	}
}

func TestPrettyReadsBack(t *testing.T) {
	src := "(domain (domid 1) (name 'a b') (image (hvm (kernel /usr/lib/xen/boot/hvmloader) (boot d) (device_model /usr/lib/xen/bin/qemu-dm) (serial pty) (fda /f.img) (notes (a 1) (b 2)))) (device (vif (mac 00:16:3e:00:00:01) (bridge xenbr0))))"
	n, err := ParseString(src)
	if err != nil {
		t.Fatal(err)
	}
	p := n.Pretty()
	if !strings.Contains(p, "\n    (name 'a b')") {
		t.Errorf("pretty form does not put fields on their own lines:\n%s", p)
	}
	back, err := ParseString(p)
	if err != nil || !Equal(n, back) {
		t.Fatalf("pretty output does not read back: %v\n%s", err, p)
	}
}

// TestSafeBytes: the bytes printed bare are the printable ASCII ones that
// xend's reader gives no meaning (xend-protocol.md §4.4), less the
// backquote, and every byte, bare or quoted, reads back as itself.
func TestSafeBytes(t *testing.T) {
	const special = "{}()<>[];#'\"`\\"
	for c := 0; c < 256; c++ {
		want := c > ' ' && c < 0x7f && !strings.ContainsRune(special, rune(c))
		if safe[c] != want {
			t.Errorf("safe[%q] = %v, want %v", byte(c), safe[c], want)
		}
		atom := string([]byte{byte(c)})
		back, err := ParseString(Quote(atom))
		if err != nil || back.IsList() || back.Value != atom {
			t.Errorf("%q printed as %s reads back as %v, %v", byte(c), Quote(atom), back, err)
		}
	}
}
