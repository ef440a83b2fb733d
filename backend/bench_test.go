package backend_test

import (
	"testing"

	"xvirsh/backend"
	"xvirsh/backend/fake"
)

// One create and one dumpxml through both converters, in memory.
func BenchmarkCreateDumpxmlDestroy(b *testing.B) {
	src := demo(4)
	xml, err := src.XML(ctx, "winxp", false)
	if err != nil {
		b.Fatal(err)
	}
	dst := backend.NewDomains(fake.New(4), "test:///x")
	for b.Loop() {
		if _, err := dst.Create(ctx, []byte(xml)); err != nil {
			b.Fatal(err)
		}
		if _, err := dst.XML(ctx, "winxp", false); err != nil {
			b.Fatal(err)
		}
		if err := dst.Destroy(ctx, "winxp"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListAll(b *testing.B) {
	bk := demo(4)
	for b.Loop() {
		if _, err := bk.List(ctx, backend.ListAll); err != nil {
			b.Fatal(err)
		}
	}
}
