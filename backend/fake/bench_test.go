package fake

import (
	"fmt"
	"testing"
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
