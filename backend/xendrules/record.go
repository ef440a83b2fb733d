package xendrules

import (
	"strconv"
	"strings"
)

// RuntimeKeys are the record fields xend computes rather than keeps from
// a config (xend-protocol.md §4.1-4.2): a config that carries them, as
// libvirt's autostart path re-posts whole (domain …) records, has them
// dropped.
var RuntimeKeys = map[string]bool{
	"domid": true, "state": true, "status": true, "cpu_time": true, "online_vcpus": true,
	"up_time": true, "start_time": true, "store_mfn": true, "console_mfn": true,
	"shutdown_reason": true, "managed": true, "memory_dynamic_min": true,
	"memory_dynamic_max": true,
}

// ValidName is the check on a VM name the fake host applies: one or more
// of A-Z a-z 0-9 and _ - . : + (XendDomainInfo._checkName). A loop, not
// a regexp: compiling one would cost every start-up.
func ValidName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_-.:+", c) >= 0) {
			return false
		}
	}
	return name != ""
}

// nameClashPrefix starts xend's refusal of a config whose name another VM
// holds (XendDomainInfo._checkName: "VM name 'X' already exists as domain
// N", or without the domain for an inactive one).
const nameClashPrefix = "VM name '"

// NameClash is xend's text for a name held by another domain; domid < 0
// leaves out the " as domain N" of a running holder.
func NameClash(name string, domid int) string {
	if domid < 0 {
		return nameClashPrefix + name + "' already exists"
	}
	return nameClashPrefix + name + "' already exists as domain " + strconv.Itoa(domid)
}

// IsNameClash reports whether an xend error message is the name refusal of
// NameClash, which already names the domain that holds the name.
func IsNameClash(msg string) bool { return strings.Contains(msg, nameClashPrefix) }
