package backend

import (
	"regexp"
	"testing"
)

func TestNewUUID(t *testing.T) {
	v4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 1000 {
		u := NewUUID()
		if !v4.MatchString(u) {
			t.Fatalf("%q is not a canonical version-4 UUID", u)
		}
		if seen[u] {
			t.Fatalf("%q made twice", u)
		}
		seen[u] = true
	}
}
