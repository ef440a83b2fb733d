package twwidth

import "testing"

// The package state is made on first use (FORK.md), and each entry point
// that reads it must make it: a fresh state first met through any of them
// measures as upstream's init-made one did.
func TestStateMadeOnFirstUse(t *testing.T) {
	for name, first := range map[string]func() int{
		"Width":        func() int { return Width("日本") },
		"WidthNoCache": func() int { return WidthNoCache("日本") },
		"Truncate":     func() int { return len(Truncate("日本語", 4)) },
		"SetEastAsian": func() int { SetEastAsian(true); SetEastAsian(false); return Width("日本") },
	} {
		mu.Lock()
		condition, widthCache = nil, nil
		mu.Unlock()
		got := first()
		want := map[string]int{"Width": 4, "WidthNoCache": 4, "Truncate": len("日本"), "SetEastAsian": 4}[name]
		if got != want {
			t.Errorf("%s first: %d, want %d", name, got, want)
		}
		if condition == nil || widthCache == nil {
			t.Errorf("%s first left the state unmade", name)
		}
	}
}
