package fake

import (
	"strconv"

	"xvirsh/backend/xendrules"
	"xvirsh/sexpr"
)

// memoryFits refuses memory no domain can have: more MiB than a signed
// 64-bit count of KiB holds (xendrules.MaxMemoryMiB), and, for a domain
// about to run, more than the whole host has, which xend's balloon check
// refuses at create and start.
func memoryFits(cfg *sexpr.Node, running bool) error {
	for _, key := range []string{"memory", "maxmem"} {
		mib, _ := strconv.ParseInt(cfg.Get(key), 10, 64)
		if mib > xendrules.MaxMemoryMiB {
			return errorf(nil, "Invalid %s: %d MiB is more than any host can have", key, mib)
		}
	}
	if mib, _ := strconv.ParseInt(cfg.Get("memory"), 10, 64); running && mib > hostMemoryMiB {
		return errorf(nil, "I need %d KiB, but the host has only %d KiB", mib<<10, hostMemoryMiB<<10)
	}
	return nil
}
