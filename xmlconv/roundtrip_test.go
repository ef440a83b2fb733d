package xmlconv

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xvirsh/sexpr"
)

// TestRoundTripXML takes each tosexpr fixture through both directions for
// every xend config format:
//
//	S1 = ToSexpr(fixture)   X1 = ToXML(S1)   S2 = ToSexpr(X1)   X2 = ToXML(S2)
//
// X1 is the fixture as xend would hand it back (libvirt's layout, units
// and defaults), so the fixture itself cannot be compared byte for byte;
// but from there on nothing may change: S2 must equal S1 (xend gets the
// same domain again) and X2 must equal X1 (dumpxml -> create -> dumpxml
// is stable). ToXML gets the (vm ...) tree as ToSexpr makes it and, for
// formats that have inactive domains, the (domain ...) form xend returns;
// both must agree.
func TestRoundTripXML(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "tosexpr", "*.xml"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	converted := 0
	for _, in := range inputs {
		data, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		for v := 1; v <= 4; v++ {
			name := fmt.Sprintf("%s/v%d", strings.TrimSuffix(filepath.Base(in), ".xml"), v)
			s1, err := ToSexpr(data, v)
			if err != nil {
				// The golden test pins which formats refuse which fixture.
				continue
			}
			converted++
			t.Run(name, func(t *testing.T) {
				x1 := toXMLBothRoots(t, s1, v)
				s2, err := ToSexpr([]byte(x1), v)
				if err != nil {
					t.Fatalf("ToSexpr(ToXML(S1)): %v\n%s", err, x1)
				}
				if !sexpr.Equal(s1, s2) {
					t.Fatalf("SEXPR changed on the way through XML\nS1 %s\nS2 %s\nX1:\n%s", s1, s2, x1)
				}
				if x2 := toXMLBothRoots(t, s2, v); x2 != x1 {
					t.Fatalf("XML changed\n--- X1 ---\n%s--- X2 ---\n%s", x1, x2)
				}
			})
		}
	}
	if converted == 0 {
		t.Fatal("no fixture converted in any format")
	}
}

func toXMLBothRoots(t *testing.T, vm *sexpr.Node, v int) string {
	t.Helper()
	x, err := ToXML(vm, Options{Version: v})
	if err != nil {
		t.Fatalf("ToXML((vm ...)): %v\n%s", err, vm)
	}
	// xend before 3.0.4 always reported a domid, which changes the XML
	// (id, vif names, VNC port); only later formats know inactive records.
	if v < xend304 {
		return x
	}
	dom := vm.Clone()
	dom.Kids[0] = sexpr.Atom("domain")
	xd, err := ToXML(dom, Options{Version: v})
	if err != nil {
		t.Fatalf("ToXML((domain ...)): %v", err)
	}
	if xd != x {
		t.Fatalf("ToXML differs between (vm ...) and (domain ...) roots\n--- vm ---\n%s--- domain ---\n%s", x, xd)
	}
	return x
}

// TestLimitsReadBack: whatever ToSexpr accepts at the edge of a bound,
// ToXML reads back, so a domain created with it can still be dumped; one
// step past the bound, ToSexpr refuses (TestToSexprErrors).
func TestLimitsReadBack(t *testing.T) {
	for _, tc := range []struct{ name, from, to string }{
		{"most vcpus", "<vcpu>2</vcpu>", "<vcpu>4096</vcpu>"},
		{"last cpu", "<vcpu>2</vcpu>", "<vcpu cpuset='0,4095'>2</vcpu>"},
		{"most memory", "<memory>430080</memory>", "<memory unit='MiB'>8796093022208</memory>"},
		{"highest rate", "<devices>", "<devices><interface type='bridge'><bandwidth><outbound average='4503599627370496'/></bandwidth></interface>"},
		{"empty cdrom", "<devices>", "<devices><disk type='file' device='cdrom'><target dev='xvdc'/></disk>"},
		{"coredump on crash", "<devices>", "<on_crash>coredump-destroy</on_crash><devices>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			xml := strings.Replace(string(pvDomain("")), tc.from, tc.to, 1)
			vm := mustToSexpr(t, []byte(xml), 4)
			if _, err := ToXML(vm, Options{}); err != nil {
				t.Errorf("ToXML of what ToSexpr sent: %v\n%s", err, vm)
			}
		})
	}
}
