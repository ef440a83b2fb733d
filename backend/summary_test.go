package backend

import (
	"testing"

	"xvirsh/sexpr"
)

// TestSummaryShutdownReason: a 3.0.x record of a domain kept after its
// shutdown carries (shutdown_reason R) after its state (xend-protocol.md
// §4.1). The state comes from the flags alone, in libvirt's order (§4.2),
// as libvirt took it: whatever R says, or however it is spelt (xend names
// an unknown shutdown code '?'), a record with s is shut off and one
// without it is what its other flags say.
func TestSummaryShutdownReason(t *testing.T) {
	const head = "(domain (domid 3) (name kept) (uuid 00000000-0000-4000-8000-000000000004) (memory 64) (maxmem 64) (vcpus 1) "
	for _, tt := range []struct {
		tail string
		want State
		id   int
	}{
		{"(state ---s--) (shutdown_reason poweroff)", StateShutoff, -1},
		{"(state ---s--) (shutdown_reason reboot)", StateShutoff, -1},
		{"(state ---s--) (shutdown_reason suspend)", StateShutoff, -1},
		{"(state ---s--) (shutdown_reason halt)", StateShutoff, -1},
		{"(state ---sc-) (shutdown_reason crash)", StateCrashed, 3},
		{"(state ---s--) (shutdown_reason '?')", StateShutoff, -1},
		{"(state ---s--) (shutdown_reason)", StateShutoff, -1},
		{"(state ---s--) (shutdown_reason (poweroff))", StateShutoff, -1},
		{"(state ---s--) (shutdown_reason poweroff) (shutdown_reason reboot)", StateShutoff, -1},
		// The reason alone makes nothing shut off.
		{"(state -b----) (shutdown_reason poweroff)", StateBlocked, 3},
		{"(shutdown_reason poweroff) (state --p---)", StatePaused, 3},
	} {
		rec, err := sexpr.ParseString(head + tt.tail + ")")
		if err != nil {
			t.Fatal(err)
		}
		d, err := summary(rec)
		if err != nil {
			t.Errorf("%s: %v", tt.tail, err)
			continue
		}
		if d.State != tt.want || d.ID != tt.id {
			t.Errorf("%s: state %v id %d, want %v id %d", tt.tail, d.State, d.ID, tt.want, tt.id)
		}
	}
}
