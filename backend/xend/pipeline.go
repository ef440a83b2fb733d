package xend

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"xvirsh/backend"
	"xvirsh/backend/xendhttp"
	"xvirsh/sexpr"
)

// A listing fetches the record of every domain the detail listing leaves
// out, one GET each: xend has no batch form (xend-protocol.md §2.1). At
// thousands of domains, waiting for each answer before the next request
// left both sides idle between them and made four system calls and two
// wake-ups per domain on each. So those GETs are pipelined: written a
// window at a time over a few kept-open connections, their answers read
// in order as they come.
//
// xend allows it. It keeps a connection open when asked (§1.4) and reads
// the requests on it from one buffered file, in a loop, one request after
// the other (xen/web/httpserver.py's RequestProcessor), so a request
// written before the previous answer came is simply the next one read.
// HTTP/1.1 allows it for requests that change nothing (RFC 9112 §9.3.2).
// What it has to survive:
//   - a server that closes a connection after any answer (one that does
//     not keep connections, a restart): what it left unanswered is sent
//     again on a new connection, as a GET changes nothing;
//   - a request whose answer never comes because the server dropped the
//     connection at it: on a fresh connection that is that domain's
//     failure alone, and the rest go on;
//   - no connection at all, or a server that stops answering within the
//     client's timeout: that ends the batch with one error, not one per
//     domain.

// pipeConns is how many connections a batch uses; pipeDepth how many
// requests may wait for their answers on one. A window of pipeDepth/2
// requests is written while the other half is answered, so neither side
// waits; what is in flight stays a few kilobytes each way, which the
// sockets' buffers hold whatever the other side does, so neither side's
// write ever waits on the other's.
const (
	pipeConns = 2
	pipeDepth = 32
)

// BriefDomainsOf is Domain cut to a brief record for each of refs, over
// pipelined connections: recs[i] and errs[i] are refs[i]'s (a record, or
// the error of that domain alone: not found, xend.err, a reply that does
// not read). err is what ended the whole batch: no
// connection to xend, xend not answering within the timeout, or ctx.
func (c *Client) BriefDomainsOf(ctx context.Context, refs []string) (recs []*sexpr.Node, errs []error, err error) {
	b := &batch{c: c, paths: make([]string, len(refs)), recs: make([]*sexpr.Node, len(refs)), errs: make([]error, len(refs)),
		header: requestHeader(nil, true)}
	for i, ref := range refs {
		p, err := domainPath(ref)
		if err == nil {
			if terr := checkTarget(p); terr != nil {
				err = &Error{Method: "GET", Path: p, Msg: "bad request: " + terr.Error(), Err: terr}
			}
		}
		b.paths[i], b.errs[i] = p, err
	}
	ctx, b.cancel = context.WithCancelCause(ctx)
	defer b.cancel(nil)
	var wg sync.WaitGroup
	for range min(pipeConns, len(refs)) {
		wg.Go(func() { b.run(ctx) })
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, nil, err
	}
	return b.recs, b.errs, nil
}

// batch is one BriefDomainsOf: which requests are taken, and what came.
type batch struct {
	c      *Client
	paths  []string
	recs   []*sexpr.Node
	errs   []error         // set before the requests for a ref with no path
	header xendhttp.Header // every request's: they keep the connection
	next   atomic.Int64
	cancel context.CancelCauseFunc
}

// claim takes the next request no connection has taken yet.
func (b *batch) claim() (int, bool) {
	for {
		i := int(b.next.Add(1) - 1)
		if i >= len(b.paths) {
			return 0, false
		}
		if b.errs[i] == nil {
			return i, true
		}
	}
}

// run is one connection's share: a connection at a time, until nothing is
// left to claim or the batch ends.
func (b *batch) run(ctx context.Context) {
	bb := backend.NewBriefBuilder(len(b.paths))
	var redo []int
	for {
		if len(redo) == 0 {
			i, ok := b.claim()
			if !ok {
				return
			}
			redo = append(redo, i)
		}
		if ctx.Err() != nil {
			return
		}
		wc := b.c.wire.get()
		if wc == nil {
			var err error
			if wc, err = b.c.wire.dial(ctx); err != nil {
				b.cancel(b.c.transportError(&Error{Method: "GET", Path: b.paths[redo[0]]}, ctx, ctx, err, false))
				return
			}
		}
		redo = b.on(ctx, wc, redo, bb)
	}
}

// on sends redo's requests over wc, then new ones as it claims them, and
// reads the answers in order, building their records with bb. It returns
// the requests left unanswered when the connection ended early, for
// another connection; nil once everything it took is answered (wc is then
// back in the pool) or the batch has ended.
func (b *batch) on(ctx context.Context, wc *wireConn, redo []int, bb *backend.BriefBuilder) []int {
	watch := context.AfterFunc(ctx, func() { wc.nc.SetDeadline(time.Unix(1, 0)) })
	var q []int // sent, not yet answered, oldest first
	answered := 0
	// left closes wc and gives back what it leaves: unanswered, then
	// never sent.
	left := func(unanswered []int) []int {
		watch()
		wc.nc.Close()
		if ctx.Err() != nil {
			return nil
		}
		return append(unanswered, redo...)
	}
	fill := func() error {
		for len(q) < pipeDepth {
			var i int
			if len(redo) > 0 {
				i, redo = redo[0], redo[1:]
			} else if j, ok := b.claim(); ok {
				i = j
			} else {
				break
			}
			xendhttp.BufferRequest(wc.bw, "GET", b.paths[i]+"?detail=1", b.header, nil)
			q = append(q, i)
		}
		// Each window has the client's timeout to be answered.
		wc.nc.SetDeadline(time.Now().Add(b.c.timeout))
		return wc.bw.Flush()
	}
	// A write that fails is not the end: a server that closes after an
	// answer (or at a request) may have answered what came before, and
	// its answers are read first. Nothing more is written, and the
	// reads find where the connection ends.
	writable := fill() == nil
	for len(q) > 0 {
		if _, err := wc.br.Peek(1); err != nil {
			return b.broken(ctx, wc, q, answered, err, left)
		}
		i := q[0]
		e := &Error{Method: "GET", Path: b.paths[i]}
		resp, err := xendhttp.ReadResponse(wc.br, maxReplyHead, maxReplyLines, false)
		if err != nil {
			// Begun but not an answer that reads: this request's.
			q = q[1:]
			b.errs[i] = b.c.transportError(e, ctx, ctx, err, false)
			return left(q)
		}
		q = q[1:]
		answered++
		var rec *sexpr.Node
		if _, err := b.c.answer(ctx, ctx, e, resp, 0, false, readBrief(b.paths[i], &rec, bb)); err != nil {
			b.errs[i] = err
			if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
				b.cancel(err)
				return left(q)
			}
		} else {
			b.recs[i] = rec
		}
		if !resp.KeepAlive || !atEnd(resp.Body) {
			// xend closes after this answer, or the body was not read
			// to its end: the next answer cannot be found.
			return left(q)
		}
		if writable && len(q) <= pipeDepth/2 {
			writable = fill() == nil
		}
	}
	watch()
	b.c.wire.put(wc)
	return nil
}

// broken is on's way out when wc failed between answers: err, before a
// byte of q[0]'s answer came. A timeout ends the batch; so does the end
// of ctx. On a connection that had answered nothing, and was not a pooled
// one the server may have closed meanwhile, the first request is taken to
// be what made it fail, and fails alone; the rest go on elsewhere.
func (b *batch) broken(ctx context.Context, wc *wireConn, q []int, answered int, err error, left func([]int) []int) []int {
	if len(q) == 0 {
		return left(q)
	}
	e := &Error{Method: "GET", Path: b.paths[q[0]]}
	if ctx.Err() == nil && isTimeout(err) {
		b.cancel(b.c.transportError(e, ctx, ctx, err, false))
		return left(q)
	}
	if answered == 0 && !wc.reused && ctx.Err() == nil {
		b.errs[q[0]] = b.c.transportError(e, ctx, ctx, err, false)
		q = q[1:]
	}
	return left(q)
}

// atEnd reads what a reader that stopped at the end of the S-expression
// left of body (a newline, say) and says whether that was all of it.
func atEnd(body io.Reader) bool {
	n, err := io.CopyN(io.Discard, body, maxLeftover+1)
	return n <= maxLeftover && err == io.EOF
}

// maxLeftover is what atEnd reads past the S-expression: more is not
// worth reading for the connection's sake.
const maxLeftover = 4 << 10
