package xmlconv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pmezard/go-difflib/difflib"

	"xvirsh/sexpr"
)

// txGoldenCases pair an input under testdata/toxml/ with a golden XML file
// of the case's name. Some inputs run in several xend config formats,
// because the output differs between them.
var txGoldenCases = []struct {
	name, input string
	opt         Options
}{
	{"hvm-full-v1", "hvm-full", Options{Version: 1}},
	{"hvm-full-v2", "hvm-full", Options{Version: 2}},
	{"hvm-full-v3", "hvm-full", Options{Version: 3}},
	{"hvm-full-v4", "hvm-full", Options{Version: 4}},
	{"hvm-full-live", "hvm-full", Options{TTY: "/dev/pts/7", VNCPort: 5999}},
	{"hvm-xend302-v1", "hvm-xend302", Options{Version: 1}},
	{"hvm-xend302-v4", "hvm-xend302", Options{}},
	{"hvm-direct-kernel", "hvm-direct-kernel", Options{}},
	{"hvm-old-loader-v2", "hvm-old-loader", Options{Version: 2}},
	{"pv-create", "pv-create", Options{}},
	{"pv-create-v3", "pv-create", Options{Version: 3}},
	{"pv-bootloader", "pv-bootloader", Options{TTY: "/dev/pts/3"}},
	{"pv-xend303-vnc-v2", "pv-xend303-vnc", Options{Version: 2}},
	{"dom0", "dom0", Options{}},
}

func txReadInput(t testing.TB, name string) *sexpr.Node {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "toxml", name+".sexpr"))
	if err != nil {
		t.Fatal(err)
	}
	root, err := sexpr.Parse(data)
	if err != nil {
		t.Fatalf("%s.sexpr: %v", name, err)
	}
	return root
}

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

func TestToXMLGolden(t *testing.T) {
	for _, tc := range txGoldenCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ToXML(txReadInput(t, tc.input), tc.opt)
			if err != nil {
				t.Fatalf("ToXML: %v", err)
			}
			path := filepath.Join("testdata", "toxml", tc.name+".xml")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				diff, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
					A: difflib.SplitLines(string(want)), B: difflib.SplitLines(got),
					FromFile: path, ToFile: "ToXML", Context: 2,
				})
				t.Errorf("output differs from %s:\n%s", path, diff)
			}
		})
	}
}

// TestToXMLGoldenSchema runs libvirt's own validator over every golden
// file, so the XML is something libvirt (and virsh define) would accept.
func TestToXMLGoldenSchema(t *testing.T) {
	validator, err := exec.LookPath("virt-xml-validate")
	if err != nil {
		t.Skip("virt-xml-validate not installed")
	}
	if testing.Short() {
		t.Skip("slow: one validator process per file")
	}
	for _, tc := range txGoldenCases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join("testdata", "toxml", tc.name+".xml")
			out, err := exec.Command(validator, path, "domain").CombinedOutput()
			if err != nil {
				t.Errorf("%s does not validate: %v\n%s", path, err, out)
			}
		})
	}
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
