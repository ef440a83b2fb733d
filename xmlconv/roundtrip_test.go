package xmlconv

import (
	"strings"
	"testing"

	"xvirsh/sexpr"
)

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
