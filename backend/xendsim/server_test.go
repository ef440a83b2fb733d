package xendsim

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"xvirsh/backend/fake"
)

// TestRequestReading: how the simulator reads what a client sends, where
// it is xend's reading that decides (xend-protocol.md §1.3): a body only
// by Content-Length, 500 header lines at most, no Host needed.
func TestRequestReading(t *testing.T) {
	sock := startSim(t, fake.New(4))
	tests := []struct {
		name, req, wantStatus, wantBody string
	}{
		{"no Host", "GET /xend/ HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK", "(ls node domain)"},
		{"HTTP/1.0", "GET /xend/ HTTP/1.0\r\n\r\n", "HTTP/1.1 200 OK", "(ls node domain)"},
		{"absolute target", "GET http://localhost:8000/xend/ HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK", "(ls node domain)"},
		{"query and body merged", "POST /xend/domain/Domain-0?op=maxmem_set HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\nContent-Length: 9\r\n\r\nmemory=x1",
			"HTTP/1.1 500 Request failed: maxmem_set", "(xend.err \"invalid literal for int() with base 10: 'x1'\")"},
		{"body of another type not read as a form", "POST /xend/domain/Domain-0 HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 8\r\n\r\nop=pause",
			"HTTP/1.1 406 Invalid request", ""},
		{"Content-Length that does not parse: no body", "POST /xend/domain/Domain-0 HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 8x\r\n\r\nop=pause",
			"HTTP/1.1 406 Invalid request", ""},
		{"chunked: no body", "POST /xend/domain/Domain-0 HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n8\r\nop=pause\r\n0\r\n\r\n",
			"HTTP/1.1 406 Invalid request", ""},
		{"500 header lines", "GET /xend/ HTTP/1.1\r\n" + strings.Repeat("X-A: b\r\n", 500) + "\r\n", "HTTP/1.1 200 OK", "(ls node domain)"},
		{"501 header lines", "GET /xend/ HTTP/1.1\r\n" + strings.Repeat("X-A: b\r\n", 501) + "\r\n", "HTTP/1.1 400 Bad request", "Bad request"},
		{"head over the byte bound", "GET /xend/ HTTP/1.1\r\nX-A: " + strings.Repeat("b", maxHeaderBytes) + "\r\n\r\n", "HTTP/1.1 400 Bad request", "Bad request"},
		{"not HTTP", "SSH-2.0-OpenSSH_9.2\r\n", "HTTP/1.1 400 Bad request", "Bad request"},
		{"body shorter than said", "POST /xend/domain/ HTTP/1.1\r\nContent-Length: 100\r\n\r\nop=list", "HTTP/1.1 400 Bad request", "Bad request: body shorter than its Content-Length"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("unix", sock)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			conn.Write([]byte(tt.req))
			if strings.Contains(tt.name, "shorter") {
				conn.(*net.UnixConn).CloseWrite()
			}
			buf := make([]byte, 4096)
			var got []byte
			for {
				n, err := conn.Read(buf)
				got = append(got, buf[:n]...)
				if err != nil {
					break
				}
			}
			r := splitReply(t, string(got))
			if r.statusLine != tt.wantStatus || r.body != tt.wantBody {
				t.Errorf("got %q %q, want %q %q", r.statusLine, r.body, tt.wantStatus, tt.wantBody)
			}
		})
	}
}

// TestIntercept: an interceptor sees each request first; it may change
// it and let the simulator answer, or answer itself.
func TestIntercept(t *testing.T) {
	h := NewHandler(fake.New(4))
	var (
		mu   sync.Mutex
		seen []string
	)
	h.Intercept(func(r *Request, conn net.Conn) bool {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.Path)
		mu.Unlock()
		if r.Path == "/xend/node/" {
			conn.Write([]byte("HTTP/1.1 418 Teapot\r\nContent-length: 0\r\n\r\n"))
			return true
		}
		r.Header.Set("User-Agent", "Mozilla/5.0")
		r.Header.Set("Accept", "*/*")
		return false
	})
	path := startHandler(t, h)
	if r := exchange(t, path, get("/xend/node/")); r.statusLine != "HTTP/1.1 418 Teapot" {
		t.Errorf("intercepted: %q", r.statusLine)
	}
	if r := exchange(t, path, get("/xend/")); !strings.HasPrefix(r.body, "<html>") {
		t.Errorf("with a browser's headers: %q", r.body)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(seen, ",") != "GET /xend/node/,GET /xend/" {
		t.Errorf("seen %q", seen)
	}
}

// TestShutdownIdle: a kept connection waiting for its next request does
// not hold up shutdown; nothing is in flight on it.
func TestShutdownIdle(t *testing.T) {
	path, cancel, done := serveUnix(t, NewHandler(fake.New(4)))
	conn, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	conn.Write([]byte(get("/xend/", "Connection: keep-alive")))
	if n, err := conn.Read(make([]byte, 4096)); err != nil || n == 0 {
		t.Fatalf("no reply: %v", err)
	}
	start := time.Now()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("shutdown took %v with one idle connection", d)
	}
}

// Pipelined requests: xend reads the requests on a kept connection from
// one buffered file, one after the other, until the connection closes
// (xen/web/httpserver.py's RequestProcessor; xend-protocol.md §1.4 for
// keep-alive), so requests written together are answered in order, each
// whole, an error among them included, and the connection closes after
// the first answer to a request that did not ask to keep it.
//
//	C: GET /xend/domain/fc8?detail=1 (keep-alive)
//	   GET /xend/domain/nosuch?detail=1 (keep-alive)
//	   GET /xend/domain/rhel5?detail=1 (keep-alive)
//	   GET /xend/domain/winxp?detail=1
//	   GET /xend/domain/fc8?detail=1 (keep-alive)      [all in one write]
//	S: 200 (domain … (name fc8) …), Connection: keep-alive
//	   404 text/plain, Connection: keep-alive
//	   200 (domain … (name rhel5) …), Connection: keep-alive
//	   200 (domain … (name winxp) …), and the connection closes
func TestPipelinedRequestsAreAnsweredInOrder(t *testing.T) {
	conn, br := dialSim(t, startSim(t, fake.NewDefaultFormat(4)))
	keep := "Connection: keep-alive"
	raw := get("/xend/domain/fc8?detail=1", keep) + get("/xend/domain/nosuch?detail=1", keep) +
		get("/xend/domain/rhel5?detail=1", keep) + get("/xend/domain/winxp?detail=1") +
		get("/xend/domain/fc8?detail=1", keep)
	if _, err := conn.Write([]byte(raw)); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		status int
		name   string
	}{{200, "fc8"}, {404, ""}, {200, "rhel5"}, {200, "winxp"}}
	for i, w := range want {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("answer %d: %v", i, err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != w.status {
			t.Errorf("answer %d: status %d, want %d", i, resp.StatusCode, w.status)
		}
		if w.name != "" && !strings.Contains(string(body), "(name "+w.name+")") {
			t.Errorf("answer %d is not %s's record: %.80q", i, w.name, body)
		}
		if c := resp.Header.Get("Connection"); (c == "keep-alive") != (i < 3) {
			t.Errorf("answer %d: Connection %q", i, c)
		}
	}
	if rest, err := io.ReadAll(br); err != nil || len(rest) > 0 {
		t.Errorf("after the answer that closes: %q, %v", rest, err)
	}
}

// A request answered from the host's last check of its directory must
// have arrived before that check (backend.Arrivals): on one kept
// connection, a change another process makes between two requests is
// seen by the second.
func TestKeptConnectionSeesChangesFromElsewhere(t *testing.T) {
	dir := t.TempDir()
	host, err := fake.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	host.Resident()
	conn, br := dialSim(t, startSim(t, host))
	state := func() string {
		t.Helper()
		io.WriteString(conn, get("/xend/domain/fc8?detail=1", "Connection: keep-alive"))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_, rest, _ := strings.Cut(string(body), "(state ")
		st, _, _ := strings.Cut(rest, ")")
		return st
	}
	for range 2 { // the second is answered from memory, after a check
		if st := state(); st == "--p---" {
			t.Fatalf("fc8 paused from the start")
		}
	}
	other, err := fake.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.Op(context.Background(), "fc8", "pause", nil); err != nil {
		t.Fatal(err)
	}
	if st := state(); st != "--p---" {
		t.Errorf("after another process paused fc8, the kept connection reads state %q", st)
	}
}
