package xmlconv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"xvirsh/sexpr"
)

// FuzzToXML feeds arbitrary S-expressions to ToXML in every format: it
// must never panic, and whatever it accepts must come out as one
// well-formed <domain> document ending in a newline.
func FuzzToXML(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "toxml", "*.sexpr"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(string(b))
		}
	}
	f.Add(txBenchHVM)
	f.Add(txHVM("(serial (pty (none /dev/ttyS1)) none) (parallel 'udp:@:') (boot '')", "(device (vbd (dev ':cdrom')))"))
	f.Add(txPV("(device (pci (dev (domain 0x10000) (bus -1))))(vcpu_avail -1)(cpus (()))"))
	f.Fuzz(func(t *testing.T, src string) {
		root, err := sexpr.ParseString(src)
		if err != nil {
			return
		}
		for v := 1; v <= 4; v++ {
			out, err := ToXML(root, Options{Version: v, TTY: "/dev/pts/1", VNCPort: 5901})
			if err != nil {
				if err.Error() == "" {
					t.Fatalf("empty error message for %s", src)
				}
				continue
			}
			if !strings.HasSuffix(out, "</domain>\n") {
				t.Fatalf("output does not end in </domain>\\n:\n%s", out)
			}
			doc := etree.NewDocument()
			if err := doc.ReadFromString(out); err != nil {
				t.Fatalf("output is not XML: %v\n%s", err, out)
			}
			if doc.Root() == nil || doc.Root().Tag != "domain" {
				t.Fatalf("root element is not <domain>:\n%s", out)
			}
		}
	})
}
