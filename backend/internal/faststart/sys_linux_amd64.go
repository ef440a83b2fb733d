package faststart

import (
	"math/bits"
	"unsafe"
)

// syscall3 is a system call of three arguments; r is the kernel's result,
// the negated errno on failure.
func syscall3(trap, a1, a2, a3 uintptr) (r uintptr)

// System call numbers of linux/amd64.
const (
	sysMadvise          = 28
	sysSchedGetaffinity = 204
)

// madvise is madvise(2); it returns the negated errno on failure, which
// only tells a caller that nothing was mapped.
func madvise(addr, n, advice uintptr) (errno uintptr) {
	return syscall3(sysMadvise, addr, n, advice)
}

// cpus is how many CPUs the process may run on, as the runtime counts
// them for its default GOMAXPROCS (getproccount in runtime/os_linux.go);
// 1 when the call fails.
func cpus() int {
	var mask [16]uint64 // 1,024 CPUs, as the runtime asks
	r := syscall3(sysSchedGetaffinity, 0, unsafe.Sizeof(mask), uintptr(unsafe.Pointer(&mask)))
	if int(r) <= 0 {
		return 1
	}
	n := 0
	for _, w := range mask[:min(int(r)/8, len(mask))] {
		n += bits.OnesCount64(w)
	}
	return max(n, 1)
}
