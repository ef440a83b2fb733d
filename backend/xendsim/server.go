package xendsim

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"xvirsh/backend/xendrules"
)

// maxHeaderBytes bounds a request's head: xend accepts at most 500 header
// lines (xend-protocol.md §1.3); at 128 bytes a line that is 64 KiB.
const maxHeaderBytes = xendrules.MaxHeaderLines * 128

// serveConns is the simulator's own HTTP/1.x server loop. net/http's
// server refuses an HTTP/1.1 request without a Host header (400), which
// xend serves: it reads Host only to build Location URLs. So the
// simulator reads requests itself, one connection at a time per
// goroutine, and answers each the way xend does.
func serveConns(ctx context.Context, l net.Listener, h *handler) error {
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
func (h *handler) serveConn(ctx context.Context, c net.Conn) {
	defer c.Close()
	lim := &io.LimitedReader{R: c, N: maxHeaderBytes}
	br := bufio.NewReader(lim)
	bw := bufio.NewWriter(c)
	reqCtx := context.WithValue(ctx, http.LocalAddrContextKey, c.LocalAddr())
	for first := true; ; first = false {
		if first {
			c.SetReadDeadline(time.Now().Add(ioTimeout))
		} else {
			c.SetReadDeadline(time.Now().Add(idleTimeout))
		}
		lim.N = maxHeaderBytes
		r, err := http.ReadRequest(br)
		if err != nil {
			if first && !errors.Is(err, io.EOF) && ctx.Err() == nil {
				c.SetWriteDeadline(time.Now().Add(ioTimeout))
				textReply(400, "", "Bad request").write(bw, false, false)
			}
			return
		}
		// The body is the handler's to bound (413 over MaxBody).
		lim.N = xendrules.MaxBody + drainLimit + int64(br.Buffered())
		c.SetReadDeadline(time.Now().Add(ioTimeout))
		r.RemoteAddr = c.RemoteAddr().String()
		resp, keep := h.serve(r.WithContext(reqCtx))
		if keep {
			// What the handler left of the body must go before the next
			// request can be read.
			if _, err := io.Copy(io.Discard, r.Body); err != nil {
				keep = false
			}
		}
		c.SetWriteDeadline(time.Now().Add(ioTimeout))
		if resp.write(bw, r.Method == http.MethodHead, keep) != nil || !keep || ctx.Err() != nil {
			return
		}
	}
}
