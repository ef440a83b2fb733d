package xmlconv

// The plain fields of the model, one row each: where the XML keeps the
// value, where the SEXPR keeps it, its kind and the xend config formats
// that carry it. Every codec reads and writes these fields through the
// rows (and TestFieldTable round-trips each row through both formats), so
// one field is one row; the polymorphic parts (disk uname, the character
// device grammar, image vs vfb graphics, the format 1 cdrom) are
// hand-written methods of the codecs.
type field[T any] struct {
	name  string // the model's name for it, in test output
	xml   string // element (under <os>, <devices> or <domain>) or attribute
	sexpr string // key, at top level or in the image
	// words, when set, is the closed set of values (the first is the
	// default when the field is absent).
	words []string
	// graphics is the <graphics type> a graphics row belongs to.
	graphics string
	// image is the formats that carry the field in the HVM or PV image,
	// pv those that send it for a PV guest at all (zero gates: all).
	image, pv gate
	str       func(*T) *string
}

// topFields are the optional free-text fields of the domain itself:
// <description>, (description …) right after the uuid.
var topFields = []field[domainDef]{
	{name: "description", xml: "description", sexpr: "description", str: func(d *domainDef) *string { return &d.description }},
}

// kernelFields are the direct-boot fields: <os><kernel> etc. and the
// image's (kernel …) etc., in the XML order. A PV guest always has them;
// an HVM guest only beside a (loader).
var kernelFields = []field[domainDef]{
	{name: "kernel", xml: "kernel", sexpr: "kernel", str: func(d *domainDef) *string { return &d.kernel }},
	{name: "initrd", xml: "initrd", sexpr: "ramdisk", str: func(d *domainDef) *string { return &d.initrd }},
	{name: "cmdline", xml: "cmdline", sexpr: "args", str: func(d *domainDef) *string { return &d.cmdline }},
	{name: "root", xml: "root", sexpr: "root", str: func(d *domainDef) *string { return &d.root }},
}

// kernelSexprOrder is the order xend's image lists kernelFields in
// (mapping.md §8): kernel, ramdisk, root, args.
var kernelSexprOrder = [...]int{0, 1, 3, 2}

// emulatorField is <devices><emulator>, the image's (device_model …):
// sent for HVM in every format and, as the versioned code did, for PV
// from 3.0.4 on (mapping.md §9).
var emulatorField = field[domainDef]{name: "emulator", xml: "emulator", sexpr: "device_model",
	pv: gatePVFB, str: func(d *domainDef) *string { return &d.emulator }}

// lifecycleFields list the accepted words per event, with the default
// first, for both directions: what ToSexpr sends, ToXML must read back.
// The coredump actions exist for crashes only (libvirt's schema agrees).
var lifecycleFields = []field[domainDef]{
	{name: "on_poweroff", xml: "on_poweroff", sexpr: "on_poweroff",
		words: []string{"destroy", "restart", "rename-restart", "preserve"},
		str:   func(d *domainDef) *string { return &d.onPoweroff }},
	{name: "on_reboot", xml: "on_reboot", sexpr: "on_reboot",
		words: []string{"restart", "destroy", "rename-restart", "preserve"},
		str:   func(d *domainDef) *string { return &d.onReboot }},
	{name: "on_crash", xml: "on_crash", sexpr: "on_crash",
		words: []string{"destroy", "restart", "rename-restart", "preserve", "coredump-destroy", "coredump-restart"},
		str:   func(d *domainDef) *string { return &d.onCrash }},
}

// featureFields are the <features> xend has a switch for, (acpi 1) etc. in
// the HVM image, in the order both directions write them. They are flags:
// the model lists the ones switched on.
var featureFields = []field[domainDef]{
	{name: "acpi", xml: "acpi", sexpr: "acpi"},
	{name: "apic", xml: "apic", sexpr: "apic"},
	{name: "pae", xml: "pae", sexpr: "pae"},
	{name: "hap", xml: "hap", sexpr: "hap"},
	{name: "viridian", xml: "viridian", sexpr: "viridian"},
}

// graphicsFields are the plain <graphics> attributes, the same keys in a
// vfb and in the image. In the image, xend 3.0.2 (format 1) takes only
// (vnc 1): the VNC settings are sent from format 2 on (mapping.md §6.2).
var graphicsFields = []field[graphicsDef]{
	{name: "listen", xml: "listen", sexpr: "vnclisten", graphics: "vnc", image: gateImageVNC,
		str: func(g *graphicsDef) *string { return &g.listen }},
	{name: "passwd", xml: "passwd", sexpr: "vncpasswd", graphics: "vnc", image: gateImageVNC,
		str: func(g *graphicsDef) *string { return &g.passwd }},
	{name: "keymap", xml: "keymap", sexpr: "keymap", graphics: "vnc", image: gateImageVNC,
		str: func(g *graphicsDef) *string { return &g.keymap }},
	{name: "display", xml: "display", sexpr: "display", graphics: "sdl",
		str: func(g *graphicsDef) *string { return &g.display }},
	{name: "xauth", xml: "xauth", sexpr: "xauthority", graphics: "sdl",
		str: func(g *graphicsDef) *string { return &g.xauth }},
}

// bootDevs maps xend's HVM boot letters, as in (boot cd), to libvirt's
// <boot dev='…'/> names, both ways (mapping.md §5).
var bootDevs = [...]struct{ letter, dev string }{
	{"a", "fd"}, {"c", "hd"}, {"d", "cdrom"}, {"n", "network"},
}

// bootDev returns the <boot dev> of a letter.
func bootDev(letter string) (string, bool) {
	for _, b := range bootDevs {
		if b.letter == letter {
			return b.dev, true
		}
	}
	return "", false
}

// bootLetter returns the letter of a <boot dev>.
func bootLetter(dev string) (string, bool) {
	for _, b := range bootDevs {
		if b.dev == dev {
			return b.letter, true
		}
	}
	return "", false
}
