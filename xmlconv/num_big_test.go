package xmlconv

import (
	"math/big"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"
)

// The mask arithmetic is held to math/big, which the package itself does
// not link.

func TestVcpuMaskMatchesBig(t *testing.T) {
	for n := 0; n <= maxVCPUs; n++ {
		if n > 200 && n%97 != 0 && n != maxVCPUs {
			continue
		}
		want := "0"
		if n > 0 {
			m := new(big.Int).Lsh(big.NewInt(1), uint(n))
			want = m.Sub(m, big.NewInt(1)).String()
		}
		if got := vcpuMask(n); got != want {
			t.Fatalf("vcpuMask(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestPopcountMatchesBig(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	bigCount := func(s string, base int) int {
		var n big.Int
		if _, ok := n.SetString(s, base); !ok {
			t.Fatalf("big cannot read %q", s)
		}
		c := 0
		for _, w := range n.Bits() {
			c += bits.OnesCount(uint(w))
		}
		return c
	}
	for i := 0; i < 300; i++ {
		var b strings.Builder
		b.WriteByte(byte('1' + r.IntN(9)))
		for range r.IntN(1200) {
			b.WriteByte(byte('0' + r.IntN(10)))
		}
		dec := b.String()
		if got, want := txPopcount(dec), bigCount(dec, 10); got != want {
			t.Fatalf("txPopcount(%s) = %d, want %d", dec, got, want)
		}
		var n big.Int
		n.SetString(dec, 10)
		hex, oct := "0x"+n.Text(16), "0"+n.Text(8)
		if got, want := txPopcount(hex), bigCount(hex[2:], 16); got != want {
			t.Fatalf("txPopcount(%s) = %d, want %d", hex, got, want)
		}
		if got, want := txPopcount(oct), bigCount(oct[1:], 8); got != want {
			t.Fatalf("txPopcount(%s) = %d, want %d", oct, got, want)
		}
	}
	for _, c := range []struct {
		in   string
		want int
	}{{"0", 0}, {"7", 3}, {"0xff", 8}, {"0777", 9}, {"18446744073709551616", 1}, {"0xffffffffffffffffff", 72}, {"12abc", 2}, {"-3", 0}, {"x", 0}} {
		if got := txPopcount(c.in); got != c.want {
			t.Errorf("txPopcount(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}
