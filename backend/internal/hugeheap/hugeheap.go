// Package hugeheap backs a command's big, mostly live heap with transparent
// huge pages.
//
// A listing of 10,000 domains builds 12 to 15 MB that stays live until it
// is printed, so every page of it is fresh memory: about 3,500 page faults
// of 4 KB, a third of the client's CPU time on the 2-CPU VM the README's
// figures come from. Where the kernel gives huge pages only to memory that
// asks for them (transparent_hugepage "madvise", the common default), Go's
// heap never asks, and a 2 MB page is one fault instead of 512.
//
// Expect asks, for the heap a command is about to grow into: it lets the
// runtime map the address space now, as one large block, marks the block
// MADV_HUGEPAGE and frees it with a collection, so that the spans of what
// comes next are carved from it. The runtime keeps that mark, because it
// maps heap memory once and then only reuses or releases it, and its
// scavenger does not break huge pages. When any of that does not hold (no
// THP, another kernel, another runtime), the only cost is the collection.
package hugeheap

import (
	"runtime"
	"sync"
)

// Threshold is the least a caller must expect for Expect to act: below a
// few huge pages the collection costs more than the faults it saves.
const Threshold = 4 << 20

// pageSize is the size of a transparent huge page (a PMD) on x86-64, and
// on arm64 with 4 KB pages; elsewhere the marked range is only rounded
// differently.
const pageSize = 2 << 20

// maxBlock bounds the block, whatever a caller expects: expectations come
// from what a peer says (a reply's Content-Length), and address space the
// runtime maps must stay within what any host allows.
const maxBlock = 64 << 20

var once sync.Once

// Expect says that about bytes of heap, most of it live until the command
// ends, are about to be allocated. The first call in a process that
// expects at least Threshold prepares huge pages for them, if the kernel
// offers them only on request; every other call does nothing. It blocks for
// one garbage collection, so it belongs before the work, not in a loop.
func Expect(bytes int64) {
	if bytes < Threshold {
		return
	}
	once.Do(func() {
		if !advisable() {
			return
		}
		reserve(bytes)
	})
}

// reserve maps twice bytes more of heap (at most maxBlock) as one block,
// marks the huge pages inside it and gives the block back to the heap.
// Twice: what a caller expects is a guess, and address space the heap
// does not grow into costs nothing.
func reserve(bytes int64) {
	n := (2*min(bytes, maxBlock/2) + 2*pageSize - 1) &^ (pageSize - 1)
	block := make([]byte, n)
	markHuge(block)
	runtime.KeepAlive(block)
	block = nil
	runtime.GC()
}
