package xmlconv

import (
	"testing"
)

// BenchmarkXMLToSexpr converts a typical HVM domain (disks, cdrom, floppies,
// three NICs, serials, USB inputs, sound, VNC) and prints the request text,
// which is all a create costs on our side.
func BenchmarkXMLToSexpr(b *testing.B) {
	data := caseInput(b, "hvm-full-define", ".xml")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		vm, err := ToSexpr(data, DefaultVersion)
		if err != nil {
			b.Fatal(err)
		}
		_ = vm.String()
	}
}
