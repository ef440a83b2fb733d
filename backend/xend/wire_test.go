package xend

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// connServer hands each accepted connection, with its number (from 0),
// to serve: a stand-in for xend whose every byte and every close the test
// decides, down to which connection says what.
type connServer struct {
	l     net.Listener
	conns atomic.Int32
	reqs  atomic.Int32
	stop  chan struct{}
	wg    sync.WaitGroup

	mu   sync.Mutex
	open []net.Conn // closed at the end, so a client that left one open fails its test instead of hanging it
}

func newConnServer(t *testing.T, network string, serve func(s *connServer, n int, c net.Conn, br *bufio.Reader)) *connServer {
	t.Helper()
	l := listenLocal(t, network)
	s := &connServer{l: l, stop: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			n := int(s.conns.Add(1)) - 1
			s.mu.Lock()
			s.open = append(s.open, c)
			s.mu.Unlock()
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer c.Close()
				serve(s, n, c, bufio.NewReader(c))
			}()
		}
	}()
	t.Cleanup(func() {
		close(s.stop)
		l.Close()
		s.mu.Lock()
		for _, c := range s.open {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

func (s *connServer) client(t *testing.T, timeout time.Duration) *Client {
	t.Helper()
	c, err := New(s.l.Addr().Network(), s.l.Addr().String(), timeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// readReq reads one request head (and no body: these are GETs), counting
// it; false when the client closed the connection instead.
func (s *connServer) readReq(br *bufio.Reader) (string, bool) {
	var head strings.Builder
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return "", false
		}
		head.WriteString(line)
		if line == "\r\n" {
			s.reqs.Add(1)
			return head.String(), true
		}
	}
}

// hold keeps a connection open and silent until the test ends.
func (s *connServer) hold() { <-s.stop }

const keptReply = "HTTP/1.1 200 OK\r\nContent-type: application/sxp\r\nContent-length: %d\r\nConnection: keep-alive\r\n\r\n%s"

// TestWireChunked: a chunked reply (with extensions and trailers, split
// anywhere) reads as the S-expression it carries, on a plain connection
// and on a listing's kept one; a chunked reply cut off, or with a bad
// size, is an error.
func TestWireChunked(t *testing.T) {
	const head = "HTTP/1.1 200 OK\r\nContent-type: application/sxp\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n"
	node := head + "6\r\n(node \r\n" + "b;ext=1\r\n(system Lin\r\n" + "d\r\nux) (nr_cpus \r\n" + "2\r\n4)\r\n" + "1\r\n)\r\n" +
		"0\r\nX-Trailer: x\r\n\r\n"
	domain := head + "8\r\n(domain \r\n" + "b;ext=1\r\n(name web) \r\n" + "d\r\n(memory 512))\r\n" +
		"0\r\nX-Trailer: x\r\n\r\n"
	srv := newConnServer(t, "unix", func(s *connServer, _ int, c net.Conn, br *bufio.Reader) {
		for {
			h, ok := s.readReq(br)
			if !ok {
				return
			}
			if strings.HasPrefix(h, "GET /xend/node") {
				io.WriteString(c, node)
			} else {
				io.WriteString(c, domain)
			}
		}
	})
	c := srv.client(t, 5*time.Second)
	n, err := c.Node(context.Background())
	if err != nil || n.Get("system") != "Linux" || n.Get("nr_cpus") != "4" {
		t.Fatalf("Node over chunks = %v, %v", n, err)
	}
	for range 3 {
		rec, err := briefOne(context.Background(), c, "web")
		if err != nil || rec.Get("name") != "web" || rec.Get("memory") != "512" {
			t.Fatalf("a listing's fetch over chunks = %v, %v", rec, err)
		}
	}
	if got := srv.conns.Load(); got != 2 {
		t.Errorf("%d connections, want 2: one for Node, one kept for the three fetches after the last chunk's trailers", got)
	}

	for _, tt := range []struct{ name, body, want string }{
		{"cut inside a chunk", "10\r\n(node (sys", "cut its reply short after 10 bytes (truncated)"},
		{"cut before the last chunk", "6\r\n(node \r\n", "cut its reply short after 6 bytes (truncated)"},
		{"bad size", "zz\r\n(node)\r\n0\r\n\r\n", "does not answer in HTTP"},
		{"size overflow", "fffffffffffffffff\r\n(node)\r\n0\r\n\r\n", "does not answer in HTTP"},
		{"chunk longer than its size", "2\r\n(node)\r\n0\r\n\r\n", "does not answer in HTTP"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newRawServer(t, "unix", func(*http.Request, []byte) string {
				return "HTTP/1.1 200 OK\r\nContent-type: application/sxp\r\nTransfer-Encoding: chunked\r\n\r\n" + tt.body
			})
			_, err := srv.client(t, 5*time.Second).Node(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestWireContentLength: Content-Length is the body: bytes after it are
// not part of the reply, and a reply whose lengths disagree is refused.
func TestWireContentLength(t *testing.T) {
	body := "(node (system Linux))"
	for _, tt := range []struct{ name, reply, want string }{
		{"bytes after the body", fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-length: %d\r\n\r\n%s(garbage", len(body), body), ""},
		{"spelt as xend does", fmt.Sprintf("HTTP/1.1 200 OK\r\ncontent-LENGTH:   %d  \r\n\r\n%s", len(body), body), ""},
		{"two that agree", fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\nContent-length: %d\r\n\r\n%s", len(body), len(body), body), ""},
		{"two that disagree", fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\nContent-length: 3\r\n\r\n%s", len(body), body), "does not answer in HTTP"},
		{"negative", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n" + body, "does not answer in HTTP"},
		{"not a number", "HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n" + body, "does not answer in HTTP"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newRawServer(t, "unix", func(*http.Request, []byte) string { return tt.reply })
			n, err := srv.client(t, 5*time.Second).Node(context.Background())
			if tt.want == "" {
				if err != nil || n.Get("system") != "Linux" {
					t.Fatalf("Node = %v, %v", n, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestWireKeepAlive: a listing's record fetches (BriefDomainsOf) keep
// their connection while xend does, each saying it wants it kept, and the
// next listing's fetches find it (a shell's listings; one command's,
// state by state). Requests of any other kind keep to libvirt's way: a
// connection each, closed after the reply, and never a kept one. A reply
// that does not say keep-alive leaves nothing kept.
func TestWireKeepAlive(t *testing.T) {
	ctx := context.Background()
	body := "(domain (name web))"
	for _, network := range []string{"unix", "tcp"} {
		t.Run(network, func(t *testing.T) {
			var mu sync.Mutex
			var heads []string
			srv := newConnServer(t, network, func(s *connServer, _ int, c net.Conn, br *bufio.Reader) {
				for {
					head, ok := s.readReq(br)
					if !ok {
						return
					}
					mu.Lock()
					heads = append(heads, head)
					mu.Unlock()
					if !strings.Contains(head, "Connection: keep-alive") {
						fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-length: %d\r\n\r\n%s", len(body), body)
						return // xend's close after a reply nobody asked to keep
					}
					fmt.Fprintf(c, keptReply, len(body), body)
				}
			})
			c := srv.client(t, 5*time.Second)
			for i := range 5 {
				if _, err := briefOne(ctx, c, "web"); err != nil {
					t.Fatalf("fetch %d: %v", i, err)
				}
			}
			if got := srv.conns.Load(); got != 1 {
				t.Errorf("5 listings' fetches took %d connections, want 1", got)
			}
			for range 2 {
				if _, err := c.Domain(ctx, "web"); err != nil {
					t.Fatal(err)
				}
			}
			if err := c.Op(ctx, "web", "pause", nil); err != nil {
				t.Fatal(err)
			}
			if got := srv.conns.Load(); got != 4 {
				t.Errorf("%d connections after two plain GETs and a POST, want 4", got)
			}
			if _, err := briefOne(ctx, c, "web"); err != nil {
				t.Fatal(err)
			}
			if got := srv.conns.Load(); got != 4 {
				t.Errorf("%d connections, want 4: the kept one outlives the plain requests", got)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(heads) != 9 {
				t.Fatalf("%d requests, want 9", len(heads))
			}
			for i, h := range heads {
				want := "Connection: keep-alive\r\n"
				if i >= 5 && i < 8 {
					want = "Connection: close\r\n"
				}
				if !strings.Contains(h, want) {
					t.Errorf("request %d lacks %q:\n%s", i, want, h)
				}
			}
		})
	}

	t.Run("only when xend says so", func(t *testing.T) {
		// A server that answers without keep-alive yet leaves the
		// connection open: the client does not keep it.
		srv := newConnServer(t, "unix", func(s *connServer, _ int, c net.Conn, br *bufio.Reader) {
			for {
				if _, ok := s.readReq(br); !ok {
					return
				}
				fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-type: application/sxp\r\nContent-length: %d\r\n\r\n%s", len(body), body)
			}
		})
		c := srv.client(t, 5*time.Second)
		for i := range 2 {
			if _, err := briefOne(ctx, c, "web"); err != nil {
				t.Fatalf("fetch %d: %v", i, err)
			}
		}
		if got := srv.conns.Load(); got != 2 {
			t.Errorf("%d connections for two fetches answered without keep-alive, want 2", got)
		}
	})
}

// TestWirePoolBound: at most getConns connections stay kept, and none
// is used once idle longer than getIdle.
func TestWirePoolBound(t *testing.T) {
	body := "(domain (name web))"
	release := make(chan struct{})
	srv := newConnServer(t, "unix", func(s *connServer, _ int, c net.Conn, br *bufio.Reader) {
		for {
			if _, ok := s.readReq(br); !ok {
				return
			}
			<-release
			fmt.Fprintf(c, keptReply, len(body), body)
		}
	})
	c := srv.client(t, 5*time.Second)
	ctx := context.Background()
	// Listings at once, each on a connection of its own: none is
	// answered, so none is kept, until every one has dialled.
	const n = getConns + 4
	errs := make(chan error, n)
	for range n {
		go func() { _, err := briefOne(ctx, c, "web"); errs <- err }()
	}
	for srv.reqs.Load() < n {
		time.Sleep(time.Millisecond)
	}
	close(release)
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := srv.conns.Load(); got != n {
		t.Fatalf("%d connections for %d listings at once, want %d", got, n, n)
	}
	c.wire.mu.Lock()
	pooled := len(c.wire.idle)
	for _, pc := range c.wire.idle {
		pc.since = pc.since.Add(-2 * getIdle)
	}
	c.wire.mu.Unlock()
	if pooled != getConns {
		t.Errorf("%d connections kept after %d at once, want %d", pooled, n, getConns)
	}
	if _, err := briefOne(ctx, c, "web"); err != nil {
		t.Fatal(err)
	}
	if got := srv.conns.Load(); got != n+1 {
		t.Errorf("%d connections, want %d: a connection idle past getIdle is not used", got, n+1)
	}
}

// TestWireStaleRetry: xend dropping a kept connection while it sat idle
// costs a listing's fetch one more try on a new connection, not an
// error (a GET changes nothing, so sending it twice is safe; §1.4); only
// one: a new connection that fails too is that domain's error.
func TestWireStaleRetry(t *testing.T) {
	body := "(domain (name web))"
	for _, network := range []string{"unix", "tcp"} {
		t.Run(network, func(t *testing.T) {
			// Every connection answers one request, says it is kept,
			// and is then closed.
			srv := newConnServer(t, network, func(s *connServer, _ int, c net.Conn, br *bufio.Reader) {
				if _, ok := s.readReq(br); ok {
					fmt.Fprintf(c, keptReply, len(body), body)
				}
			})
			c := srv.client(t, 5*time.Second)
			for i := range 4 {
				if _, err := briefOne(context.Background(), c, "web"); err != nil {
					t.Fatalf("fetch %d: %v", i, err)
				}
				time.Sleep(10 * time.Millisecond) // the close reaches the client
			}
			if got, reqs := srv.conns.Load(), srv.reqs.Load(); got != 4 || reqs != 4 {
				t.Errorf("%d connections and %d requests for 4 fetches, want 4 and 4", got, reqs)
			}
		})
	}

	t.Run("once", func(t *testing.T) {
		// The first connection answers and is kept; every later one
		// closes without a word.
		srv := newConnServer(t, "unix", func(s *connServer, n int, c net.Conn, br *bufio.Reader) {
			if _, ok := s.readReq(br); ok && n == 0 {
				fmt.Fprintf(c, keptReply, len(body), body)
			}
		})
		c := srv.client(t, 5*time.Second)
		// Bounds a client that would retry for ever.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := briefOne(ctx, c, "web"); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
		_, err := briefOne(ctx, c, "web")
		if err == nil || !strings.Contains(err.Error(), "closed the connection without a reply") {
			t.Fatalf("error = %v, want closed without a reply", err)
		}
		if got := srv.conns.Load(); got != 2 {
			t.Errorf("%d connections, want 2: the first, then one retry when it was found closed, no more", got)
		}
	})

	t.Run("not a POST", func(t *testing.T) {
		// A POST is never sent twice, whatever happens to its connection.
		srv := newConnServer(t, "unix", func(s *connServer, _ int, c net.Conn, br *bufio.Reader) {
			s.readReq(br)
		})
		err := srv.client(t, 5*time.Second).Op(context.Background(), "web", "pause", nil)
		if err == nil || !strings.Contains(err.Error(), "closed the connection without a reply") {
			t.Fatalf("error = %v", err)
		}
		if got := srv.conns.Load(); got != 1 {
			t.Errorf("the POST took %d connections, want 1", got)
		}
	})
}

// TestWireSlowServer: a server that answers too slowly (a byte at a
// time, or not at all on a listing's kept connection) costs the
// request's deadline and a clear error, never a hang and never a retry.
func TestWireSlowServer(t *testing.T) {
	body := "(domain (name web))"
	trickle := func(c net.Conn, s *connServer, text string) {
		for i := 0; i < len(text); i++ {
			if _, err := c.Write([]byte{text[i]}); err != nil {
				return
			}
			select {
			case <-time.After(50 * time.Millisecond):
			case <-s.stop:
				return
			}
		}
		s.hold()
	}
	tests := []struct {
		name  string
		serve func(s *connServer, n int, c net.Conn, br *bufio.Reader)
		kept  bool
		want  string
		conns int32
	}{
		{"head a byte at a time", func(s *connServer, _ int, c net.Conn, br *bufio.Reader) {
			s.readReq(br)
			trickle(c, s, "HTTP/1.1 200 OK\r\nContent-type: application/sxp\r\nContent-length: 19\r\n\r\n"+body)
		}, false, "did not answer within 300 ms", 1},
		{"body a byte at a time", func(s *connServer, _ int, c net.Conn, br *bufio.Reader) {
			s.readReq(br)
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-type: application/sxp\r\nContent-length: 100\r\n\r\n")
			trickle(c, s, body+strings.Repeat(" ", 81))
		}, false, "did not finish its reply within 300 ms", 1},
		{"silent on a kept connection", func(s *connServer, _ int, c net.Conn, br *bufio.Reader) {
			s.readReq(br)
			fmt.Fprintf(c, keptReply, len(body), body)
			s.readReq(br)
			s.hold()
		}, true, "did not answer within 300 ms", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newConnServer(t, "unix", tt.serve)
			c := srv.client(t, 300*time.Millisecond)
			if tt.kept {
				if _, err := briefOne(context.Background(), c, "web"); err != nil {
					t.Fatal(err)
				}
			}
			start := time.Now()
			done := make(chan error, 1)
			go func() {
				if tt.kept {
					_, err := briefOne(context.Background(), c, "web")
					done <- err
					return
				}
				_, err := c.Domain(context.Background(), "web")
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.HasSuffix(err.Error(), tt.want) || !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("error = %v, want … %s", err, tt.want)
				}
				if d := time.Since(start); d > 3*time.Second {
					t.Errorf("the error took %v for a deadline of 300 ms", d)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("client hung past its deadline")
			}
			if got := srv.conns.Load(); got != tt.conns {
				t.Errorf("%d connections, want %d (no retry after a timeout)", got, tt.conns)
			}
		})
	}
}

// TestWireOversizedHead: a reply head past 64 KiB, in one line or in
// many, is refused with a clear error, not read on.
func TestWireOversizedHead(t *testing.T) {
	for _, tt := range []struct{ name, head string }{
		{"one long field", "HTTP/1.1 200 OK\r\nX-Big: " + strings.Repeat("x", 70<<10) + "\r\nContent-length: 2\r\n\r\n()"},
		{"many fields", "HTTP/1.1 200 OK\r\n" + strings.Repeat("X-A: b\r\n", 10<<10) + "Content-length: 2\r\n\r\n()"},
		{"endless status line", "HTTP/1.1 200 " + strings.Repeat("O", 100<<10)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newRawServer(t, "unix", func(*http.Request, []byte) string { return tt.head })
			_, err := srv.client(t, 5*time.Second).Node(context.Background())
			want := "sent a reply head of more than 65536 bytes; it was not read"
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("error = %v, want %q", err, want)
			}
		})
	}
}

// TestWireRequestTarget: a path that would break the request line is
// refused before anything is sent.
func TestWireRequestTarget(t *testing.T) {
	srv := newConnServer(t, "unix", func(s *connServer, _ int, c net.Conn, br *bufio.Reader) {})
	c := srv.client(t, 5*time.Second)
	_, err := c.get(context.Background(), "/xend/domain/a b\r\nX: y", "")
	if err == nil || !strings.Contains(err.Error(), "bad request") {
		t.Fatalf("error = %v, want bad request", err)
	}
	if got := srv.conns.Load(); got != 0 {
		t.Errorf("%d connections for a request that was refused", got)
	}
}

// TestWireIdleExpiry: a connection a listing kept, unused for getIdle, is
// closed by the client on its own, with no request to find it stale.
func TestWireIdleExpiry(t *testing.T) {
	body := "(domain (name web))"
	closed := make(chan struct{})
	srv := newConnServer(t, "unix", func(s *connServer, _ int, c net.Conn, br *bufio.Reader) {
		for {
			if _, ok := s.readReq(br); !ok {
				close(closed)
				return
			}
			fmt.Fprintf(c, keptReply, len(body), body)
		}
	})
	c := srv.client(t, 5*time.Second)
	if _, err := briefOne(context.Background(), c, "web"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	select {
	case <-closed:
		if d := time.Since(start); d < getIdle/2 {
			t.Errorf("closed after %v, before its idle time of %v", d, getIdle)
		}
	case <-time.After(getIdle + 5*time.Second):
		t.Fatalf("a connection idle for %v is still open", getIdle+5*time.Second)
	}
	c.wire.mu.Lock()
	defer c.wire.mu.Unlock()
	if len(c.wire.idle) != 0 {
		t.Errorf("%d connections left in the pool", len(c.wire.idle))
	}
}
