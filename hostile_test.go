package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"xvirsh/backend/connect"
	"xvirsh/backend/fake"
	"xvirsh/backend/xendsim"
)

// hostileXend is the simulator with one request answered by a script: a
// xend that misbehaves exactly once, at the moment that matters.
type hostileXend struct {
	sock    string
	host    *fake.Host
	trigger string // "METHOD PATH" answered by raw
	raw     string // the raw reply; "" = never answer

	mu   sync.Mutex
	log  []string // "METHOD PATH" of every request, in order
	stop chan struct{}
}

func newHostileXend(t *testing.T, trigger, raw string) *hostileXend {
	t.Helper()
	x := &hostileXend{host: fake.NewDefault(), trigger: trigger, raw: raw, stop: make(chan struct{})}
	x.sock = filepath.Join(t.TempDir(), "xend.sock")
	l, err := net.Listen("unix", x.sock)
	if err != nil {
		t.Fatal(err)
	}
	sim := xendsim.NewHandler(x.host)
	sim.Intercept(func(r *xendsim.Request, conn net.Conn) bool {
		req := r.Method + " " + r.Path
		x.mu.Lock()
		x.log = append(x.log, req)
		x.mu.Unlock()
		if req != x.trigger {
			return false
		}
		if x.raw == "HANGUP" {
			return true
		}
		io.WriteString(conn, x.raw)
		if x.raw == "" || !strings.Contains(x.raw, "\r\n\r\n") || strings.HasSuffix(x.raw, "STALL") {
			<-x.stop // hold the connection, silent, until the test ends
		}
		return true
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { xendsim.Serve(ctx, l, sim); close(done) }()
	t.Cleanup(func() { close(x.stop); cancel(); <-done })
	return x
}

func (x *hostileXend) requests() []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	return append([]string(nil), x.log...)
}

// state is everything the host holds, for "nothing else changed".
func (x *hostileXend) state(t *testing.T) string {
	t.Helper()
	recs, err := x.host.Domains(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range recs {
		b.WriteString(r.String() + "\n")
	}
	return b.String()
}

// TestHostileXend is issue 7 point 5 from the operator's side: each way a
// broken or hostile server can answer one request gives one clear error
// naming the endpoint, exit status 1, and changes nothing on the host
// (and no request is sent after it: a redirect is not followed).
func TestHostileXend(t *testing.T) {
	old := connect.Timeout
	connect.Timeout = 2 * time.Second
	defer func() { connect.Timeout = old }()

	dense := "(" + strings.Repeat("()", 20000) + ")"
	xendErr := "(xend.err 'boom\x1b[2J\x07 done')"
	tests := []struct {
		name, cmd, trigger, raw string
		want                    string // stderr; SOCK is the socket path
	}{
		{"POST redirected", "suspend fc8", "POST /xend/domain/fc8",
			"HTTP/1.1 303 See Other\r\nLocation: http://localhost:8000/xend/node/\r\nContent-Length: 0\r\n\r\n",
			"error: Failed to suspend domain 'fc8'\nerror: xend: POST /xend/domain/fc8 op=pause: xend at unix:SOCK answered 303 See Other with a redirect to \"http://localhost:8000/xend/node/\"; a redirect is not followed\n"},
		{"GET redirected", "dominfo fc8", "GET /xend/domain/fc8",
			"HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n",
			"error: failed to get domain 'fc8'\nerror: xend: GET /xend/domain/fc8: xend at unix:SOCK answered 302 Found with a redirect to \"/elsewhere\"; a redirect is not followed\n"},
		{"control characters in a header", "dominfo fc8", "GET /xend/domain/fc8",
			"HTTP/1.1 200 OK\r\nX-Evil: a\x1bb\r\nContent-Length: 0\r\n\r\n",
			"error: failed to get domain 'fc8'\nerror: the server at unix:SOCK does not answer in HTTP; is it xend?\n"},
		{"250 MiB announced", "list --all", "GET /xend/domain",
			"HTTP/1.1 200 OK\r\nContent-Type: application/sxp\r\nContent-Length: 262144000\r\n\r\n(domain",
			"error: Failed to list domains\nerror: xend: GET /xend/domain: xend at unix:SOCK sent a reply of 262144000 bytes, over the limit of 33554432; it was not read\n"},
		{"denser than xend", "list --all", "GET /xend/domain",
			fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/sxp\r\nContent-Length: %d\r\n\r\n%s", len(dense), dense),
			"error: Failed to list domains\nerror: xend: GET /xend/domain: xend at unix:SOCK sent a reply of 40002 bytes holding more nodes than xend's records ever do (one per 3 bytes); it was not parsed\n"},
		{"control characters in xend.err", "suspend fc8", "POST /xend/domain/fc8",
			fmt.Sprintf("HTTP/1.1 500 Request failed: pause\r\nContent-Type: application/sxp\r\nContent-Length: %d\r\n\r\n%s", len(xendErr), xendErr),
			"error: Failed to suspend domain 'fc8'\nerror: xend: POST /xend/domain/fc8 op=pause: 500: boom\\x1b[2J\\x07 done\n"},
		{"control characters in the reason phrase", "suspend fc8", "POST /xend/domain/fc8",
			"HTTP/1.1 503 Bu\x1b]0;owned\x07sy\r\nContent-Length: 0\r\n\r\n",
			"error: Failed to suspend domain 'fc8'\nerror: xend: POST /xend/domain/fc8 op=pause: 503: Bu\\x1b]0;owned\\x07sy\n"},
		{"no answer", "dominfo fc8", "GET /xend/domain/fc8", "",
			"error: failed to get domain 'fc8'\nerror: xend at unix:SOCK did not answer within 2 s\n"},
		{"no answer to the first request", "dominfo fc8", "GET /xend/node/", "",
			"error: failed to connect to the hypervisor\nerror: xend at unix:SOCK did not answer within 2 s\n"},
		{"stalls mid-reply", "dominfo fc8", "GET /xend/domain/fc8",
			"HTTP/1.1 200 OK\r\nContent-Type: application/sxp\r\nContent-Length: 500\r\n\r\n(domain (name fc8)STALL",
			"error: failed to get domain 'fc8'\nerror: xend at unix:SOCK did not finish its reply within 2 s\n"},
		{"hangs up", "dominfo fc8", "GET /xend/domain/fc8", "HANGUP",
			"error: failed to get domain 'fc8'\nerror: xend at unix:SOCK closed the connection without a reply\n"},
		{"not HTTP", "dominfo fc8", "GET /xend/domain/fc8", "SSH-2.0-OpenSSH_9.2\r\n\r\n",
			"error: failed to get domain 'fc8'\nerror: the server at unix:SOCK does not answer in HTTP; is it xend?\n"},
		{"cut short", "dominfo fc8", "GET /xend/domain/fc8",
			"HTTP/1.1 200 OK\r\nContent-Type: application/sxp\r\nContent-Length: 100\r\n\r\n(domain (name fc8)",
			"error: failed to get domain 'fc8'\nerror: xend: GET /xend/domain/fc8: xend at unix:SOCK cut its reply short: got 18 of 100 bytes (truncated)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newHostileXend(t, tt.trigger, tt.raw)
			before := x.state(t)
			st, out, errs := xv(t, append([]string{"-c", "xen+unix://" + x.sock}, strings.Fields(tt.cmd)...)...)
			want := strings.ReplaceAll(tt.want, "SOCK", x.sock)
			if st != 1 || errs != want {
				t.Errorf("status %d, stderr:\n%s\nwant status 1, stderr:\n%s", st, errs, want)
			}
			if strings.ContainsAny(errs, "\x1b\x07") {
				t.Errorf("control characters reached the terminal: %q", errs)
			}
			if strings.TrimSpace(out) != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			if after := x.state(t); after != before {
				t.Errorf("the host changed:\n%s\nwas:\n%s", after, before)
			}
			reqs := x.requests()
			if len(reqs) == 0 || reqs[len(reqs)-1] != tt.trigger {
				t.Errorf("requests %q: the misbehaving one must be the last", reqs)
			}
		})
	}
}
