package xendrules

import "strings"

// How GET /xend/domain selects domains (xend-protocol.md §2.1).
//
// xend 3.0.x (config formats 1 and 2, no managed domains) answers every
// listing with the names of every live domain: detail and state are
// ignored. From 3.0.4/3.1 on (formats 3 and 4), the names branch filters
// on ?state= (running by default, so paused domains are missing from a
// plain GET; "all" lists every one), while ?detail=1 prints the records of
// the running domains and ignores state altogether
// (SrvDomainDir.ls_domain: map(sxpr, xd.list()), and xd.list() defaults to
// running).
const (
	// StateAll is the ?state= value that lists every domain.
	StateAll = "all"
	// DefaultState is what a listing without ?state= selects.
	DefaultState = "running"
)

// HasManagedDomains reports whether xend of this config format keeps
// managed (defined, possibly halted) domains: 3.0.4 and later.
func HasManagedDomains(format int) bool { return format >= 3 }

// DetailHonoured reports whether ?detail=1 gives records rather than
// names at this config format.
func DetailHonoured(format int) bool { return format >= 3 }

// WantsDetail is ls_domain's test: detail is exactly ['1'].
func WantsDetail(detail []string) bool { return len(detail) == 1 && detail[0] == "1" }

// StateListed reports whether a names listing with ?state=state includes
// a domain in power state p (formats 3 and 4). The comparison is xend's:
// the argument lower-cased against the lower-cased state name.
func StateListed(state string, p PowerState) bool {
	s := strings.ToLower(state)
	return s == StateAll || s == p.Name()
}

// DetailListed reports whether ?detail=1 includes a domain in power state
// p (formats 3 and 4): only running ones, whatever ?state= says.
func DetailListed(p PowerState) bool { return p == Running }

// Dom0Name is the name xend gives the control domain, domid 0, whatever
// its config says (XendDomainInfo's dom0 set-up).
const Dom0Name = "Domain-0"

// NamedStates are the ?state= values that together name every domain a
// format 3 or 4 xend holds, each once: xend's power-state names, with
// "unknown" (what 3.1 calls a crashed domain) and without the second
// "halted" of a domain shutting down, which the first already lists.
var NamedStates = []PowerState{Running, Paused, Halted, Suspended, Crashed, Unknown}

// ShutOff reports whether a domain xend names under power state p lists
// as shut off, with no id, so that its name is all a listing needs of it:
// a halted or suspended domain has no domid (§4.2 item 1: domid only
// while it runs), and one shutting down, which xend names "halted" too
// (§2.1), is in that state for the shutdown flag its record carries,
// which libvirt reads as shut off (§4.2).
func (p PowerState) ShutOff() bool { return p == Halted || p == Suspended || p == ShuttingDown }

// Live reports whether a domain xend names under power state p has a
// domid, so lists as active: running or paused. Its id, and running, idle
// or paused, are in its record only (§4.2 items 1 and 10).
func (p PowerState) Live() bool { return p == Running || p == Paused }

// StatesWhere are the NamedStates that can hold a domain listed as active
// (active) or as shut off (inactive): Live states for the one, ShutOff
// states for the other, and for either the rest (crashed, unknown), where
// only the record tells.
func StatesWhere(active, inactive bool) []PowerState {
	var out []PowerState
	for _, p := range NamedStates {
		if active && !p.ShutOff() || inactive && !p.Live() {
			out = append(out, p)
		}
	}
	return out
}
