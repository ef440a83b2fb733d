//go:build linux

package hugeheap

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func TestBelowThresholdCollectsNothing(t *testing.T) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	Expect(Threshold - 1)
	Expect(0)
	runtime.ReadMemStats(&after)
	if after.NumGC != before.NumGC {
		t.Errorf("Expect below the threshold ran %d collections", after.NumGC-before.NumGC)
	}
}

func TestDisableTHPIsHonoured(t *testing.T) {
	t.Setenv("GODEBUG", "madvdontneed=1,disablethp=1")
	if advisable() {
		t.Error("advisable with GODEBUG=disablethp=1")
	}
}

// childEnv makes the test binary a child that grows its heap and reports
// how much of it is on huge pages; Expect acts once per process, so each
// case is a process of its own.
const childEnv = "HUGEHEAP_TEST_CHILD"

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		switch mode {
		case "expect":
			Expect(24 << 20)
		case "expect-max":
			Expect(math.MaxInt64) // a peer's Content-Length can say anything
		}
		// What a listing does: many small objects, all kept.
		keep := make([][]byte, 0, 4096)
		for range 4096 {
			b := make([]byte, 4000)
			b[0], b[len(b)-1] = 1, 1
			keep = append(keep, b)
		}
		fmt.Println(anonHugeKB())
		runtime.KeepAlive(keep)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// anonHugeKB is the process's AnonHugePages, in kB.
func anonHugeKB() int {
	f, err := os.Open("/proc/self/smaps_rollup")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "AnonHugePages:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return -1
}

func child(t *testing.T, mode string) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, "GODEBUG=")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child %s: %v", mode, err)
	}
	n, err := strconv.Atoi(string(bytes.TrimSpace(out)))
	if err != nil || n < 0 {
		t.Fatalf("child %s: AnonHugePages %q", mode, out)
	}
	return n
}

// 16 MB of small objects land on huge pages after Expect, and on none
// without it: the kernel gives them only to memory that asks.
func TestExpectPutsTheHeapOnHugePages(t *testing.T) {
	if !advisable() {
		t.Skip("transparent huge pages are not in madvise mode here")
	}
	if without := child(t, "plain"); without != 0 {
		t.Skipf("the heap is on %d kB of huge pages without asking", without)
	}
	if with := child(t, "expect"); with < 8<<10 {
		t.Errorf("after Expect(24 MB), 16 MB of objects are on %d kB of huge pages, want at least 8 MB", with)
	}
}

// What a caller expects comes from a peer: the block stays bounded.
func TestExpectIsBounded(t *testing.T) {
	if !advisable() {
		t.Skip("transparent huge pages are not in madvise mode here")
	}
	if with := child(t, "expect-max"); with < 8<<10 {
		t.Errorf("after Expect(MaxInt64), 16 MB of objects are on %d kB of huge pages, want at least 8 MB", with)
	}
}
