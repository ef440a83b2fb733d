package backend

import "context"

// Arrivals is a server's word to its host about which requests had
// arrived when the host last made sure that what it holds is current (a
// host kept in a directory checks the directory's stamp, three system
// calls, before each read). A request that had arrived by then may be
// answered from that check: its answer is the state at a moment between
// its arrival and its answer, which is all a client can ask. So a window
// of pipelined requests read in one go costs one check, not one each.
//
// One connection's requests, one goroutine: an Arrivals is not safe for
// concurrent use. The server calls More each time it reads more from its
// client; requests handled between two calls share one check.
type Arrivals struct {
	input   uint64 // reads from the client so far
	checked uint64 // input when the host checked
	host    any    // which host checked
	version any    // what it held then, in its own terms
	valid   bool
}

// More notes new input from the client: requests in it arrived after
// any check made so far.
func (a *Arrivals) More() { a.input++ }

// Covered reports whether host found version current since the last
// input; false for a nil a.
func (a *Arrivals) Covered(host, version any) bool {
	return a != nil && a.valid && a.checked == a.input && a.host == host && a.version == version
}

// Cover records that host found version current now.
func (a *Arrivals) Cover(host, version any) {
	if a != nil {
		a.checked, a.host, a.version, a.valid = a.input, host, version, true
	}
}

type arrivalsKey struct{}

// WithArrivals returns a context carrying a, for the host's reads.
func WithArrivals(ctx context.Context, a *Arrivals) context.Context {
	return context.WithValue(ctx, arrivalsKey{}, a)
}

// ArrivalsOf is the Arrivals in ctx, or nil.
func ArrivalsOf(ctx context.Context) *Arrivals {
	a, _ := ctx.Value(arrivalsKey{}).(*Arrivals)
	return a
}
