package fake

import (
	"encoding/binary"
	"math/bits"
)

// sha1Sum is the SHA-1 digest of data (FIPS 180-4 §6.1), from which
// fakeMAC derives a MAC that reads the same on every run. It names a
// device and guards nothing. crypto/sha1 computed it before, and importing
// it brought in Go's FIPS 140 module (its DRBG, AES-GCM, SHA-2 and SHA-3),
// whose package inits cost every xvirsh command, a one-shot list on the
// demo host included, about half a millisecond. TestSHA1 holds it to
// crypto/sha1.
func sha1Sum(data []byte) [20]byte {
	h := [5]uint32{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0}
	// The message, a 1 bit, zeros, and its length in bits as 64 bits,
	// in whole 64-byte blocks.
	n := len(data)
	msg := make([]byte, (n+8)/64*64+64)
	copy(msg, data)
	msg[n] = 0x80
	binary.BigEndian.PutUint64(msg[len(msg)-8:], uint64(n)*8)
	var w [80]uint32
	for p := msg; len(p) > 0; p = p[64:] {
		for i := 0; i < 16; i++ {
			w[i] = binary.BigEndian.Uint32(p[4*i:])
		}
		for i := 16; i < 80; i++ {
			w[i] = bits.RotateLeft32(w[i-3]^w[i-8]^w[i-14]^w[i-16], 1)
		}
		a, b, c, d, e := h[0], h[1], h[2], h[3], h[4]
		for i := 0; i < 80; i++ {
			var f, k uint32
			switch {
			case i < 20:
				f, k = b&c|^b&d, 0x5a827999
			case i < 40:
				f, k = b^c^d, 0x6ed9eba1
			case i < 60:
				f, k = b&c|b&d|c&d, 0x8f1bbcdc
			default:
				f, k = b^c^d, 0xca62c1d6
			}
			t := bits.RotateLeft32(a, 5) + f + e + k + w[i]
			a, b, c, d, e = t, a, bits.RotateLeft32(b, 30), c, d
		}
		h[0] += a
		h[1] += b
		h[2] += c
		h[3] += d
		h[4] += e
	}
	var sum [20]byte
	for i, v := range h {
		binary.BigEndian.PutUint32(sum[4*i:], v)
	}
	return sum
}
