package hugeheap

import (
	"bytes"
	"os"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// advisable tells whether huge pages come only when asked for: not when
// the kernel gives them to all anonymous memory already ("always"), nor
// when it never does, nor when GODEBUG=disablethp=1 told the runtime to
// keep the heap off them.
func advisable() bool {
	if strings.Contains(","+os.Getenv("GODEBUG")+",", ",disablethp=1,") {
		return false
	}
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	return err == nil && bytes.Contains(mode, []byte("[madvise]"))
}

// markHuge marks the whole huge pages inside block MADV_HUGEPAGE. An error
// only means no huge pages: the block is ordinary memory either way.
func markHuge(block []byte) {
	start := uintptr(unsafe.Pointer(unsafe.SliceData(block)))
	end := start + uintptr(len(block))
	lo, hi := (start+pageSize-1)&^(pageSize-1), end&^(pageSize-1)
	if lo >= hi {
		return
	}
	_ = unix.Madvise(block[lo-start:hi-start], unix.MADV_HUGEPAGE)
}
