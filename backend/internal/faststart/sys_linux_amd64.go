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

// The calls quietSysmon makes.
const (
	sysClose             = 3
	sysSchedSetscheduler = 144
	sysGettid            = 186
	sysGetdents64        = 217
	sysOpenat            = 257
	atFdcwd              = ^uintptr(99)      // AT_FDCWD, -100
	oRdonlyDirCloexec    = 0x10000 | 0x80000 // O_DIRECTORY|O_CLOEXEC
	schedBatch           = 3
)

// openDir opens the directory at path, which ends in a NUL; a negative
// result on failure.
func openDir(path string) int {
	return int(syscall3(sysOpenat, atFdcwd, uintptr(unsafe.Pointer(unsafe.StringData(path))), oRdonlyDirCloexec))
}

func getdents(fd int, b []byte) int {
	return int(syscall3(sysGetdents64, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b))))
}

func closeFD(fd int) { syscall3(sysClose, uintptr(fd), 0, 0) }

func gettid() int { return int(syscall3(sysGettid, 0, 0, 0)) }

// setBatch gives thread tid the SCHED_BATCH policy (sched_setscheduler(2),
// with the priority of 0 that the policy takes).
func setBatch(tid int) {
	var prio int32
	syscall3(sysSchedSetscheduler, uintptr(tid), schedBatch, uintptr(unsafe.Pointer(&prio)))
}
