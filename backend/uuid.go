package backend

import (
	"fmt"

	"xvirsh/xmlconv/randbytes"
)

// NewUUID makes a random version-4 UUID in the canonical form, as xend does
// for a config that carries none.
func NewUUID() string {
	var b [16]byte
	randbytes.Read(b[:]) // never fails: it panics rather than return an error
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
