package main

import (
	"testing"

	"golang.org/x/sys/unix"
)

// bindReadOnly mounts dir at mp, read-only, until the test ends; the test
// is skipped where mounting is not allowed.
func bindReadOnly(t *testing.T, dir, mp string) {
	t.Helper()
	if err := unix.Mount(dir, mp, "", unix.MS_BIND, ""); err != nil {
		t.Skipf("cannot bind-mount as root here: %v", err)
	}
	t.Cleanup(func() { unix.Unmount(mp, unix.MNT_DETACH) })
	if err := unix.Mount("", mp, "", unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY, ""); err != nil {
		t.Skipf("cannot make a bind mount read-only here: %v", err)
	}
}
