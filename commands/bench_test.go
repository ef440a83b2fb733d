package commands

import (
	"context"
	"io"
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
