package commands

import (
	"context"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"xvirsh/backend"
	"xvirsh/backend/connect"
	"xvirsh/backend/fake"
	"xvirsh/backend/xendsim"
)

func benchEnv(b *testing.B) *Env {
	e := NewEnv(&IOStreams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard}, "test:///default", connect.OpenContext)
	b.Cleanup(func() { e.Close() })
	return e
}

// BenchmarkListAll is `list --all` on the demo host: binding, the backend
// round trip and the table.
func BenchmarkListAll(b *testing.B) {
	e := benchEnv(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if ok, _ := e.ExecLine(ctx, "list --all"); !ok {
			b.Fatal("list failed")
		}
	}
}

// BenchmarkCompleteDomain is one Tab press on `dominfo ` after the cache
// expired (every command run resets it).
func BenchmarkCompleteDomain(b *testing.B) {
	e := benchEnv(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		e.domains.reset()
		if len(e.Complete(ctx, "dominfo ")) == 0 {
			b.Fatal("no candidates")
		}
	}
}

func BenchmarkTokenize(b *testing.B) {
	line := `dominfo winxp; list --all --name; echo "a b" 'c d' e\ f # comment`
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Tokenize(line); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkList10000Dir is `xvirsh -c test:///DIR list --all` on a
// directory host of 10,000 domains written by testdata/bench/hosts.sh (a
// third running, a third paused, a third shut off): each iteration
// opens the host afresh, as a one-shot command does, then lists and
// prints the table. The first iteration builds the directory's index.
func BenchmarkList10000Dir(b *testing.B) {
	// The host's index goes with it, not into the tests' shared cache.
	b.Setenv("XDG_CACHE_HOME", b.TempDir())
	dir := b.TempDir()
	out, err := exec.Command("../testdata/bench/hosts.sh", dir, "10000").CombinedOutput()
	if err != nil {
		b.Skipf("hosts.sh: %v\n%s", err, out)
	}
	uri := "test://" + dir + "/xend"
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		var stderr strings.Builder
		e := NewEnv(&IOStreams{In: strings.NewReader(""), Out: io.Discard, Err: &stderr}, uri, connect.OpenContext)
		if ok, _ := e.ExecLine(ctx, "list --all"); !ok {
			b.Fatalf("list failed: %s", stderr.String())
		}
		e.Close()
	}
}

// BenchmarkComplete10000 is one Tab on `dominfo guest0` over 10,000
// domains (testdata/bench/hosts.sh), on the test:///DIR host (dir) and
// through xend-sim serving it (xend). cold: the shell's list is fetched
// first, as the refresh after a command does (in the background in the
// shell, so no key waits for it; through xend, names by state, not
// records); warm: the Tab itself, from the list there is.
func BenchmarkComplete10000(b *testing.B) {
	// The host's index goes with it, not into the tests' shared cache.
	b.Setenv("XDG_CACHE_HOME", b.TempDir())
	dir := b.TempDir()
	out, err := exec.Command("../testdata/bench/hosts.sh", dir, "10000").CombinedOutput()
	if err != nil {
		b.Skipf("hosts.sh: %v\n%s", err, out)
	}
	sock := serveDir(b, dir+"/xend")
	ctx := context.Background()
	for _, uri := range []struct{ name, uri string }{{"dir", "test://" + dir + "/xend"}, {"xend", "xen+unix://" + sock}} {
		e := NewEnv(&IOStreams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard}, uri.uri, connect.OpenContext)
		tab := func(b *testing.B) {
			if got := len(e.Complete(ctx, "dominfo guest0")); got != 10000 {
				b.Fatalf("%d candidates, want 10000", got)
			}
		}
		fetch := func() {
			e.domains.reset()
			e.domains.fetch(e.Backend, backend.DomainStates, e.domains.gen, make(chan struct{}))
		}
		// The host's index is built once, as by the first command on it.
		fetch()
		b.Run(uri.name+"/cold", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				fetch()
				tab(b)
			}
		})
		b.Run(uri.name+"/warm", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tab(b)
			}
		})
		e.Close()
	}
}

// serveDir serves the directory host dir through xend-sim, as `xvirsh
// xend-sim --state dir` does, and returns its socket.
func serveDir(b *testing.B, dir string) string {
	host, err := fake.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	host.Resident()
	sock := filepath.Join(b.TempDir(), "xend.sock")
	l, err := xendsim.Listen("unix:" + sock)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- xendsim.Serve(ctx, l, xendsim.NewHandler(host)) }()
	b.Cleanup(func() { cancel(); <-done; host.Close() })
	return sock
}

// BenchmarkList10000Sim is `xvirsh -c xen+unix:///S.sock list --all`
// through xend-sim serving the 10,000 domains of testdata/bench/hosts.sh:
// each iteration connects afresh, as a one-shot command does, lists and
// prints the table; the simulator's work is in the figures too. The
// table needs no record of a shut-off domain, so the 3,333 paused ones
// are the only records fetched one by one.
func BenchmarkList10000Sim(b *testing.B) {
	// The host's index goes with it, not into the tests' shared cache.
	b.Setenv("XDG_CACHE_HOME", b.TempDir())
	dir := b.TempDir()
	out, err := exec.Command("../testdata/bench/hosts.sh", dir, "10000").CombinedOutput()
	if err != nil {
		b.Skipf("hosts.sh: %v\n%s", err, out)
	}
	uri := "xen+unix://" + serveDir(b, dir+"/xend")
	ctx := context.Background()
	list := func() {
		var stderr strings.Builder
		e := NewEnv(&IOStreams{In: strings.NewReader(""), Out: io.Discard, Err: &stderr}, uri, connect.OpenContext)
		if ok, _ := e.ExecLine(ctx, "list --all"); !ok {
			b.Fatalf("list failed: %s", stderr.String())
		}
		e.Close()
	}
	// The simulator reads the directory once, at the first request, as a
	// running xend-sim has done before any client comes.
	list()
	b.ReportAllocs()
	for b.Loop() {
		list()
	}
}
