#include "textflag.h"

// Raw system calls: the syscall package has an init of its own, and this
// package must run before any.

// func madvise(addr, n, advice uintptr) (errno uintptr)
TEXT ·madvise(SB), NOSPLIT, $0-32
	MOVQ	addr+0(FP), DI
	MOVQ	n+8(FP), SI
	MOVQ	advice+16(FP), DX
	MOVQ	$28, AX // SYS_madvise
	SYSCALL
	MOVQ	AX, errno+24(FP)
	RET

// func schedGetaffinity(pid, size uintptr, mask unsafe.Pointer) (ret uintptr)
TEXT ·schedGetaffinity(SB), NOSPLIT, $0-32
	MOVQ	pid+0(FP), DI
	MOVQ	size+8(FP), SI
	MOVQ	mask+16(FP), DX
	MOVQ	$204, AX // SYS_sched_getaffinity
	SYSCALL
	MOVQ	AX, ret+24(FP)
	RET
