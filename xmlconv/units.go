package xmlconv

import "strings"

// UnitBytes is the number of bytes in one of the memory units libvirt
// knows, case-insensitively: b/byte/bytes, the powers of 1000 (KB, MB, …)
// and of 1024 (k/KiB, m/MiB, …) up to exabytes. XML <memory unit='…'> and
// virsh's scaled arguments (setmem 512M) share it.
func UnitBytes(unit string) (uint64, bool) {
	u := strings.ToLower(unit)
	switch u {
	case "b", "byte", "bytes":
		return 1, true
	case "":
		return 0, false
	}
	power := strings.IndexByte("kmgtpe", u[0]) + 1
	if power == 0 {
		return 0, false
	}
	var base uint64
	switch u[1:] {
	case "", "ib":
		base = 1024
	case "b":
		base = 1000
	default:
		return 0, false
	}
	n := uint64(1)
	for range power {
		n *= base
	}
	return n, true
}
