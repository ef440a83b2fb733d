package backend

import (
	"context"
	"sort"
	"strings"

	"xvirsh/backend/xendrules"
	"xvirsh/sexpr"
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
		for _, n := range names {
			if seen[n] {
				continue // it changed state between two listings
			}
			seen[n] = true
			out = append(out, namedDomain(n, p))
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

// namedDomain is what xend's naming of n under power state p says of it.
func namedDomain(n string, p xendrules.PowerState) Domain {
	st := namedState(p)
	d := Domain{ID: -1, Name: n, State: st, Persistent: !st.Active()}
	if n == xendrules.Dom0Name && st.Active() {
		d.ID = 0
	}
	return d
}

// byState is a brief listing (ListBrief) in the fewest requests xend
// allows, from a xend that names its domains by power state (format 3 on,
// xend-protocol.md §2.1): the running domains' records come in one
// ?detail=1 reply; a domain named halted or suspended lists as shut off
// with no id (xendrules.PowerState.ShutOff), so its name is enough unless
// its UUID is read (ListUUID); only the others (paused, crashed, unknown)
// are fetched one by one, for their domid. A state the filter's activity
// leaves out is not asked about (xendrules.StatesWhere). ok is false for
// a host that holds its records in hand (BulkXend) and for xend 3.0.x,
// which ignores ?state=: List's usual way then.
func (b *domains) byState(ctx context.Context, filter ListFilter) (recs []*sexpr.Node, named []Domain, ok bool, err error) {
	if _, bulk := b.x.(BulkXend); bulk {
		return nil, nil, false, nil
	}
	format, err := b.ConfigFormat(ctx)
	if err != nil {
		return nil, nil, true, err
	}
	if !xendrules.HasManagedDomains(format) {
		return nil, nil, false, nil
	}
	list, one := b.x.Domains, b.x.Domain
	if bx, brief := b.x.(BriefXend); brief {
		list, one = bx.BriefDomains, bx.BriefDomain
	}
	seen := map[string]bool{}
	var missing []string
	for _, p := range xendrules.StatesWhere(filter&ListActive != 0, filter&ListInactive != 0) {
		if xendrules.DetailHonoured(format) && xendrules.DetailListed(p) {
			items, err := list(ctx)
			if err != nil {
				return nil, nil, true, err
			}
			for _, it := range items {
				if it.IsList() {
					recs = append(recs, it)
					seen[it.Get("name")] = true
				}
			}
			continue
		}
		names, err := b.x.DomainNames(ctx, p.Name())
		if err != nil {
			return nil, nil, true, err
		}
		for _, n := range names {
			if seen[n] {
				continue // it changed state between two listings
			}
			seen[n] = true
			if p.ShutOff() && filter&ListUUID == 0 {
				named = append(named, namedDomain(n, p))
			} else {
				missing = append(missing, n)
			}
		}
	}
	fetched, err := fetchAll(ctx, missing, one)
	if err != nil {
		return nil, nil, true, err
	}
	return append(recs, fetched...), named, true, nil
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
