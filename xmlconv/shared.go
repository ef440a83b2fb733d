package xmlconv

import (
	"net"
	"strings"
)

// validDriverName reports whether s can stand before the first ':' of a
// vbd uname: xend runs the block-<name> hotplug script for any name besides
// its own file, phy, tap and tap2, so the set is open. The characters are
// those libvirt's schema allows in <driver name>; a ':' would split the
// uname in the wrong place.
func validDriverName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' ||
			ch == '_' || ch == '-' || ch == '+' || ch == '.') {
			return false
		}
	}
	return true
}

// validModelName is libvirt's rule for <model type>: qemu-dm takes any
// NIC name it knows, so the set is open, but the XML schema allows only
// these characters.
func validModelName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' ||
			ch == '_' || ch == '-') {
			return false
		}
	}
	return true
}

// Bounds ToXML puts on a record; ToSexpr refuses to send more, so that
// what it sends can be read back.
const (
	maxVCPUs  = 4096
	maxCPUs   = 4096    // physical cpus a cpuset may name
	maxMemMiB = 1 << 43 // 8 EiB: the KiB value still fits an int64
	maxRate   = 1 << 62 // bytes per second of a vif rate
)

// isStorageFormat reports whether f is one of libvirt's storage format
// names, which <driver type> takes and a tap uname carries; blktap's "aio"
// is raw, and each direction reads it as such. A switch, where a map would
// be built at every start-up.
func isStorageFormat(f string) bool {
	switch f {
	case "raw", "dir", "bochs", "cloop", "cow", "dmg", "iso", "qcow", "qcow2", "qed",
		"vmdk", "vpc", "vhd", "vdi", "fat", "ploop":
		return true
	}
	return false
}

// parseMAC accepts libvirt's MAC syntax, six colon-separated groups of one
// or two hex digits, and returns it the way xend writes it: lowercase, two
// digits a group.
func parseMAC(s string) (string, bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 6 {
		return "", false
	}
	var b strings.Builder
	b.Grow(17)
	const hex = "0123456789abcdef"
	for i, p := range parts {
		if len(p) < 1 || len(p) > 2 {
			return "", false
		}
		n := 0
		for j := 0; j < len(p); j++ {
			d := txDigit(p[j], 16)
			if d < 0 {
				return "", false
			}
			n = n*16 + d
		}
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteByte(hex[n>>4])
		b.WriteByte(hex[n&15])
	}
	return b.String(), true
}

// pciFields are the parts of a PCI address in order: xend's key in a
// (dev …) list, libvirt's <address> attribute, xend's spelling of the value
// and its largest value.
var pciFields = [4]struct {
	key, attr, format string
	max               int64
}{
	{"domain", "domain", "0x%04x", 0xffff},
	{"bus", "bus", "0x%02x", 0xff},
	{"slot", "slot", "0x%02x", 0x1f},
	{"func", "function", "0x%x", 7},
}

// isIPv4 reports whether s is an address an xm vif's ip can hold: IPv4
// only (xm-config.md §3.11), for the reader and the writer alike.
func isIPv4(s string) bool {
	p := net.ParseIP(s)
	return p != nil && p.To4() != nil
}
