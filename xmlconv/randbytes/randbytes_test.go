package randbytes

import (
	"bytes"
	"testing"
)

func TestRead(t *testing.T) {
	for _, n := range []int{0, 1, 3, 16, 300} {
		a, b := make([]byte, n), make([]byte, n)
		Read(a)
		Read(b)
		if n >= 16 && bytes.Equal(a, b) {
			t.Errorf("two reads of %d bytes gave the same bytes", n)
		}
		if n >= 16 && bytes.Equal(a, make([]byte, n)) {
			t.Errorf("%d bytes read as zeros", n)
		}
	}
}
