//go:build !(linux && amd64)

package faststart

// madvise does nothing where the raw call is not written: the program
// then faults its code in as it runs, as any other does.
func madvise(addr, n, advice uintptr) (errno uintptr) { return 0 }

// cpus keeps the init from starting a goroutine that would map nothing.
func cpus() int { return 1 }
