package commands

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"xvirsh/backend/connect"
	"xvirsh/backend/fake"
	"xvirsh/backend/xendsim"
)

// detailProxy sits between xvirsh and the simulator and treats every
// ?detail=1… request as xend 3.1+ does (xend-protocol.md §2.1): whatever
// follows detail=1 (&state=all, …) is dropped, so the reply holds the
// running domains only. It counts the requests it passes.
func detailProxy(t *testing.T, upstream string) (sock string, requests *atomic.Int64) {
	t.Helper()
	sock = filepath.Join(t.TempDir(), "proxy.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	requests = new(atomic.Int64)
	go func() {
		for {
			in, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer in.Close()
				req, err := http.ReadRequest(bufio.NewReader(in))
				if err != nil {
					return
				}
				requests.Add(1)
				if strings.HasPrefix(req.URL.RawQuery, "detail=1") {
					req.URL.RawQuery = "detail=1"
				}
				// One request per connection: upstream must close after
				// its reply even when the client asked to keep the
				// connection (the client then reconnects).
				req.Header.Del("Connection")
				req.Close = true
				out, err := net.Dial("unix", upstream)
				if err != nil {
					return
				}
				defer out.Close()
				if req.Write(out) != nil {
					return
				}
				io.Copy(in, out) // xend closes after each reply
			}()
		}
	}()
	return sock, requests
}

// TestListThroughXend31Proxy: through a proxy that makes every detail
// listing running-only, as xend 3.1+ is, paused and shut-off domains are
// still listed, looked up, started and offered for completion.
func TestListThroughXend31Proxy(t *testing.T) {
	simSock := filepath.Join(t.TempDir(), "xend.sock")
	l, err := xendsim.Listen("unix:" + simSock)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- xendsim.Serve(ctx, l, xendsim.NewHandler(fake.NewDefault())) }()
	t.Cleanup(func() { cancel(); <-done })
	proxy, requests := detailProxy(t, simSock)

	// The proxy itself: a detail listing asking for every state gets the
	// running domains only.
	conn, err := net.Dial("unix", proxy)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(conn, "GET /xend/domain?detail=1&state=all HTTP/1.1\r\nHost: localhost:8000\r\n\r\n")
	raw, _ := io.ReadAll(conn)
	conn.Close()
	if !strings.Contains(string(raw), "(name winxp)") || strings.Contains(string(raw), "(name rhel5)") {
		t.Fatalf("the proxy does not make detail listings running-only:\n%s", raw)
	}

	e, out, errb := bufEnv(t, "xen+unix://"+proxy, connect.OpenContext)
	run := func(line string) string {
		t.Helper()
		out.Reset()
		errb.Reset()
		if ok, _ := e.ExecLine(ctx, line); !ok || errb.Len() > 0 {
			t.Fatalf("%s: failed: %s", line, errb)
		}
		return out.String()
	}
	complete := func(line string) string {
		var got []string
		for _, c := range e.Complete(ctx, line) {
			got = append(got, c.Text)
		}
		return strings.Join(got, " ")
	}
	run("suspend fc8")
	list := run("list --all")
	for _, want := range []string{" 0    Domain-0   running", " 1    winxp      idle", " 2    fc8        paused", " -    rhel5      shut off"} {
		if !strings.Contains(list, want+"\n") {
			t.Errorf("list --all lacks %q:\n%s", want, list)
		}
	}
	if got := run("list --inactive --name"); got != "rhel5\n\n" {
		t.Errorf("list --inactive --name = %q, want rhel5", got)
	}
	if got := run("dominfo rhel5"); !strings.Contains(got, "State:          shut off\n") {
		t.Errorf("dominfo rhel5:\n%s", got)
	}
	if got := complete("resume "); got != "fc8" {
		t.Errorf("resume offers %q, want the paused fc8", got)
	}
	if got := complete("start "); got != "rhel5" {
		t.Errorf("start offers %q, want the shut-off rhel5", got)
	}
	if got := complete("dominfo "); got != "Domain-0 winxp fc8 rhel5" {
		t.Errorf("dominfo offers %q, want every domain", got)
	}
	if got := run("start rhel5"); got != "Domain 'rhel5' started\n\n" {
		t.Errorf("start rhel5 = %q", got)
	}
	if got := run("list --all"); !strings.Contains(got, " 3    rhel5      idle\n") || !strings.Contains(got, " 2    fc8        paused\n") {
		t.Errorf("after start rhel5:\n%s", got)
	}
	if requests.Load() < 10 {
		t.Errorf("only %d requests went through the proxy", requests.Load())
	}
}
