package commands

import (
	"context"
	"io"
	"os/exec"
	"strings"
	"testing"

	"xvirsh/backend/connect"
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
