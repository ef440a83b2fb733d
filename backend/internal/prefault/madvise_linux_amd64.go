package prefault

import (
	"math/bits"
	"unsafe"
)

// madvise is madvise(2); it returns the negated errno on failure, which
// only tells a caller that nothing was mapped.
func madvise(addr, n, advice uintptr) (errno uintptr)

// schedGetaffinity is sched_getaffinity(2): the bytes of mask it filled,
// or the negated errno.
//
//go:noescape
func schedGetaffinity(pid, size uintptr, mask unsafe.Pointer) (ret uintptr)

// cpus is how many CPUs the process may run on, as the runtime counts
// them for its default GOMAXPROCS (getproccount in runtime/os_linux.go);
// 1 when the call fails.
func cpus() int {
	var mask [16]uint64 // 1,024 CPUs, as the runtime asks
	r := schedGetaffinity(0, unsafe.Sizeof(mask), unsafe.Pointer(&mask))
	if int(r) <= 0 {
		return 1
	}
	n := 0
	for _, w := range mask[:min(int(r)/8, len(mask))] {
		n += bits.OnesCount64(w)
	}
	return max(n, 1)
}
