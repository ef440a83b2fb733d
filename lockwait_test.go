package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"xvirsh/backend/fake"
)

// TestLockHeldByAnotherProcess is issue 7 point 6: a command waiting for
// another process's lock on a test:///DIR host says whom it waits for,
// gives up after fake.LockWait naming the holder, and changes nothing.
func TestLockHeldByAnotherProcess(t *testing.T) {
	old := fake.LockWait
	fake.LockWait = 600 * time.Millisecond
	defer func() { fake.LockWait = old }()
	dir := t.TempDir()
	if st, _, errs := xv(t, "-c", "test://"+dir, "list"); st != 0 {
		t.Fatal(errs)
	}
	// Held through an open file of its own, as another process holds it;
	// the kernel names this process as the holder.
	f, err := os.Open(filepath.Join(dir, "lock"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dir)
	lock := filepath.Join(dir, "lock")
	for _, cmd := range []string{"list --all", "suspend fc8"} {
		st, out, errs := xv(t, "-c", "test://"+dir, cmd)
		want := fmt.Sprintf("warning: waiting for %s, held by pid %d\n"+
			"error: failed to connect to the hypervisor\n"+
			"error: %s is still held by pid %d after 600 ms; giving up (is that process stuck?)\n", lock, os.Getpid(), lock, os.Getpid())
		if st != 1 || out != "" || errs != want {
			t.Errorf("%s: status %d, stdout %q, stderr:\n%s\nwant 1 and\n%s", cmd, st, out, errs, want)
		}
	}
	sameTree(t, "waiting", tree(t, dir), before)
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	if st, _, errs := xv(t, "-c", "test://"+dir, "suspend fc8"); st != 0 {
		t.Errorf("once the lock is free: %s", errs)
	}
}
