package xend

import (
	"bufio"
	"context"
	"net"
	"strconv"
	"sync"
	"time"

	"xvirsh/backend/xendhttp"
)

// wire is the client's HTTP/1.1 to one xend address: xendhttp's framing,
// a dial per request, and a small pool of kept-open connections for a
// listing's GETs. It takes the place of net/http's Transport, whose
// package costs a one-shot command more than a millisecond of start-up
// for TLS, HTTP/2 and proxy support that xend never needs.
type wire struct {
	network, address string
	dialer           net.Dialer

	mu     sync.Mutex
	idle   []*wireConn // most recently used last
	closed bool
}

// Reply heads are bounded as net/http's were for this client: 64 KiB,
// whatever the number of lines within it.
const (
	maxReplyHead  = 64 << 10
	maxReplyLines = maxReplyHead / 3 // a field line is at least "a:\n": the bytes bind first
)

// wireConn is one connection and what has been read from it.
type wireConn struct {
	nc     net.Conn
	br     *bufio.Reader
	bw     *bufio.Writer
	reused bool        // taken from the pool: the server may have closed it since
	since  time.Time   // when it went idle
	expiry *time.Timer // closes it once idle for getIdle
}

// wireReq is one request: its method and already escaped target, and
// the form body of a POST (nil for none).
type wireReq struct {
	method, target string
	body           []byte
}

// wireResp is a reply whose body is read through Body; Close ends the
// exchange and its connection.
type wireResp struct {
	*xendhttp.Response
	c    *wireConn
	stop func() bool // ends the watch on the request's context
}

// roundTrip sends r within ctx, on a connection of its own as libvirt
// did, and reads the reply's head. Nothing is retried: on a new
// connection a failure is xend's answer, not a kept connection xend
// dropped while it sat idle (only a listing's fetches keep connections,
// and they see to that themselves: pipeline.go).
func (w *wire) roundTrip(ctx context.Context, r *wireReq) (*wireResp, error) {
	c, err := w.dial(ctx)
	if err != nil {
		return nil, err
	}
	// The deadline bounds every read and write; a cancelled context
	// moves it to the past, which ends whatever is blocked.
	if dl, ok := ctx.Deadline(); ok {
		c.nc.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { c.nc.SetDeadline(time.Unix(1, 0)) })
	fail := func(err error) (*wireResp, error) {
		stop()
		c.nc.Close()
		if ctx.Err() != nil {
			// What the context did, not the read it interrupted.
			return nil, context.Cause(ctx)
		}
		return nil, err
	}

	if werr := xendhttp.WriteRequest(c.bw, r.method, r.target, requestHeader(r.body, false), r.body); werr != nil {
		// A server refusing a body (xend's 413) may answer and close
		// before it has all been written: its answer is what counts,
		// when there is one.
		resp, err := xendhttp.ReadResponse(c.br, maxReplyHead, maxReplyLines, false)
		if err != nil {
			return fail(werr)
		}
		return &wireResp{Response: resp, c: c, stop: stop}, nil
	}
	resp, err := xendhttp.ReadResponse(c.br, maxReplyHead, maxReplyLines, false)
	if err != nil {
		return fail(err)
	}
	return &wireResp{Response: resp, c: c, stop: stop}, nil
}

// requestHeader is every request's head: what libvirt sends (spec §1.2),
// and nothing more: no Accept and no User-Agent, which together could get
// HTML. keep asks xend to keep the connection open (§1.4), as a
// listing's pipelined fetches do; every other request asks it closed,
// as libvirt did.
func requestHeader(body []byte, keep bool) xendhttp.Header {
	h := xendhttp.Header{
		{Name: "Host", Value: hostHeader},
		{Name: "Accept-Encoding", Value: "identity"},
		{Name: "Content-Type", Value: "application/x-www-form-urlencoded"},
	}
	if body != nil {
		h.Add("Content-Length", strconv.Itoa(len(body)))
	}
	if keep {
		h.Add("Connection", "keep-alive")
	} else {
		h.Add("Connection", "close")
	}
	return h
}

// Close ends the exchange and closes its connection: one that asked xend
// to close it (requestHeader) is done with.
func (r *wireResp) Close() error {
	r.stop()
	return r.c.nc.Close()
}

// dial opens a connection. A dial the context ended is the context's
// error, not a refused connection.
func (w *wire) dial(ctx context.Context) (*wireConn, error) {
	nc, err := w.dialer.DialContext(ctx, w.network, w.address)
	if err != nil {
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		return nil, err
	}
	return &wireConn{nc: nc, br: bufio.NewReaderSize(nc, 8<<10), bw: bufio.NewWriterSize(nc, 4<<10)}, nil
}

// get takes the most recently used pooled connection that has not been
// idle too long, for a listing's fetches; nil when there is none.
func (w *wire) get() *wireConn {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.prune(time.Now())
	if n := len(w.idle); n > 0 {
		c := w.idle[n-1]
		w.idle[n-1] = nil
		w.idle = w.idle[:n-1]
		c.expiry.Stop() // should it run anyway, it finds c gone from the pool
		c.reused = true
		return c
	}
	return nil
}

// put pools c, closing the longest idle connection when the pool is full.
func (w *wire) put(c *wireConn) {
	c.nc.SetDeadline(time.Time{})
	now := time.Now()
	c.since = now
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		c.nc.Close()
		return
	}
	w.prune(now)
	if len(w.idle) >= getConns {
		w.idle[0].nc.Close()
		w.idle = append(w.idle[:0], w.idle[1:]...)
	}
	w.idle = append(w.idle, c)
	// Closed when idle too long even if no request comes to find it so:
	// a shell keeps no descriptors open for nothing, and xend (or the
	// simulator) shutting down does not wait on them.
	// One timer per connection, re-armed: a new one per request was
	// 2.6% of a 10,000-domain listing.
	if c.expiry == nil {
		c.expiry = time.AfterFunc(getIdle, func() { w.expire(c) })
	} else {
		c.expiry.Reset(getIdle)
	}
}

// expire closes c if it is still in the pool.
func (w *wire) expire(c *wireConn) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i, ic := range w.idle {
		if ic == c {
			c.nc.Close()
			w.idle = append(w.idle[:i], w.idle[i+1:]...)
			return
		}
	}
}

// prune closes connections idle longer than getIdle: xend may be about
// to drop them. The caller holds w.mu.
func (w *wire) prune(now time.Time) {
	keep := w.idle[:0]
	for _, c := range w.idle {
		if now.Sub(c.since) > getIdle {
			c.nc.Close()
			continue
		}
		keep = append(keep, c)
	}
	clear(w.idle[len(keep):])
	w.idle = keep
}

// close closes the pooled connections, and any handed back later.
func (w *wire) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, c := range w.idle {
		c.expiry.Stop()
		c.nc.Close()
	}
	w.idle = nil
	w.closed = true
}
