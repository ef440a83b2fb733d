package xmlconv

import "testing"

func TestUnitBytes(t *testing.T) {
	for unit, want := range map[string]uint64{
		"b": 1, "bytes": 1, "BYTE": 1,
		"k": 1024, "KiB": 1024, "KB": 1000,
		"M": 1 << 20, "MiB": 1 << 20, "mb": 1000 * 1000,
		"g": 1 << 30, "GB": 1000 * 1000 * 1000,
		"T": 1 << 40, "TiB": 1 << 40, "tb": 1000 * 1000 * 1000 * 1000,
		"P": 1 << 50, "EiB": 1 << 60, "EB": 1000 * 1000 * 1000 * 1000 * 1000 * 1000,
	} {
		if got, ok := UnitBytes(unit); !ok || got != want {
			t.Errorf("UnitBytes(%q) = %d, %v; want %d", unit, got, ok, want)
		}
	}
	for _, unit := range []string{"", "x", "kibi", "kB2", "Zib", "bit", "mi"} {
		if got, ok := UnitBytes(unit); ok {
			t.Errorf("UnitBytes(%q) = %d, want refused", unit, got)
		}
	}
}
