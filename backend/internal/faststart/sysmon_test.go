//go:build linux && amd64

package faststart

import (
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Of the process's threads, the init gave SCHED_BATCH to one only, and
// that one is sysmon: while a goroutine keeps a P busy, it is the thread
// found asleep in nanosleep(2), where sysmon waits between its checks (the
// threads that run goroutines park on futexes instead). The main thread,
// on which the init ran, keeps the default policy.
func TestOnlySysmonIsBatch(t *testing.T) {
	var batch []int
	for _, tid := range threads(t) {
		if policy(t, tid) == schedBatch {
			batch = append(batch, tid)
		}
	}
	if p := policy(t, os.Getpid()); p != 0 {
		t.Errorf("the main thread's policy is %d, want SCHED_OTHER", p)
	}
	if len(batch) != 1 {
		t.Fatalf("threads with SCHED_BATCH: %v, want sysmon alone", batch)
	}
	var stop atomic.Bool
	go func() {
		for !stop.Load() {
		}
	}()
	defer stop.Store(true)
	path := "/proc/self/task/" + strconv.Itoa(batch[0]) + "/syscall"
	var seen []string
	for range 500 {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Fields(string(b))
		if len(f) > 0 && f[0] == strconv.Itoa(syscall.SYS_NANOSLEEP) {
			return
		}
		if len(f) > 0 {
			seen = append(seen, f[0])
		}
		time.Sleep(time.Millisecond)
	}
	t.Errorf("thread %d, given SCHED_BATCH, was never in nanosleep as sysmon is; it was in %v", batch[0], seen)
}

func threads(t *testing.T) []int {
	t.Helper()
	es, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Skip(err)
	}
	var tids []int
	for _, e := range es {
		if n, err := strconv.Atoi(e.Name()); err == nil {
			tids = append(tids, n)
		}
	}
	return tids
}

// policy is the thread's scheduling policy (sched_getscheduler(2)).
func policy(t *testing.T, tid int) int {
	t.Helper()
	r, _, e := syscall.RawSyscall(syscall.SYS_SCHED_GETSCHEDULER, uintptr(tid), 0, 0)
	if e != 0 {
		t.Fatalf("sched_getscheduler(%d): %v", tid, e)
	}
	return int(r)
}
