package randbytes

import (
	"errors"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// Read fills b from getrandom(2), as crypto/rand does on Linux, or from
// /dev/urandom on a kernel without it. Like crypto/rand.Read it never
// returns short: it panics if the kernel has no randomness to give.
func Read(b []byte) {
	for len(b) > 0 {
		n, err := unix.Getrandom(b, 0)
		switch {
		case err == nil:
			b = b[n:]
		case errors.Is(err, unix.EINTR):
		case errors.Is(err, unix.ENOSYS):
			readURandom(b)
			return
		default:
			panic("randbytes: getrandom: " + err.Error())
		}
	}
}

func readURandom(b []byte) {
	f, err := os.Open("/dev/urandom")
	if err == nil {
		defer f.Close()
		_, err = io.ReadFull(f, b)
		if err == nil {
			return
		}
	}
	panic("randbytes: " + err.Error())
}
