// Package randbytes fills buffers with random bytes from the kernel, for
// the UUIDs and MAC addresses xvirsh makes up.
//
// crypto/rand did this, and importing it brought in Go's FIPS 140 module
// (its DRBG, AES-GCM, SHA-2 and SHA-3), whose package inits cost every
// xvirsh command, a one-shot list on the demo host included, about half a
// millisecond. These bytes name things; they guard no secret.
package randbytes
