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

// The init gave sysmon SCHED_BATCH and left the main thread, on which it
// ran, as it was. sysmon is told apart by what it does rather than by its
// ID: while a goroutine keeps a P busy, it is the thread found asleep in
// nanosleep(2) between its checks, nearly all the time (the threads that
// run goroutines park on futexes, and only a spinning one naps in
// nanosleep, for 3 µs). Threads that sysmon starts later inherit the
// policy, so others may have it too.
func TestSysmonIsBatch(t *testing.T) {
	if p := policy(t, os.Getpid()); p != 0 {
		t.Errorf("the main thread's policy is %d, want SCHED_OTHER", p)
	}
	var stop atomic.Bool
	go func() {
		for !stop.Load() {
		}
	}()
	defer stop.Store(true)
	asleep := map[int]int{} // thread: samples found in nanosleep
	for range 50 {
		for _, tid := range threads(t) {
			if inNanosleep(tid) {
				asleep[tid]++
			}
		}
		time.Sleep(time.Millisecond)
	}
	sysmon, most := 0, 0
	for tid, n := range asleep {
		if n > most {
			sysmon, most = tid, n
		}
	}
	if most < 10 {
		t.Skipf("no thread was in nanosleep in 10 of 50 samples (%v): sysmon not found", asleep)
	}
	if p := policy(t, sysmon); p != schedBatch {
		t.Errorf("sysmon (thread %d, in nanosleep in %d of 50 samples) has policy %d, want SCHED_BATCH", sysmon, most, p)
	}
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

// inNanosleep tells whether the thread is blocked in nanosleep(2) now
// (/proc/PID/task/TID/syscall starts with the call's number).
func inNanosleep(tid int) bool {
	b, err := os.ReadFile("/proc/self/task/" + strconv.Itoa(tid) + "/syscall")
	f := strings.Fields(string(b))
	return err == nil && len(f) > 0 && f[0] == strconv.Itoa(syscall.SYS_NANOSLEEP)
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
