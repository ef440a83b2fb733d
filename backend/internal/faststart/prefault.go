package faststart

import "unsafe"

// The mapping: pages that a short command will touch anyway, mapped in
// one system call each instead of a page fault each: the program's code
// and read-only data, and the heap its allocations are about to grow
// into. On the VMs the README's figures come from a page fault is a trap
// that costs several microseconds, most right after another program
// (virsh, say) has left the CPU's caches cold. `perf record -e
// page-faults -d` on a one-shot `list`:
//   - code: it runs code from all over 2.6 MB of text (each package's
//     init, then the command), and the kernel maps a file's pages 64 KB
//     around each fault: 35 such windows faulted, a hello-world's 10.
//     madvise(MADV_POPULATE_READ) over the text segment maps all of it. The
//     pages are the page cache's, shared with every run of the binary;
//   - read-only data: type descriptors, itabs and strings in .rodata, and
//     the function tables in .gopclntab that every stack copy and
//     traceback reads, 2.5 MB: some 20 faults more than a hello-world's,
//     mapped the same way;
//   - heap: each size class the command allocates from takes a fresh span
//     whose pages fault in one by one, about 45 pages past what a
//     hello-world's heap faults. madvise(MADV_POPULATE_WRITE) maps the
//     512 KB where the next spans will be carved (heapRange).
//
// The calls cost time of their own, about a third of a millisecond for
// the three, so they run on a goroutine of their own when the process may
// use a second CPU: the main goroutine goes on with the inits while the
// other CPU, idle at that moment, maps what they are about to touch (a
// fault on a page not mapped yet is taken as usual). On one CPU they run
// in place, before the other inits, as a goroutine would only run once
// main blocks.
//
// They need Linux 5.14; on an older kernel the calls fail and nothing
// changes. The resident size that is counted grows: a one-shot `list` on
// the demo host peaks at 6.1-6.4 MB instead of 4.4 without the package
// (it often exits before the read-only data is all mapped), nearly all of
// it the page cache's pages of the binary, shared.

// From the ELF and auxv ABIs (elf.h) and Linux's mman.h.
const (
	atPhdr   = 3
	atPhent  = 4
	atPhnum  = 5
	atPagesz = 6

	ptLoad = 1
	ptPhdr = 6
	pfX    = 1
	pfW    = 2

	madvPopulateRead  = 22
	madvPopulateWrite = 23
)

// heapAhead is how much heap populate maps. A one-shot `list` on the
// demo host grows its heap by about 240 KB once the inits start; 256 KB,
// 512 KB and 1 MB measured alike in turn with virsh, and a command that
// allocates more faults the rest in as usual.
const heapAhead = 512 << 10

// heapChunk is the unit in which Go's runtime maps heap memory
// (pallocChunkBytes in runtime/mpagealloc.go): past the end of the chunk
// the heap is in, nothing is mapped yet.
const heapChunk = 4 << 20

// elfPhdr is an Elf64_Phdr.
type elfPhdr struct {
	typ, flags                          uint32
	off, vaddr, paddr, filesz, memsz, _ uint64
}

//go:linkname getAuxv runtime.getAuxv
func getAuxv() []uintptr

// What populate mapped, once done is closed: the heap's range, and each
// segment's.
var (
	heapMapped [2]uintptr
	segsMapped [][2]uintptr
)

// done is closed when populate has returned; inBackground tells whether
// it ran on a goroutine of its own.
var (
	done         = make(chan struct{})
	inBackground bool
)

// startPopulate finds the heap range and has populate map it and the
// segments, on a goroutine when a second CPU may take it.
func startPopulate() {
	a := readAuxv(getAuxv())
	// The heap's next pages are found here, on the main goroutine's P:
	// each P carves spans from pages of its own (heapRange).
	start, end := heapRange(a)
	// The runtime may have fewer Ps than CPUs (GOMAXPROCS, a cgroup's
	// quota); the goroutine then waits until main blocks, and the
	// mapping comes late or not at all: time not saved, nothing else.
	// Asking the runtime would mean importing it, which some of Go's
	// library's packages would then init before this one (the linker
	// orders the ready packages by path, runtime among them).
	if cpus() > 1 {
		inBackground = true
		go populate(a, start, end)
		return
	}
	populate(a, start, end)
}

// populate maps the heap range first, which the inits allocate from at
// once, then the code, then the read-only data.
func populate(a auxv, heapStart, heapEnd uintptr) {
	defer close(done)
	if heapStart != 0 && madvise(heapStart, heapEnd-heapStart, madvPopulateWrite) == 0 {
		heapMapped = [2]uintptr{heapStart, heapEnd}
	}
	segsMapped = append(populateRead(a, text), populateRead(a, readOnly)...)
}

// auxv is what this package reads from the auxiliary vector.
type auxv struct {
	phdr, phent, phnum, page uintptr
}

func readAuxv(v []uintptr) auxv {
	var a auxv
	for i := 0; i+1 < len(v); i += 2 {
		switch v[i] {
		case atPhdr:
			a.phdr = v[i+1]
		case atPhent:
			a.phent = v[i+1]
		case atPhnum:
			a.phnum = v[i+1]
		case atPagesz:
			a.page = v[i+1]
		}
	}
	if a.page&(a.page-1) != 0 {
		a.page = 0
	}
	return a
}

// segment picks program segments by their flags.
type segment func(flags uint32) bool

func text(flags uint32) bool     { return flags&pfX != 0 }
func readOnly(flags uint32) bool { return flags&(pfX|pfW) == 0 }

// populateRead maps the segments kind picks and returns those it could.
func populateRead(a auxv, kind segment) (mapped [][2]uintptr) {
	eachSegment(a, kind, func(start, n uintptr) {
		if madvise(start, n, madvPopulateRead) == 0 {
			mapped = append(mapped, [2]uintptr{start, n})
		}
	})
	return mapped
}

// eachSegment calls f with each loaded segment of the running program
// whose flags kind accepts, as whole pages, from its program headers in
// memory (auxv's AT_PHDR); with none when the headers are not the 64-bit
// ones it knows.
func eachSegment(a auxv, kind segment, f func(start, n uintptr)) {
	if a.phdr == 0 || a.phent != unsafe.Sizeof(elfPhdr{}) || a.page == 0 {
		return
	}
	// The headers are the kernel's mapping of the binary, outside Go's
	// heap: reading them through a pointer made from auxv is safe.
	hs := unsafe.Slice(*(**elfPhdr)(unsafe.Pointer(&a.phdr)), a.phnum)
	// A position-independent binary is loaded at an offset from the
	// addresses its headers give; PT_PHDR says where they themselves are.
	bias, known := uintptr(0), false
	for _, h := range hs {
		if h.typ == ptPhdr {
			bias, known = a.phdr-uintptr(h.vaddr), true
		}
	}
	if !known {
		return
	}
	for _, h := range hs {
		if h.typ != ptLoad || !kind(h.flags) || h.memsz == 0 {
			continue
		}
		start := (bias + uintptr(h.vaddr)) &^ (a.page - 1)
		end := (bias + uintptr(h.vaddr+h.memsz) + a.page - 1) &^ (a.page - 1)
		f(start, end-start)
	}
}

// probe holds the object heapRange places, only so that it is made on
// the heap; it is dropped at once.
var probe []byte

// heapRange is where the heap that the next allocations will take lies,
// up to heapAhead bytes of it. Go's page allocator hands out the lowest
// free pages first (address-ordered first fit, runtime/mpagealloc.go),
// for large objects and for the spans of small ones alike, and before the
// first collection nothing below has been freed: a large object made now
// sits where the heap ends, and what comes next follows it.
// TestHeapAheadIsMapped holds that to the runtime in use. The pages come
// through a cache of 64 per P (pageCache, mpagecache.go): should the main
// goroutine move to another P after this init, as it sometimes does while
// the other inits run, what it allocates comes from that P's cache
// instead, and the mapping is wasted (about 0.1 ms of zeroing); the
// one-shot command measured faster all the same.
func heapRange(a auxv) (start, end uintptr) {
	if a.page == 0 {
		return 0, 0
	}
	probe = make([]byte, 40<<10) // a large object: 5 of the runtime's 8 KB pages
	p := uintptr(unsafe.Pointer(unsafe.SliceData(probe))) + uintptr(len(probe))
	probe = nil
	start = (p + a.page - 1) &^ (a.page - 1)
	end = min(start+heapAhead, (start+heapChunk)&^(heapChunk-1))
	return start, end
}
