package xmlconv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xvirsh/xmlconv/xmcfg"
)

// FuzzXMRoundTrip: whatever an xm file holds, reading it never panics;
// a file that converts gives XML that converts to a file that reads back.
// The xm writer loses by design what it cannot write (a PV device_model,
// hap and viridian before format 3, the place of a format 1 cdrom;
// xm-config.md §2, §3.8, §5.3), so the XML of the second round must be a
// fixed point of the next; TestXMRoundTrip holds real files to identity.
func FuzzXMRoundTrip(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/xm/*.cfg")
	corpus, _ := filepath.Glob("../../shared/conformance/corpus/xmconfig/*.cfg")
	for _, p := range append(seeds, corpus...) {
		if b, err := os.ReadFile(p); err == nil {
			for v := 1; v <= 4; v++ {
				f.Add(b, v)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte, v int) {
		v = 1 + (v%4+4)%4
		c, err := xmcfg.Parse(src, "fuzz.cfg")
		if err != nil {
			return
		}
		x1, err := XMToXML(c, Options{Version: v})
		if err != nil {
			return
		}
		if strings.Contains(x1, "<type>hvm</type>") && !strings.Contains(x1, "<loader>") {
			// kernel = "": the writer leaves an empty loader out (§3.5 F),
			// and xm cannot start such a guest either.
			return
		}
		round := func(x string) (string, bool) {
			c2, err := ToXM([]byte(x), v)
			if err != nil {
				return "", false // what the format cannot carry is refused
			}
			b, err := c2.Marshal()
			if err != nil {
				return "", false // a value no quote can hold (§1.5)
			}
			c3, err := xmcfg.Parse(b, "fuzz2.cfg")
			if err != nil {
				t.Fatalf("written file does not read: %v\n%s", err, b)
			}
			x2, err := XMToXML(c3, Options{Version: v})
			if err != nil {
				t.Fatalf("written file does not convert: %v\n%s\nfrom:\n%s", err, b, x)
			}
			return x2, true
		}
		x2, ok := round(x1)
		if !ok {
			return
		}
		x3, ok := round(x2)
		if !ok {
			t.Fatalf("v%d: second round refused\n%s", v, x2)
		}
		if want, got := x2, x3; want != got {
			t.Fatalf("v%d round trip differs\ncfg:\n%s\nbefore:\n%s\nafter:\n%s", v, src, want, got)
		}
	})
}
