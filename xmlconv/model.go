package xmlconv

// domainDef is the model: one domain as far as xend can express it. Every
// format has a codec that reads it into and writes it out of this one
// struct: the XML codec (xml_read.go, xml_write.go) and the SEXPR codec
// (sexpr_read.go, sexpr_write.go). A read checks everything first, so a
// write starts from a valid model.
type domainDef struct {
	domid       int64 // -1 for an inactive domain (no id)
	name, uuid  string
	description string

	maxKiB, curKiB uint64
	vcpus          int
	vcpuCurrent    int    // == vcpus when <vcpu current> is absent
	cpuset         string // canonical range form, "" when absent

	hvm            bool
	bootloader     string // PV only
	hasBootloader  bool   // <bootloader> present, even empty
	bootloaderArgs string
	kernel, initrd string
	cmdline, root  string
	loader         string
	boot           []string // boot letters a/c/d/n, in XML order

	features []string // acpi apic pae hap viridian, only those switched on
	// noFeatures: the XML has no <features> at all, so the host's
	// capability defaults apply (mapping.md §12).
	noFeatures bool
	// hapOff: <hap state='off'/>, which only the xm form carries (hap = 0,
	// xm-config.md §3.6); to xend leaving (hap) out means the same.
	hapOff bool

	clockOffset     string // utc localtime variable timezone absolute
	clockAdjustment string // "", "reset" or an integer
	clockBasis      string // utc or localtime (variable only)
	hpet            string // "", "1" or "0"

	onPoweroff, onReboot, onCrash string

	emulator string
	disks    []diskDef
	nets     []nicDef
	pci      []pciAddr
	// pciManaged: a PCI device asks to be detached from the host first
	// (pciBlock).
	pciManaged bool
	graphics   []graphicsDef
	inputs     []inputDef
	sounds     []string
	serials    []chrDev
	parallels  []chrDev
	consoles   []chrDev
}

type diskDef struct {
	typ       string // file block dir network volume
	device    string // disk cdrom floppy (lun is read as disk)
	driver    string // driver name, "" when unset
	format    string // driver type, "" when unset; aio is read as raw
	source    string
	target    string // without ioemu: prefix and :disk/:cdrom suffix
	bus       string // the XML <target bus>; derived from target when ""
	readonly  bool
	shareable bool
}

type nicDef struct {
	typ     string // bridge ethernet
	mac     string // canonical lowercase, "" when absent
	bridge  string
	script  string
	ip      string
	vifname string
	model   string
	rateKB  uint64
}

// srcPCI is a PCI address, its parts in pciFields order.
type pciAddr [len(pciFields)]uint64

type graphicsDef struct {
	typ      string // vnc sdl
	port     int    // -1 when unset
	autoport bool
	listen   string
	passwd   string
	keymap   string
	display  string
	xauth    string
}

type inputDef struct {
	typ, bus string
}
