//go:build linux && amd64

package faststart

import (
	"bufio"
	"os"
	"os/exec"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// Every page of a segment is mapped after populateRead, not only those
// the run has touched. The test first unmaps them (MADV_DONTNEED drops the
// page table entries; the pages stay in the page cache), so that what a
// kernel maps on its own around faults does not pass for populateRead's
// work.
func TestPopulateMapsAllOfASegment(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	a := readAuxv(getAuxv())
	for _, c := range []struct {
		name, perms string
		kind        segment
	}{{"text", "r-xp", text}, {"read-only data", "r--p", readOnly}} {
		t.Run(c.name, func(t *testing.T) {
			for _, r := range ranges(a, c.kind) {
				b := unsafe.Slice(*(**byte)(unsafe.Pointer(&r[0])), r[1])
				if err := syscall.Madvise(b, syscall.MADV_DONTNEED); err != nil {
					t.Fatal(err)
				}
			}
			size, before := mapping(t, exe, c.perms)
			if size == 0 {
				t.Fatalf("no %s mapping of %s in /proc/self/smaps", c.perms, exe)
			}
			if before == size {
				t.Skipf("all %d KB mapped again before populateRead: nothing to tell", size)
			}
			populateRead(a, c.kind)
			if _, after := mapping(t, exe, c.perms); after != size {
				t.Errorf("%d KB resident of %d KB after populateRead (%d before)", after, size, before)
			}
		})
	}
}

func TestSegmentRangesFollowTheHeaders(t *testing.T) {
	a := readAuxv(getAuxv())
	code, ro := ranges(a, text), ranges(a, readOnly)
	if len(code) != 1 || len(ro) != 1 {
		t.Fatalf("%d executable and %d read-only ranges, want Go's one of each: %v %v", len(code), len(ro), code, ro)
	}
	for _, r := range [][2]uintptr{code[0], ro[0]} {
		if r[0]%4096 != 0 || r[1]%4096 != 0 || r[1] == 0 {
			t.Errorf("range %#x+%#x is not whole pages", r[0], r[1])
		}
	}
	if code[0][0]+code[0][1] > ro[0][0] {
		t.Errorf("text %#x+%#x runs into the read-only data at %#x", code[0][0], code[0][1], ro[0][0])
	}
	// The data segment is written to: mapping it read would only make
	// each first write a fault of its own.
	if got := ranges(a, func(f uint32) bool { return f&pfW != 0 }); len(got) != 1 || got[0][0] < ro[0][0]+ro[0][1] {
		t.Errorf("writable ranges %v, want the one data segment after the read-only one", got)
	}
	if ranges(readAuxv(nil), text) != nil || ranges(readAuxv([]uintptr{atPhdr, 0, atPagesz, 4096}), readOnly) != nil {
		t.Error("ranges made up without program headers")
	}
}

// With a second CPU the mapping runs beside the other inits and ends on
// its own; with one it is done before the init returns. Each case needs a
// process as the init left it, so each runs in a new process of this test
// binary, the one-CPU case under taskset(1).
func TestInitMapsBesideTheOtherInits(t *testing.T) {
	if c := os.Getenv("PREFAULT_INIT_CHILD"); c != "" {
		checkInit(t, c == "background")
		return
	}
	if cpus() < 2 {
		t.Skip("one CPU: the background case cannot be run")
	}
	taskset, err := exec.LookPath("taskset")
	if err != nil {
		t.Skip("no taskset(1) to run the one-CPU case")
	}
	for _, c := range []struct {
		mode string
		argv []string
	}{
		{"background", []string{os.Args[0]}},
		{"in place", []string{taskset, "-c", "0", os.Args[0]}},
	} {
		cmd := exec.Command(c.argv[0], append(c.argv[1:], "-test.run=^TestInitMapsBesideTheOtherInits$", "-test.count=1", "-test.v")...)
		cmd.Env = append(os.Environ(), "PREFAULT_INIT_CHILD="+c.mode)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", c.mode, err, out)
		}
	}
}

func checkInit(t *testing.T, background bool) {
	if inBackground != background {
		t.Fatalf("populate ran in the background: %v, want %v", inBackground, background)
	}
	if !background {
		select {
		case <-done:
		default:
			t.Fatal("the init returned before populate had")
		}
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("populate has not returned after 10 s")
	}
	if heapMapped[0] == 0 {
		t.Skip("populate mapped nothing (kernel before 5.14?)")
	}
	a := readAuxv(getAuxv())
	want := append(ranges(a, text), ranges(a, readOnly)...)
	if !slices.Equal(segsMapped, want) {
		t.Errorf("populate mapped %#x, want the text and the read-only data, %#x", segsMapped, want)
	}
}

// keep holds what the heap test allocates, so that it stays on the heap.
var keep [][]byte

// What the runtime hands out after the init's populate is already
// mapped, so its first touch costs no fault. The check needs a heap as the
// init left it, so it runs in a new process of this test binary; between
// the init and the test only the testing package has allocated. That
// process has one P: each P takes pages from a cache of its own, so a
// goroutine that moves to another allocates elsewhere (heapRange's
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
	<-done                 // closed by the init itself with one P
	start, end := heapMapped[0], heapMapped[1]
	if start == 0 {
		t.Skip("populate mapped no heap (kernel before 5.14?)")
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
			t.Skipf("fresh heap at %#x is mapped without populate (huge pages?): nothing to tell", p)
		}
	}
	if inside == 0 && end-start >= heapAhead/2 {
		t.Errorf("no allocation landed in the %d KB populate mapped (%#x-%#x)", (end-start)>>10, start, end)
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

// ranges is what eachSegment gives for kind, as (start, length) pairs.
func ranges(a auxv, kind segment) (rs [][2]uintptr) {
	eachSegment(a, kind, func(start, n uintptr) { rs = append(rs, [2]uintptr{start, n}) })
	return rs
}

// mapping is the Size and Rss, in KB, of exe's mapping with these perms.
func mapping(t *testing.T, exe, perms string) (size, rss int) {
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
			in = fs[1] == perms && fs[5] == exe
		case in && len(fs) == 3 && fs[0] == "Size:":
			size, _ = strconv.Atoi(fs[1])
		case in && len(fs) == 3 && fs[0] == "Rss:":
			rss, _ = strconv.Atoi(fs[1])
		}
	}
	return size, rss
}
