package xendsim

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"time"

	"xvirsh/backend"
	"xvirsh/backend/xendhttp"
	"xvirsh/backend/xendrules"
)

// maxHeaderBytes bounds a request's head: xend accepts at most 500 header
// lines (xend-protocol.md §1.3); at 128 bytes a line that is 64 KiB.
const maxHeaderBytes = xendrules.MaxHeaderLines * 128

// Serve runs h on l until ctx ends, then shuts down gracefully: no new
// connections, requests in flight may finish for a few seconds. It returns
// nil after a shutdown asked for by ctx.
//
// The simulator reads its requests itself (package xendhttp), one
// connection per goroutine, and answers each the way xend does: it takes
// an HTTP/1.1 request without a Host header, which xend reads only to
// build Location URLs, and writes xend's own header spelling and reason
// phrases, neither of which net/http's server allows.
func Serve(ctx context.Context, l net.Listener, h *Handler) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns = map[net.Conn]bool{}
	)
	stop := context.AfterFunc(ctx, func() { l.Close() })
	defer stop()
	for {
		c, err := l.Accept()
		if err != nil {
			if ctx.Err() == nil {
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					time.Sleep(10 * time.Millisecond)
					continue
				}
			}
			break
		}
		mu.Lock()
		conns[c] = true
		mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.serveConn(ctx, c)
			mu.Lock()
			delete(conns, c)
			mu.Unlock()
		}()
	}
	l.Close() // again, and now: the socket file is gone when Serve returns
	// Requests in flight may finish for a few seconds, as http.Server's
	// Shutdown allows; then their connections are cut.
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		mu.Lock()
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
		<-done
	}
	if ctx.Err() != nil {
		return nil
	}
	return errors.New("xend simulator: listener closed")
}

// serveConn answers the requests on one connection: one, unless the
// client asked for keep-alive.
func (h *Handler) serveConn(ctx context.Context, c net.Conn) {
	defer c.Close()
	bw := bufio.NewWriter(c)
	defer bw.Flush() // a kept connection's last reply, when the server stops
	arrivals := new(backend.Arrivals)
	ctx = backend.WithArrivals(ctx, arrivals)
	br := bufio.NewReader(flushBefore{c, bw, arrivals})
	// A connection waiting for its next request has nothing in flight:
	// shutdown ends the wait at once rather than after idleTimeout, as
	// http.Server's Shutdown closes its idle connections.
	var (
		mu      sync.Mutex
		waiting bool
	)
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		if waiting {
			c.SetReadDeadline(time.Now())
		}
	})
	defer stop()
	for first := true; ; first = false {
		mu.Lock()
		if ctx.Err() != nil {
			mu.Unlock()
			return
		}
		waiting = true
		if first {
			c.SetReadDeadline(time.Now().Add(ioTimeout))
		} else {
			c.SetReadDeadline(time.Now().Add(idleTimeout))
		}
		mu.Unlock()
		r, err := xendhttp.ReadRequest(br, maxHeaderBytes, xendrules.MaxHeaderLines)
		mu.Lock()
		waiting = false
		mu.Unlock()
		if err != nil {
			if first && !errors.Is(err, io.EOF) && ctx.Err() == nil {
				c.SetWriteDeadline(time.Now().Add(ioTimeout))
				textReply(400, "", "Bad request").write(bw, false, false)
			}
			return
		}
		c.SetReadDeadline(time.Now().Add(ioTimeout))
		if h.intercept != nil && h.intercept(r, c) {
			return
		}
		// The body is the handler's to bound: 413 over MaxBody, and
		// ReadRequest's body stops at its Content-Length.
		resp, keep := h.serve(ctx, c.LocalAddr(), r)
		if keep {
			// What the handler left of the body must go before the next
			// request can be read.
			if _, err := io.Copy(io.Discard, r.Body); err != nil {
				keep = false
			}
		}
		c.SetWriteDeadline(time.Now().Add(ioTimeout))
		if resp.write(bw, r.Method == "HEAD", keep) != nil || !keep || ctx.Err() != nil {
			return
		}
	}
}
