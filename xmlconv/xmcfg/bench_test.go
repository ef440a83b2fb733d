package xmcfg

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// Speed of the reader and writer, for the record (README): run
//
//	go test -run '^$' -bench . -benchmem ./xmlconv/xmcfg

// BenchmarkParse reads a realistic hand-written HVM guest file.
func BenchmarkParse(b *testing.B) {
	src, err := os.ReadFile("testdata/hvm-guest.cfg")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(src, "hvm-guest.cfg"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseLarge reads 10 MB, just under MaxSize: the bound on the
// time any one file can cost.
func BenchmarkParseLarge(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("disk = [\n")
	for n := 0; sb.Len() < 10_000_000; n++ {
		fmt.Fprintf(&sb, "  'phy:/dev/vg%03d/volume%06d,xvd%06d,w',\n", n%1000, n, n)
	}
	sb.WriteString("]\n")
	src := sb.String()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseString(src, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshal(b *testing.B) {
	c, err := ReadFile("testdata/hvm-guest.cfg")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Marshal(); err != nil {
			b.Fatal(err)
		}
	}
}
