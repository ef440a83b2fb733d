package xmlconv

import (
	"strconv"
	"strings"

	"xvirsh/sexpr"
)

// ToSexpr converts a libvirt domain XML document into the (vm ...) tree that
// xend's create and new requests take, for xend config format version
// (1 to 4; 0 means DefaultVersion).
//
// The root is (vm ...), not libvirt's (domain ...): that is what xend wants
// in a request. libvirt's own SEXPR reader refuses that root, ToXML takes
// both. Every value is a single atom; the sexpr printer quotes as needed, so
// no name, path or password can inject SEXPR (libvirt left several fields,
// e.g. vncpasswd and keymap, unescaped).
func ToSexpr(xml []byte, version int) (*sexpr.Node, error) {
	version, err := checkVersion(version)
	if err != nil {
		return nil, err
	}
	d, err := readDomainXML(xml)
	if err != nil {
		return nil, err
	}
	b := &vmBuilder{d: d, v: version}
	return b.build()
}

// vmBuilder writes one domain in the layout libvirt's xend code used, field
// for field and in the same order (mapping.md §8), for one config format.
type vmBuilder struct {
	d *domainDef
	v int
}

func (b *vmBuilder) build() (*sexpr.Node, error) {
	d := b.d
	vm := sexpr.List(sexpr.Atom("vm"),
		sexpr.KV("name", d.name),
		sexpr.KV("memory", kibToMiB(d.curKiB)),
		sexpr.KV("maxmem", kibToMiB(d.maxKiB)),
		sexpr.KV("vcpus", strconv.Itoa(d.vcpus)),
	)
	if d.vcpuCurrent < d.vcpus {
		vm.Append(sexpr.KV("vcpu_avail", vcpuMask(d.vcpuCurrent)))
	}
	if d.cpuset != "" {
		vm.Append(sexpr.KV("cpus", d.cpuset))
	}
	// Without a uuid xend makes one up, which is what libvirt's XML parser
	// would have done before sending.
	if d.uuid != "" {
		vm.Append(sexpr.KV("uuid", d.uuid))
	}
	for _, f := range topFields {
		if v := *f.str(d); v != "" {
			vm.Append(sexpr.KV(f.sexpr, v))
		}
	}
	if d.bootloader != "" {
		vm.Append(sexpr.KV("bootloader", d.bootloader))
	} else if d.hasBootloader {
		vm.Append(sexpr.List(sexpr.Atom("bootloader")))
	}
	if d.hasBootloader && d.bootloaderArgs != "" {
		vm.Append(sexpr.KV("bootloader_args", d.bootloaderArgs))
	}
	for _, f := range lifecycleFields {
		vm.Append(sexpr.KV(f.sexpr, *f.str(d)))
	}
	clk, err := b.clock()
	if err != nil {
		return nil, err
	}
	img, err := b.image(clk)
	if err != nil {
		return nil, err
	}
	if img != nil {
		vm.Append(img)
	}
	vm.Append(sexpr.KV("localtime", clk.localtime))
	devs, err := b.devices()
	if err != nil {
		return nil, err
	}
	vm.Append(devs...)
	return vm, nil
}

// kibToMiB rounds up, so a guest never gets less memory than it asked for.
func kibToMiB(kib uint64) string {
	return strconv.FormatUint(kib/1024+min(kib%1024, 1), 10)
}

type clockVals struct {
	localtime string // "0" or "1"
	rtcOffset string // seconds; used for HVM on format 4 only
}

// clock maps <clock> to xend's localtime flag and rtc_timeoffset.
func (b *vmBuilder) clock() (clockVals, error) {
	d := b.d
	off, adj, basis := d.clockOffset, d.clockAdjustment, d.clockBasis
	// libvirt reads offset='utc|localtime' with a numeric adjustment as a
	// variable clock on that basis. A zero adjustment changes nothing, and a
	// PV clock has no adjustment in xend.
	if (off == "utc" || off == "localtime") && adj != "" && adj != "reset" {
		if n, _ := strconv.ParseInt(adj, 10, 64); n != 0 && d.hvm {
			off, basis = "variable", off
		} else {
			adj = ""
		}
	}
	lt := func(basis string) string {
		if basis == "localtime" {
			return "1"
		}
		return "0"
	}
	switch {
	case off == "utc" || off == "localtime":
		if d.hvm && gateClockVariable.in(b.v) && adj == "reset" {
			return clockVals{}, unsupportedf("unsupported clock adjustment='reset'")
		}
		return clockVals{localtime: lt(off), rtcOffset: "0"}, nil
	case off == "variable" && d.hvm && gateClockVariable.in(b.v):
		if adj == "reset" {
			return clockVals{}, unsupportedf("unsupported clock adjustment='reset'")
		}
		if adj == "" {
			adj = "0"
		}
		return clockVals{localtime: lt(basis), rtcOffset: adj}, nil
	}
	return clockVals{}, unsupportedf("unsupported clock offset='%s'", off)
}

// image builds (image (linux|hvm ...)); nil when there is none to send.
func (b *vmBuilder) image(clk clockVals) (*sexpr.Node, error) {
	d := b.d
	if d.bootloader != "" {
		// The bootloader finds kernel, initrd and root itself; the kernel
		// arguments travel, and (format 4) the clock. At format 4 a kernel
		// named as well (xend records the one pygrub extracted) is sent
		// too, where libvirt dropped it, so that a running pygrub guest's
		// XML survives dumpxml -> create -> dumpxml; xend lets the
		// bootloader win. Formats 1-3 keep the versioned code's output.
		inner := sexpr.List(sexpr.Atom("linux"))
		for _, i := range kernelSexprOrder {
			f := kernelFields[i]
			if v := *f.str(d); v != "" && (f.name == "cmdline" || gateBootloaderKernel.in(b.v)) {
				inner.Append(sexpr.KV(f.sexpr, v))
			}
		}
		// The emulator serves the PV framebuffer; it goes as for a PV guest
		// booted from a kernel (below), or dumpxml -> create -> dumpxml
		// would lose it.
		inner.Append(b.emulator()...)
		if gateClockVariable.in(b.v) {
			inner.Append(sexpr.KV("localtime", clk.localtime))
		}
		if len(inner.Kids) == 1 {
			return nil, nil
		}
		return sexpr.List(sexpr.Atom("image"), inner), nil
	}
	if !d.hvm && d.kernel == "" && (!d.hasBootloader || d.cmdline == "" && d.initrd == "" && d.root == "") {
		// Nothing to boot, as in dom0's own XML: an image without a kernel
		// is refused by xend and by ToXML ("missing kernel & bootloader"),
		// while a record without an image reads back as this very XML.
		// An empty (bootloader) with kernel arguments keeps them.
		return nil, nil
	}
	kind := "linux"
	if d.hvm {
		kind = "hvm"
	}
	k := sexpr.List(sexpr.Atom(kind))
	for _, i := range kernelSexprOrder {
		f := kernelFields[i]
		if v := *f.str(d); v != "" {
			k.Append(sexpr.KV(f.sexpr, v))
		}
	}
	if d.hvm {
		if err := b.hvmImage(k); err != nil {
			return nil, err
		}
	}
	// A PV qemu-dm (it serves the vfb) is sent from 3.0.4 on, as the
	// versioned code did. Modern libvirt sends it for HVM only (mapping.md
	// §9), yet reads it back for PV (§2.1): a PV guest's <emulator> would
	// not survive dumpxml -> create -> dumpxml, and xend >= 3.1 takes it.
	k.Append(b.emulator()...)
	if d.hpet != "" {
		k.Append(sexpr.KV("hpet", d.hpet))
	}
	if d.hvm || !gatePVFB.in(b.v) {
		if g := d.theGraphics(); g != nil {
			k.Append(b.imageGraphics(*g)...)
		}
	}
	if gateClockVariable.in(b.v) {
		if d.hvm {
			k.Append(sexpr.KV("rtc_timeoffset", clk.rtcOffset))
		}
		k.Append(sexpr.KV("localtime", clk.localtime))
	}
	return sexpr.List(sexpr.Atom("image"), k), nil
}

// features are the HVM switches to send. An XML with no <features> gets
// what the host's capabilities turn on by default: libvirt's Xen
// capabilities have PAE on and not switchable off for HVM guests, and its
// XML parser fills it in (mapping.md §12); ToXML writes an empty
// <features/> for a record without any, so that this default does not
// turn PAE on across dumpxml -> create.
//
// In format 1 the default applies to guests the firmware boots, not to a
// direct kernel boot: libvirt's own format-1 output for one (its fv-kernel
// case) has no PAE, which is the only evidence there is; the gate says
// from which format on the default is unconditional.
func (b *vmBuilder) features() []string {
	if b.d.noFeatures && (gateCapDefaults.in(b.v) || b.d.kernel == "") {
		return []string{"pae"}
	}
	return b.d.features
}

// emulator is the (device_model …) to send, if any; its row says for which
// guests and formats.
func (b *vmBuilder) emulator() []*sexpr.Node {
	f := emulatorField
	if v := *f.str(b.d); v != "" && (b.d.hvm || f.pv.in(b.v)) {
		return []*sexpr.Node{sexpr.KV(f.sexpr, v)}
	}
	return nil
}

// hvmImage adds what only HVM images have, from the loader to soundhw.
func (b *vmBuilder) hvmImage(k *sexpr.Node) error {
	d := b.d
	if d.loader == "" {
		return invalidf("no HVM domain loader")
	}
	// Old xend took hvmloader as the kernel; with a direct-boot kernel the
	// loader moves to its own key.
	if d.kernel != "" {
		k.Append(sexpr.KV("loader", d.loader))
	} else {
		k.Append(sexpr.KV("kernel", d.loader))
	}
	k.Append(sexpr.KV("vcpus", strconv.Itoa(d.vcpus)))
	if d.vcpuCurrent < d.vcpus {
		k.Append(sexpr.KV("vcpu_avail", vcpuMask(d.vcpuCurrent)))
	}
	boot := strings.Join(d.boot, "")
	if boot == "" {
		boot = "c"
	}
	k.Append(sexpr.KV("boot", boot))
	k.Append(b.imageDisks()...)
	for _, f := range b.features() {
		k.Append(sexpr.KV(f, "1"))
	}
	k.Append(sexpr.KV("usb", "1"))
	usb, err := b.usbDevices()
	if err != nil {
		return err
	}
	k.Append(usb...)
	par, err := sxParallel(d.parallels)
	if err != nil {
		return err
	}
	ser, err := sxSerial(d.hvmSerials())
	if err != nil {
		return err
	}
	k.Append(par, ser)
	if s := soundhw(d.sounds); s != "" {
		k.Append(sexpr.KV("soundhw", s))
	}
	return nil
}
