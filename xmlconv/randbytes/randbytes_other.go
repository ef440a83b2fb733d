//go:build !linux

package randbytes

import "crypto/rand"

// Read fills b with random bytes; it never returns short.
func Read(b []byte) { rand.Read(b) }
