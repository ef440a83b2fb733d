package fake

import (
	"crypto/sha1"
	"fmt"
	"math/rand/v2"
	"testing"
)

// sha1Sum is crypto/sha1's digest for every length around the block and
// padding boundaries, and for the strings fakeMAC hashes.
func TestSHA1(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n <= 300; n++ {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(r.Uint32())
		}
		if got, want := sha1Sum(data), sha1.Sum(data); got != want {
			t.Fatalf("%d bytes: got %x, want %x", n, got, want)
		}
	}
	for id := 0; id < 20; id++ {
		data := []byte(fmt.Sprintf("%s/%d", "c7a5fdbd-cdaf-9455-926a-d65c16db1809", id))
		if got, want := sha1Sum(data), sha1.Sum(data); got != want {
			t.Errorf("%s: got %x, want %x", data, got, want)
		}
	}
}
