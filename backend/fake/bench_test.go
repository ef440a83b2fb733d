package fake

import (
	"fmt"
	"os/exec"
	"testing"

	"xvirsh/sexpr"
)

// What every list costs in memory: records for the demo host.
func BenchmarkDomainsInMemory(b *testing.B) {
	h := NewDefault()
	for b.Loop() {
		if _, err := h.Domains(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// What a read costs on a directory host of 50 domains: lock, reload
// (unchanged files come from the cache), build records.
func BenchmarkDomainsInDir(b *testing.B) {
	h, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	for i := range 50 {
		if err := h.New(ctx, mustParse(b, pvConfig(fmt.Sprintf("d%d", i), ""))); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if _, err := h.Domains(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// A durable define: mkdir, temp file, three fsyncs, rename.
func BenchmarkDefineInDir(b *testing.B) {
	h, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	i := 0
	for b.Loop() {
		i++
		if err := h.New(ctx, mustParse(b, pvConfig(fmt.Sprintf("d%d", i), ""))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkList10000Dir is the host's share of `xvirsh -c test:///DIR list
// --all` on 10,000 domains written by testdata/bench/hosts.sh (a third
// running, a third paused, a third shut off): open the directory afresh,
// as each command does, probe it (Node) and take every brief record. The
// index is built before, as by the first command on the host;
// commands.BenchmarkList10000Dir has the whole command, that first one
// included.
func BenchmarkList10000Dir(b *testing.B) {
	b.Setenv("XDG_CACHE_HOME", b.TempDir())
	dir := b.TempDir()
	out, err := exec.Command("../../testdata/bench/hosts.sh", dir, "10000").CombinedOutput()
	if err != nil {
		b.Skipf("hosts.sh: %v\n%s", err, out)
	}
	list := func() {
		h, err := Open(dir + "/xend")
		if err != nil {
			b.Fatal(err)
		}
		defer h.Close()
		if _, err := h.Node(ctx); err != nil {
			b.Fatal(err)
		}
		recs, err := h.AllBriefDomains(ctx)
		if err != nil || len(recs) != 10001 {
			b.Fatalf("%d records, %v", len(recs), err)
		}
	}
	list()
	b.ReportAllocs()
	for b.Loop() {
		list()
	}
}

// BenchmarkSetupInMemory is what building an in-memory host of n domains
// costs, as backend/xend's BenchmarkList10000 does before it lists: a
// third created and unpaused, a third created (paused), a third defined.
// Each op finds its domain by name, so this is where a per-op cost that
// grows with the host shows: 1,000 against 10,000 should differ tenfold,
// not a hundredfold.
func BenchmarkSetupInMemory(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			cfgs := make([]*sexpr.Node, n)
			for i := range cfgs {
				cfgs[i] = mustParse(b, pvConfig(fmt.Sprintf("bench%05d", i), fmt.Sprintf("%08x-0000-4000-8000-000000000000", i)))
			}
			b.ReportAllocs()
			for b.Loop() {
				h := New(4)
				for i, cfg := range cfgs {
					var err error
					switch i % 3 {
					case 0:
						if err = h.Create(ctx, cfg); err == nil {
							err = h.Op(ctx, cfg.Get("name"), "unpause", nil)
						}
					case 1:
						err = h.Create(ctx, cfg)
					case 2:
						err = h.New(ctx, cfg)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
