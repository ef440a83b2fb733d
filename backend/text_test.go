package backend

import "testing"

func TestPrintable(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain text, ünïcode", "plain text, ünïcode"},
		{"\x1b[2Jgone", `\x1b[2Jgone`},
		{"bell\a cr\r tab\t nl\n", `bell\x07 cr\x0d tab\x09 nl\x0a`},
		{"del\x7f c1\u0085 bad\xff", `del\x7f c1\u0085 bad\xff`},
		{"rtl\u202eevil", `rtl\u202eevil`},
	} {
		if got := Printable(tt.in); got != tt.want {
			t.Errorf("Printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPrintableLines(t *testing.T) {
	in := "line one\n\tcaret ---^\x1b[2J\r"
	if got, want := PrintableLines(in), "line one\n\tcaret ---^\\x1b[2J\\x0d"; got != want {
		t.Errorf("PrintableLines(%q) = %q, want %q", in, got, want)
	}
}
