package xmlconv

import (
	"strings"
	"testing"

	"github.com/beevik/etree"

	"xvirsh/sexpr"
)

// etreeRoundTrip is what etree alone costs for a document: read, indent,
// write. It is the yardstick of the converter benchmarks: BenchmarkSexprToXML
// should take at most half of BenchmarkEtreeSexprToXMLOutput, and
// BenchmarkXMLToSexpr at most BenchmarkEtreeXMLToSexprInput.
func etreeRoundTrip(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(data); err != nil {
			b.Fatal(err)
		}
		doc.Indent(2)
		var sb strings.Builder
		if _, err := doc.WriteTo(&sb); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEtreeSexprToXMLOutput(b *testing.B) {
	root, err := sexpr.ParseString(txBenchHVM)
	if err != nil {
		b.Fatal(err)
	}
	out, err := ToXML(root, Options{})
	if err != nil {
		b.Fatal(err)
	}
	etreeRoundTrip(b, []byte(out))
}

func BenchmarkEtreeXMLToSexprInput(b *testing.B) {
	etreeRoundTrip(b, caseInput(b, "hvm-full-define", ".xml"))
}
