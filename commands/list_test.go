package commands

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"xvirsh/backend"
	"xvirsh/backend/connect"
	"xvirsh/backend/fake"
	"xvirsh/backend/xendsim"
	"xvirsh/sexpr"
)

// requestLog sits between xvirsh and the simulator and notes the request
// line of every request it passes, each on a connection of its own
// upstream, however many the client sends on one connection.
type requestLog struct {
	mu   sync.Mutex
	reqs []string
}

func (l *requestLog) proxy(t *testing.T, upstream string) (sock string) {
	t.Helper()
	sock = filepath.Join(t.TempDir(), "log.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			go l.relay(in, upstream)
		}
	}()
	return sock
}

func (l *requestLog) relay(in net.Conn, upstream string) {
	defer in.Close()
	br := bufio.NewReader(in)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		l.mu.Lock()
		l.reqs = append(l.reqs, req.Method+" "+req.URL.RequestURI())
		l.mu.Unlock()
		out, err := net.Dial("unix", upstream)
		if err != nil {
			return
		}
		keep := !req.Close
		req.Close = true
		var resp *http.Response
		if err = req.Write(out); err == nil {
			resp, err = http.ReadResponse(bufio.NewReader(out), req)
		}
		if err == nil {
			resp.Close = !keep
			err = resp.Write(in)
		}
		out.Close()
		if err != nil || !keep {
			return
		}
	}
}

func (l *requestLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.reqs
	l.reqs = nil
	slices.Sort(out)
	return out
}

// listHost is a format 4 host with a domain in every state list shows:
// Domain-0 and web (defined, so persistent) running, db and db2 paused, old and old2 defined and
// halted, kept shut down and preserved (xend names it halted, its record
// still has its domid, xend-protocol.md §2.1).
func listHost(t *testing.T) *fake.Host {
	t.Helper()
	ctx := context.Background()
	h := fake.New(4)
	cfg := func(name string, i int, extra string) *sexpr.Node {
		n, err := sexpr.ParseString(fmt.Sprintf("(vm (name %s) (uuid 00000000-0000-4000-8000-%012d) (memory 64) %s (image (linux (kernel /boot/vmlinuz))))", name, i, extra))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	steps := []func() error{
		func() error { return h.New(ctx, cfg("web", 1, "")) },
		func() error { return h.Op(ctx, "web", "start", nil) },
		func() error { return h.Create(ctx, cfg("db", 2, "")) },
		func() error { return h.Create(ctx, cfg("db2", 3, "")) },
		func() error { return h.New(ctx, cfg("old", 4, "")) },
		func() error { return h.New(ctx, cfg("old2", 5, "(on_xend_start start)")) },
		func() error { return h.Create(ctx, cfg("kept", 6, "(on_poweroff preserve)")) },
		func() error { return h.Op(ctx, "kept", "unpause", nil) },
		func() error { return h.Op(ctx, "kept", "shutdown", map[string][]string{"reason": {"poweroff"}}) },
	}
	for i, s := range steps {
		if err := s(); err != nil {
			t.Fatalf("host step %d: %v", i+1, err)
		}
	}
	return h
}

// TestListAsksOnlyForWhatItShows: through the simulator, list asks xend
// for the running domains' records in one reply and for names by power
// state (xend-protocol.md §2.1), and fetches a record only for a domain
// whose id the names cannot give (a paused one), or whose UUID it prints
// (--uuid), or when a filter reads what only a record holds (autostart).
// It never asks about a state the listing leaves out. What it prints is
// what the same host prints listed directly.
func TestListAsksOnlyForWhatItShows(t *testing.T) {
	host := listHost(t)
	sock := filepath.Join(t.TempDir(), "xend.sock")
	l, err := xendsim.Listen("unix:" + sock)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- xendsim.Serve(ctx, l, xendsim.NewHandler(host)) }()
	t.Cleanup(func() { cancel(); <-done })
	var log requestLog
	sim, simOut, simErr := bufEnv(t, "xen+unix://"+log.proxy(t, sock), connect.OpenContext)
	direct, dirOut, dirErr := hostEnv(t, backend.NewDomains(host, "test:///list"))

	const (
		detail    = "GET /xend/domain?detail=1"
		paused    = "GET /xend/domain?state=paused"
		halted    = "GET /xend/domain?state=halted"
		suspended = "GET /xend/domain?state=suspended"
		crashed   = "GET /xend/domain?state=crashed"
		unknown   = "GET /xend/domain?state=unknown"
		all       = "GET /xend/domain?state=all"
	)
	// The connection's probe of the config format (GET /xend/node/) is
	// not the listing's.
	if ok, _ := sim.ExecLine(ctx, "version"); !ok {
		t.Fatalf("version: %s", simErr)
	}
	simOut.Reset()
	rec := func(name string) string { return "GET /xend/domain/" + name + "?detail=1" }
	for _, c := range []struct {
		line string
		want []string
	}{
		{"list --all", []string{detail, paused, halted, suspended, crashed, unknown, rec("db"), rec("db2")}},
		{"list", []string{detail, paused, crashed, unknown, rec("db"), rec("db2")}},
		{"list --inactive", []string{halted, suspended, crashed, unknown}},
		{"list --all --name", []string{detail, paused, halted, suspended, crashed, unknown, rec("db"), rec("db2")}},
		{"list --all --title --persistent", []string{detail, paused, halted, suspended, crashed, unknown, rec("db"), rec("db2")}},
		{"list --inactive --state-shutoff --without-snapshot", []string{halted, suspended, crashed, unknown}},
		{"list --inactive --uuid", []string{halted, suspended, crashed, unknown, rec("kept"), rec("old"), rec("old2")}},
		{"list --uuid", []string{detail, paused, crashed, unknown, rec("db"), rec("db2")}},
		// autostart is in a record only: every record, as before.
		{"list --inactive --autostart", []string{detail, all, rec("db"), rec("db2"), rec("kept"), rec("old"), rec("old2")}},
	} {
		log.take()
		for _, e := range []*Env{sim, direct} {
			if ok, _ := e.ExecLine(ctx, c.line); !ok {
				t.Fatalf("%s: failed: %s%s", c.line, simErr, dirErr)
			}
		}
		if simOut.String() != dirOut.String() {
			t.Errorf("%s through xend:\n%s\nlisted directly:\n%s", c.line, simOut, dirOut)
		}
		if simErr.Len() > 0 || dirErr.Len() > 0 {
			t.Errorf("%s: stderr %q / %q", c.line, simErr, dirErr)
		}
		slices.Sort(c.want)
		if got := log.take(); !slices.Equal(got, c.want) {
			t.Errorf("%s asked xend\n  %s\nwant\n  %s", c.line, strings.Join(got, "\n  "), strings.Join(c.want, "\n  "))
		}
		simOut.Reset()
		dirOut.Reset()
	}
}
