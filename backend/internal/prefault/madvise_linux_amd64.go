package prefault

// madvise is madvise(2); it returns the negated errno on failure, which
// only tells a caller that nothing was mapped.
func madvise(addr, n, advice uintptr) (errno uintptr)
