//go:build !linux

package hugeheap

func advisable() bool { return false }

func markHuge([]byte) {}
