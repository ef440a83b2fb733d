package backend

import (
	"context"
	"sort"
	"strings"

	"xvirsh/backend/internal/hugeheap"
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
//
// The requests are reads, so their order means nothing to xend, and the
// ?detail=1 reply, megabytes at 10,000 domains, takes xend as long to
// print as hundreds of single records: it is read alongside the names
// listings, one after the other, and the fetches of each state's domains
// as soon as that state's names are in (byStateOverlap).
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
	list := b.x.Domains
	bx, brief := b.x.(BriefXend)
	if brief {
		list = bx.BriefDomains
	}
	var detailed bool
	var names []xendrules.PowerState
	for _, p := range xendrules.StatesWhere(filter&ListActive != 0, filter&ListInactive != 0) {
		if xendrules.DetailHonoured(format) && xendrules.DetailListed(p) {
			detailed = true
		} else {
			names = append(names, p)
		}
	}
	if !detailed {
		list = nil
	}
	recs, named, err = byStateOverlap(ctx, list, fetcherOf(b.x, brief), b.x.DomainNames, names, filter&ListUUID != 0)
	return recs, named, true, err
}

// heapPerFetched is about how much heap a listing builds for each domain
// it fetches on its own: the reply's head, its brief record and the row
// (12.6 MB for 10,000 domains through xend-sim, 3,333 of them fetched).
const heapPerFetched = 2 << 10

// byStateOverlap is byState's exchanges: list (nil for none) for the
// records of the states ?detail=1 lists, names for each of states, fetch
// for the domains whose name is not enough (not shut off, or uuid wanted).
//
// What comes back is what asking one state after the other gives, in the
// same order, deduplicated the same way. A domain named under two states
// (it changed state between two listings) is taken as the first of them
// in xendrules.NamedStates' order, where the states ?detail=1 lists
// (running) come first: so the detail records win over every name, then
// each names listing over those after it. Only the first is
// deterministic before the detail reply is in: a domain that left
// running for paused meanwhile may be fetched and then dropped.
//
// A failure is the one asking in order would meet first: the detail
// listing's, then each names listing's in order. So a failing request
// ends (cancels) only those after it, and the detail listing, which comes
// before all, is waited for even when a names listing fails.
func byStateOverlap(ctx context.Context,
	list func(context.Context) ([]*sexpr.Node, error),
	fetch fetcher,
	names func(context.Context, string) ([]string, error),
	states []xendrules.PowerState, uuid bool) (recs []*sexpr.Node, named []Domain, err error) {
	// rest is everything after the detail listing, fetches everything
	// after the names listing being fetched from.
	rest, cancelRest := context.WithCancel(ctx)
	defer cancelRest()
	fetches, cancelFetches := context.WithCancel(rest)
	defer cancelFetches()

	var listErr error
	listed := make(chan struct{})
	if list != nil {
		go func() {
			defer close(listed)
			if recs, listErr = list(ctx); listErr != nil {
				cancelRest()
			}
		}()
	} else {
		close(listed)
	}

	// What a names listing gives, deduplicated against the listings of
	// the states before it: the domains its names say enough of, and
	// those to fetch.
	type stateNames struct {
		named   []Domain
		missing []string
		err     error
	}
	// Buffered for every state: the goroutine never waits on a reader
	// that has stopped reading. It sorts each listing out itself, while
	// the reader fetches the states before.
	got := make(chan stateNames, len(states))
	go func() {
		defer close(got)
		seen := map[string]bool{}
		for _, p := range states {
			ns, err := names(rest, p.Name())
			if err != nil {
				got <- stateNames{err: err}
				cancelFetches()
				return
			}
			var sn stateNames
			for _, n := range ns {
				if seen[n] {
					continue // it changed state between two listings
				}
				seen[n] = true
				if p.ShutOff() && !uuid {
					sn.named = append(sn.named, namedDomain(n, p))
				} else {
					sn.missing = append(sn.missing, n)
				}
			}
			// Each domain to fetch is a record read and kept.
			hugeheap.Expect(int64(len(sn.missing)) * heapPerFetched)
			got <- sn
		}
	}()

	// The first failure in asking order past the detail listing: a names
	// listing's, or a fetch's (xend gone, or the command's own end:
	// Ctrl-C, its deadline). A fetch stopped by a later failure (ours) is
	// not one: that failure comes through got, or is listErr.
	var seqErr error
	var fetched []*sexpr.Node
	for sn := range got {
		if seqErr != nil {
			continue // drained: the goroutine ends with its cancelled requests
		}
		if sn.err != nil {
			seqErr = sn.err
			continue
		}
		named = append(named, sn.named...)
		f, err := fetchAll(fetches, sn.missing, fetch)
		if err != nil {
			if ctx.Err() != nil || fetches.Err() == nil {
				seqErr = err
			}
			continue
		}
		fetched = append(fetched, f...)
	}
	<-listed
	if listErr != nil {
		return nil, nil, listErr
	}
	if seqErr != nil {
		return nil, nil, seqErr
	}

	if len(recs) == 0 {
		return fetched, named, nil
	}
	running := make(map[string]bool, len(recs))
	kept := recs[:0]
	var atoms []string
	for _, it := range recs {
		if it.IsList() {
			kept = append(kept, it)
			running[it.Get("name")] = true
		} else {
			atoms = append(atoms, it.Value)
		}
	}
	recs = kept
	if len(atoms) > 0 {
		// A name where a running domain's record belongs (xend 3.0.x
		// answers ?detail=1 so; a 3.1 xend should not): no names
		// listing asked here names a running domain, so it is fetched,
		// unless another listing gave it.
		given := make(map[string]bool, len(named)+len(fetched))
		for _, d := range named {
			given[d.Name] = true
		}
		for _, r := range fetched {
			given[r.Get("name")] = true
		}
		var missing []string
		for _, n := range atoms {
			if !running[n] && !given[n] {
				given[n] = true
				missing = append(missing, n)
			}
		}
		f, err := fetchAll(ctx, missing, fetch)
		if err != nil {
			return nil, nil, err
		}
		for _, r := range f {
			running[r.Get("name")] = true
		}
		recs = append(recs, f...)
	}
	for _, r := range fetched {
		if !running[r.Get("name")] {
			recs = append(recs, r)
		}
	}
	keptNamed := named[:0]
	for _, d := range named {
		if !running[d.Name] {
			keptNamed = append(keptNamed, d)
		}
	}
	return recs, keptNamed, nil
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
