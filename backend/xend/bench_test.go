// Listing 10,000 domains through the whole xend path: the client asks the
// simulator over a unix socket, the simulator prints the fake host's
// records, the client reads and parses them. A third of the domains are
// paused or shut off, which xend 3.1+ leaves out of ?detail=1, so list
// --all takes the running records in one reply, every name with
// ?state=all, and fetches the other 6,666 records one by one, eight at a
// time (xend-protocol.md §2.1); list-all-brief, what the list command
// asks for its table, names the domains by state and fetches the 3,333
// paused ones only.
//
// Run it with:
//
//	go test -run '^$' -bench List10000 -benchmem ./backend/xend/
//
// and compare with virsh's own test driver listing the same 10,000 domains
// on the same machine: testdata/bench/hosts.sh writes both hosts, and the
// README's Speed section has the recipe and the figures.
package xend

import (
	"context"
	"fmt"
	"testing"

	"xvirsh/backend"
	"xvirsh/backend/fake"
)

func BenchmarkList10000(b *testing.B) {
	const n = 10000
	host := fake.New(4)
	ctx := context.Background()
	running := 1 // Domain-0
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("bench%05d", i)
		cfg := vmConfig(name, fmt.Sprintf("%08x-0000-4000-8000-000000000000", i))
		switch i % 3 {
		case 0: // running
			running++
			if err := host.Create(ctx, cfg); err != nil {
				b.Fatal(err)
			}
			if err := host.Op(ctx, name, "unpause", nil); err != nil {
				b.Fatal(err)
			}
		case 1: // paused: xend creates domains paused
			if err := host.Create(ctx, cfg); err != nil {
				b.Fatal(err)
			}
		case 2: // shut off: defined, never started
			if err := host.New(ctx, cfg); err != nil {
				b.Fatal(err)
			}
		}
	}
	c := simClient(b, host, "unix")
	doms := backend.NewDomains(c, "xen+unix:///bench")

	b.Run("list-all", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			got, err := doms.List(ctx, backend.ListAll)
			if err != nil {
				b.Fatal(err)
			}
			if len(got) != n+1 {
				b.Fatalf("listed %d domains, want %d", len(got), n+1)
			}
		}
	})
	// What list --all asks for when it prints the table (ListBrief): the
	// running records, the names by state, and only the paused domains'
	// records, since a shut-off one needs none.
	b.Run("list-all-brief", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			got, err := doms.List(ctx, backend.ListAll|backend.ListBrief)
			if err != nil {
				b.Fatal(err)
			}
			if len(got) != n+1 {
				b.Fatalf("listed %d domains, want %d", len(got), n+1)
			}
		}
	})
	b.Run("detail", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			recs, err := c.Domains(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if len(recs) != running {
				b.Fatalf("detail listed %d domains, want the %d running", len(recs), running)
			}
		}
	})
	b.Run("names", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			names, err := c.DomainNames(ctx, "all")
			if err != nil {
				b.Fatal(err)
			}
			if len(names) != n+1 {
				b.Fatalf("listed %d names, want %d", len(names), n+1)
			}
		}
	})
}
