package xendrules

import (
	"strconv"
	"strings"
)

// RuntimeKey says whether key is one of the record fields xend computes
// rather than keeps from a config (xend-protocol.md §4.1-4.2): a config
// that carries them, as libvirt's autostart path re-posts whole (domain …)
// records, has them dropped. (A switch, not a map: a package-level map is
// built by every start-up.)
func RuntimeKey(key string) bool {
	switch key {
	case "domid", "state", "status", "cpu_time", "online_vcpus",
		"up_time", "start_time", "store_mfn", "console_mfn",
		"shutdown_reason", "managed", "memory_dynamic_min",
		"memory_dynamic_max":
		return true
	}
	return false
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

// ShutdownReasonShown reports whether a record at this config format
// carries (shutdown_reason R) while the domain's shutdown flag is set (a
// domain kept after its shutdown, state ---s--): xend 3.0.x's
// XendDomainInfo.sxpr (formats 1 and 2) prints it right after the state,
// only then (xend-protocol.md §4.1); XendConfig.to_sxp (formats 3 and 4,
// §4.2) has no such field.
func ShutdownReasonShown(format int) bool { return format < 3 }
