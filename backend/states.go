package backend

import (
	"context"
	"sort"
	"strings"

	"xvirsh/backend/xendrules"
)

// DomainStates names the domains and their states as cheaply as the host
// allows, for the shell's completion, which refreshes its list after
// every command: from xend 3.1 on, one names listing per power state
// (GET /xend/domain?state=S, xend-protocol.md §2.1), a few hundred bytes
// where a listing of records would be megabytes and thousands of requests
// at 10,000 domains. What it cannot tell is an active domain's domid, so
// those come with ID -1 (0 for Domain-0) and sorted by name: completion
// needs neither more nor their order, and readline lists its matches
// sorted anyway. A host that can only answer with records (xend 3.0.x,
// which ignores ?state=) or that holds them in hand (the fake host) gives
// List(ListAll).
func DomainStates(ctx context.Context, b Backend) ([]Domain, error) {
	if s, ok := b.(stateNamer); ok {
		return s.domainStates(ctx)
	}
	return b.List(ctx, ListAll)
}

type stateNamer interface {
	domainStates(ctx context.Context) ([]Domain, error)
}

func (r *readOnly) domainStates(ctx context.Context) ([]Domain, error) {
	return DomainStates(ctx, r.b)
}

func (b *domains) domainStates(ctx context.Context) ([]Domain, error) {
	if _, ok := b.x.(BulkXend); ok {
		return b.List(ctx, ListAll)
	}
	format, err := b.ConfigFormat(ctx)
	if err != nil {
		return nil, err
	}
	if !xendrules.HasManagedDomains(format) {
		return b.List(ctx, ListAll)
	}
	var out []Domain
	seen := map[string]bool{}
	for _, p := range xendrules.NamedStates {
		names, err := b.x.DomainNames(ctx, p.Name())
		if err != nil {
			return nil, err
		}
		st := namedState(p)
		for _, n := range names {
			if seen[n] {
				continue // it changed state between two listings
			}
			seen[n] = true
			d := Domain{ID: -1, Name: n, State: st, Persistent: !st.Active()}
			if n == xendrules.Dom0Name && st.Active() {
				d.ID = 0
			}
			out = append(out, d)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.State.Active() != b.State.Active() {
			return a.State.Active()
		}
		if la, lb := strings.ToLower(a.Name), strings.ToLower(b.Name); la != lb {
			return la < lb
		}
		return a.Name < b.Name
	})
	return out, nil
}

// namedState is the virsh state of a domain xend names under power state
// p: "running" covers xend's running and blocked flags alike.
func namedState(p xendrules.PowerState) State {
	switch p {
	case xendrules.Running:
		return StateRunning
	case xendrules.Paused:
		return StatePaused
	case xendrules.Crashed, xendrules.Unknown:
		return StateCrashed
	}
	return StateShutoff
}
