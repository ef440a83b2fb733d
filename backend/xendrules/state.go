package xendrules

import "strings"

// Flags is the six-letter state string of a running domain's record,
// rbpscd, one position per flag, '-' when clear (xend-protocol.md §4.2).
type Flags struct {
	Running, Blocked, Paused, Shutdown, Crashed, Dying bool
}

// FlagLetters are the letters of the state string, in their positions.
const FlagLetters = "rbpscd"

// String prints the flags as xend does, e.g. -b---- or --p---.
func (f Flags) String() string {
	set := [6]bool{f.Running, f.Blocked, f.Paused, f.Shutdown, f.Crashed, f.Dying}
	b := []byte("------")
	for i, on := range set {
		if on {
			b[i] = FlagLetters[i]
		}
	}
	return string(b)
}

// ParseFlags reads a state string. Like libvirt, it looks for each letter
// anywhere in the string rather than trusting the positions.
func ParseFlags(s string) Flags {
	has := func(c byte) bool { return strings.IndexByte(s, c) >= 0 }
	return Flags{has('r'), has('b'), has('p'), has('s'), has('c'), has('d')}
}

// PowerState is the number xend puts in a record's (status N) from 3.0.4
// on (xend-protocol.md §4.2 item 8).
type PowerState int

const (
	Halted       PowerState = 0
	Paused       PowerState = 1
	Running      PowerState = 2
	Suspended    PowerState = 3
	ShuttingDown PowerState = 4
	Crashed      PowerState = 5 // "unknown" in 3.1, crashed from 3.2
	Unknown      PowerState = 6
)

// powerStateNames is xend's POWER_STATE_NAMES, lower-cased as the domain
// listing compares them: a domain shutting down is "halted" (§2.1).
var powerStateNames = [...]string{"halted", "paused", "running", "suspended", "halted", "crashed", "unknown"}

// Name is the name ?state= compares against.
func (p PowerState) Name() string {
	if p < 0 || int(p) >= len(powerStateNames) {
		return "unknown"
	}
	return powerStateNames[p]
}
