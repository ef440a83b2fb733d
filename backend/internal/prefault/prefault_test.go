//go:build linux && amd64

package prefault

import (
	"bufio"
	"os"
	"os/exec"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// Every page of the code is mapped after populateText, not only those the
// run has touched. The test first unmaps them (MADV_DONTNEED drops the page
// table entries; the pages stay in the page cache), so that what a kernel
// maps on its own around faults does not pass for populateText's work.
func TestPopulateMapsAllText(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	a := readAuxv(getAuxv())
	for _, r := range textRanges(a) {
		text := unsafe.Slice(*(**byte)(unsafe.Pointer(&r[0])), r[1])
		if err := syscall.Madvise(text, syscall.MADV_DONTNEED); err != nil {
			t.Fatal(err)
		}
	}
	size, before := textMapping(t, exe)
	if size == 0 {
		t.Fatalf("no executable mapping of %s in /proc/self/smaps", exe)
	}
	if before == size {
		t.Skipf("all %d KB of text mapped again before populateText: nothing to tell", size)
	}
	populateText(a)
	if _, after := textMapping(t, exe); after != size {
		t.Errorf("text mapping: %d KB resident of %d KB after populateText (%d before)", after, size, before)
	}
}

func TestTextRangesFollowTheHeaders(t *testing.T) {
	rs := textRanges(readAuxv(getAuxv()))
	if len(rs) != 1 {
		t.Fatalf("%d executable ranges, want the one text segment: %v", len(rs), rs)
	}
	if rs[0][0]%4096 != 0 || rs[0][1]%4096 != 0 || rs[0][1] == 0 {
		t.Errorf("range %#x+%#x is not whole pages", rs[0][0], rs[0][1])
	}
	if textRanges(readAuxv(nil)) != nil || textRanges(readAuxv([]uintptr{atPhdr, 0, atPagesz, 4096})) != nil {
		t.Error("ranges made up without program headers")
	}
}

// keep holds what the heap test allocates, so that it stays on the heap.
var keep [][]byte

// What the runtime hands out after the init's populateHeap is already
// mapped, so its first touch costs no fault. The check needs a heap as the
// init left it, so it runs in a new process of this test binary; between
// the init and the test only the testing package has allocated. That
// process has one P: each P takes pages from a cache of its own, so a
// goroutine that moves to another allocates elsewhere (populateHeap's
// comment).
func TestHeapAheadIsMapped(t *testing.T) {
	if os.Getenv("PREFAULT_HEAP_CHILD") == "1" {
		checkHeapAhead(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHeapAheadIsMapped$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "PREFAULT_HEAP_CHILD=1", "GOMAXPROCS=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if m := regexp.MustCompile(`SKIP.*\n.*prefault_test.go:\d+: (.*)`).FindSubmatch(out); m != nil {
		t.Skipf("%s", m[1])
	}
}

func checkHeapAhead(t *testing.T) {
	debug.SetGCPercent(-1) // none has run at init: it would free pages below
	start, end := heapMapped[0], heapMapped[1]
	if start == 0 {
		t.Skip("populateHeap mapped nothing (kernel before 5.14?)")
	}
	const size = 64 << 10
	inside := 0
	for range 2 * heapAhead / size {
		b := make([]byte, size) // Go does not zero what the kernel gave zeroed
		keep = append(keep, b)
		p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
		n := resident(t, b)
		switch {
		case p >= start && p+size <= end:
			inside++
			if n != size/4096 {
				t.Errorf("allocation at %#x, in the mapped %#x-%#x: %d of %d pages mapped", p, start, end, n, size/4096)
			}
		case p >= end && n != 0:
			t.Skipf("fresh heap at %#x is mapped without populateHeap (huge pages?): nothing to tell", p)
		}
	}
	if inside == 0 && end-start >= heapAhead/2 {
		t.Errorf("no allocation landed in the %d KB populateHeap mapped (%#x-%#x)", (end-start)>>10, start, end)
	}
	if inside == 0 {
		t.Skipf("the heap was %d KB from the end of its chunk: too little to tell", (end-start)>>10)
	}
}

// resident counts the pages of b that are mapped (mincore(2)).
func resident(t *testing.T, b []byte) int {
	t.Helper()
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	if start%4096 != 0 {
		t.Fatalf("allocation at %#x is not page-aligned", start)
	}
	vec := make([]byte, (len(b)+4095)/4096)
	if _, _, e := syscall.Syscall(syscall.SYS_MINCORE, start, uintptr(len(b)), uintptr(unsafe.Pointer(&vec[0]))); e != 0 {
		t.Fatal(e)
	}
	n := 0
	for _, v := range vec {
		n += int(v & 1)
	}
	return n
}

// textRanges is what eachText gives, as (start, length) pairs.
func textRanges(a auxv) (rs [][2]uintptr) {
	eachText(a, func(start, n uintptr) { rs = append(rs, [2]uintptr{start, n}) })
	return rs
}

// textMapping is the Size and Rss, in KB, of exe's executable mapping.
func textMapping(t *testing.T, exe string) (size, rss int) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	in, sc := false, bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		switch {
		case len(fs) >= 6 && strings.Contains(fs[0], "-"):
			in = strings.HasPrefix(fs[1], "r-x") && fs[5] == exe
		case in && len(fs) == 3 && fs[0] == "Size:":
			size, _ = strconv.Atoi(fs[1])
		case in && len(fs) == 3 && fs[0] == "Rss:":
			rss, _ = strconv.Atoi(fs[1])
		}
	}
	return size, rss
}
