package xmlconv

import (
	"testing"

	"xvirsh/sexpr"
)

// FuzzToSexpr feeds arbitrary documents to ToSexpr in every format: it must
// never panic, an error must say something, and whatever it accepts must
// print as SEXPR that xend reads back as the same tree and that ToXML
// takes in turn (what `create` followed by `dumpxml` does).
func FuzzToSexpr(f *testing.F) {
	for _, b := range caseInputs(".xml") {
		f.Add(string(b))
	}
	f.Add(string(hvmDomain("<boot dev='fd'/><boot dev='network'/>",
		`<serial type='udp'><source mode='bind' service=''/></serial><disk device='floppy'><source file='/f'/><target dev='fdb'/></disk>`)))
	f.Fuzz(func(t *testing.T, doc string) {
		for v := 1; v <= 4; v++ {
			vm, err := ToSexpr([]byte(doc), v)
			if err != nil {
				if err.Error() == "" {
					t.Fatalf("empty error message for %q", doc)
				}
				continue
			}
			back, err := sexpr.ParseString(vm.String())
			if err != nil || !sexpr.Equal(vm, back) {
				t.Fatalf("v%d: printed SEXPR does not read back (%v):\n%s", v, err, vm)
			}
			if _, err := ToXML(vm, Options{Version: v}); err != nil && err.Error() == "" {
				t.Fatalf("v%d: ToXML: empty error message", v)
			}
		}
	})
}
