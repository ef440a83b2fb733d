package xmcfg

import "slices"

// keyOrder is the canonical output order of xm-config.md §1.6 (generation
// V), HVM and PV keys merged: builder, kernel, boot, pae, … are the HVM
// sequence and bootloader, bootargs, kernel, ramdisk, extra the PV one, and
// a guest has only one kind. maxvcpus (the xl form) and tsc_mode, which V
// never wrote, sit where M puts them.
var keyOrder = []string{
	"name", "uuid", "maxmem", "memory", "maxvcpus", "vcpus", "vcpu_avail", "cpus",
	"builder", "bootloader", "bootargs", "kernel", "ramdisk", "extra",
	"boot", "pae", "acpi", "apic", "hap", "viridian", "hpet", "tsc_mode", "cdrom",
	"rtc_timeoffset", "localtime", "on_poweroff", "on_reboot", "on_crash",
	"device_model", "usb", "usbdevice",
	"sdl", "vnc", "vncunused", "vncdisplay", "vnclisten", "vncpasswd", "keymap",
	"display", "xauthority", "vfb",
	"disk", "vif", "pci",
	"parallel", "serial", "soundhw",
}

// SortKeys puts the entries in the §1.6 order; keys that order does not
// know follow, in the order they had. The sort is stable, so duplicates
// keep theirs. A key's rank is found by a scan of keyOrder, not in a map
// built at every start-up: a config has a few dozen keys.
func (c *Config) SortKeys() {
	rank := func(name string) int {
		if r := slices.Index(keyOrder, name); r >= 0 {
			return r
		}
		return len(keyOrder)
	}
	slices.SortStableFunc(c.Entries, func(a, b Entry) int { return rank(a.Name) - rank(b.Name) })
}
