package commands

import "xvirsh/backend"

// listOpts are virsh list's options, in its order. The filter flags
// (virsh-domain-monitor.c cmdList) come in pairs or groups, each of which
// filters only when some but not all of its members are given, as
// libvirt's virConnectListAllDomains flags do. The table is static data
// the linker lays out: built on each lookup of the command, it was an
// allocation of a size class of its own in every one-shot list.
var listOpts = []Opt{
	{Name: "inactive", Kind: KindBool, Help: "list inactive domains"},
	{Name: "all", Kind: KindBool, Help: "list inactive & active domains"},
	{Name: "transient", Kind: KindBool, Help: "list transient domains"},
	{Name: "persistent", Kind: KindBool, Help: "list persistent domains"},
	{Name: "with-snapshot", Kind: KindBool, Help: "list domains with existing snapshot"},
	{Name: "without-snapshot", Kind: KindBool, Help: "list domains without a snapshot"},
	{Name: "with-checkpoint", Kind: KindBool, Help: "list domains with existing checkpoint"},
	{Name: "without-checkpoint", Kind: KindBool, Help: "list domains without a checkpoint"},
	{Name: "state-running", Kind: KindBool, Help: "list domains in running state"},
	{Name: "state-paused", Kind: KindBool, Help: "list domains in paused state"},
	{Name: "state-shutoff", Kind: KindBool, Help: "list domains in shutoff state"},
	{Name: "state-other", Kind: KindBool, Help: "list domains in other states"},
	{Name: "autostart", Kind: KindBool, Help: "list domains with autostart enabled"},
	{Name: "no-autostart", Kind: KindBool, Help: "list domains with autostart disabled"},
	{Name: "with-managed-save", Kind: KindBool, Help: "list domains with managed save state"},
	{Name: "without-managed-save", Kind: KindBool, Help: "list domains without managed save"},
	{Name: "uuid", Kind: KindBool, Help: "list uuid's only"},
	{Name: "name", Kind: KindBool, Help: "list domain names only"},
	{Name: "id", Kind: KindBool, Help: "list domain IDs only"},
	{Name: "table", Kind: KindBool, Help: "list table (default)"},
	// No xend domain has a managed save image: nothing to mark.
	{Name: "managed-save", Kind: KindBool, Help: "mark inactive domains with managed save state"},
	{Name: "title", Kind: KindBool, Help: "show domain title"},
}

// never is the property xend gives no domain: snapshots, checkpoints and
// managed save images are libvirt's, and xend keeps none of them.
func never(backend.Domain) bool { return false }

// listActivity is which domains list asks the host for: running ones by
// default, inactive ones with --inactive or --state-shutoff, both with
// --all (virsh sets the activity flags in that order).
func listActivity(inv *Invocation) backend.ListFilter {
	switch {
	case inv.Bool("all"):
		return backend.ListAll
	case inv.Bool("inactive") || inv.Bool("state-shutoff"):
		return backend.ListInactive
	}
	return backend.ListActive
}

// listPair is a pair of filter flags: a keeps the domains isA accepts, b
// the others. brief says isA reads no more of a domain than a brief
// listing gives (backend.ListBrief).
type listPair struct {
	a, b  string
	isA   func(backend.Domain) bool
	brief bool
}

var listPairs = []listPair{
	{a: "persistent", b: "transient", isA: func(d backend.Domain) bool { return d.Persistent }, brief: true},
	{a: "autostart", b: "no-autostart", isA: func(d backend.Domain) bool { return d.Autostart }},
	{a: "with-snapshot", b: "without-snapshot", isA: never, brief: true},
	{a: "with-checkpoint", b: "without-checkpoint", isA: never, brief: true},
	{a: "with-managed-save", b: "without-managed-save", isA: never, brief: true},
}

// filters reports whether the pair filters: some but not all of it given.
func (p listPair) filters(inv *Invocation) bool { return inv.Bool(p.a) != inv.Bool(p.b) }

// listDetail is how much of each domain list reads, as a filter's
// ListBrief and ListUUID: the table's columns (the title is always empty
// on xend), --name and --id need a domain's id, name and state, --uuid
// its UUID as well, and the state group its state; only a filter pair
// may read more. On xend a brief listing saves a request per domain that
// is not running.
func listDetail(inv *Invocation) backend.ListFilter {
	for _, p := range listPairs {
		if p.filters(inv) && !p.brief {
			return 0
		}
	}
	if inv.Bool("uuid") {
		return backend.ListBrief | backend.ListUUID
	}
	return backend.ListBrief
}

// listKeeps returns the filter the flags other than activity make. The
// state group matches libvirt's states exactly: "running" is running
// only, so an idle (blocked) Xen guest, like one in shutdown or crashed,
// is "other".
func listKeeps(inv *Invocation) func(backend.Domain) bool {
	var keep []func(backend.Domain) bool
	for _, p := range listPairs {
		if !p.filters(inv) {
			continue
		}
		a := inv.Bool(p.a)
		isA := p.isA
		keep = append(keep, func(d backend.Domain) bool { return isA(d) == a })
	}
	states := map[string]bool{}
	for _, s := range []string{"state-running", "state-paused", "state-shutoff", "state-other"} {
		if inv.Bool(s) {
			states[s] = true
		}
	}
	if len(states) > 0 {
		keep = append(keep, func(d backend.Domain) bool {
			switch d.State {
			case backend.StateRunning:
				return states["state-running"]
			case backend.StatePaused:
				return states["state-paused"]
			case backend.StateShutoff:
				return states["state-shutoff"]
			}
			return states["state-other"]
		})
	}
	return func(d backend.Domain) bool {
		for _, k := range keep {
			if !k(d) {
				return false
			}
		}
		return true
	}
}

// filterDomains keeps the domains keep accepts, in place.
func filterDomains(doms []backend.Domain, keep func(backend.Domain) bool) []backend.Domain {
	out := doms[:0]
	for _, d := range doms {
		if keep(d) {
			out = append(out, d)
		}
	}
	return out
}
