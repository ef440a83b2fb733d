package xmlconv

import (
	"regexp"
	"testing"
)

// txRuntimeOnly matches what only a running domain has: its id and the
// vif names derived from it.
var txRuntimeOnly = regexp.MustCompile(` id='\d+'|\n *<target dev='vif\d+\.\d+'/>`)

// TestToXMLRoundTrip: dumpxml -> create -> dumpxml. Each toxml fixture goes
// X1 = ToXML(S), S2 = ToSexpr(X1), X2 = ToXML(S2), and X2 must equal X1
// but for the domain id and the vif names a running domain has.
func TestToXMLRoundTrip(t *testing.T) {
	for _, tc := range txGoldenCases {
		if tc.opt.TTY != "" || tc.opt.VNCPort != 0 || tc.input == "dom0" {
			continue // live-only data, or nothing to create
		}
		if tc.opt.Version == 1 {
			// xend 3.0.2 takes only (vnc 1): the VNC port, listen address
			// and keymap of X1 have no way into S2.
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			x1, err := ToXML(txReadInput(t, tc.input), tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			s2, err := ToSexpr([]byte(x1), tc.opt.Version)
			if err != nil {
				t.Fatalf("ToSexpr: %v\n%s", err, x1)
			}
			x2, err := ToXML(s2, tc.opt)
			if err != nil {
				t.Fatalf("ToXML(ToSexpr(X1)): %v\n%s", err, s2)
			}
			if a, b := txRuntimeOnly.ReplaceAllString(x1, ""), txRuntimeOnly.ReplaceAllString(x2, ""); a != b {
				t.Errorf("XML changed on the way through xend's format\nS2 %s\n--- X1 ---\n%s--- X2 ---\n%s", s2, a, b)
			}
		})
	}
}
