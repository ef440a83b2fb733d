//go:build !linux

package main

import "testing"

// bindReadOnly: the read-only view as root is written for Linux's bind
// mounts only.
func bindReadOnly(t *testing.T, dir, mp string) {
	t.Helper()
	t.Skip("read-only bind mounts are Linux's")
}
