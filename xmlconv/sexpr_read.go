package xmlconv

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"xvirsh/sexpr"
)

// sexprReader reads one (domain …) record or (vm …) config into the model,
// leniently (mapping.md §2-§7): what the converter does not know is dropped
// with a warning, only what leaves no domain at all is an error.
type sexprReader struct {
	root  *sexpr.Node
	opt   Options
	ver   int
	image *sexpr.Node // the (hvm …) or (linux …) list; nil when absent
	d     *domainDef

	// device blocks among the root's direct children, in SEXPR order
	disks []*sexpr.Node // the (vbd …), (tap2 …) or (tap …) list
	vifs  []*sexpr.Node
	pci   *sexpr.Node // first (pci …) with content
	vfb   *sexpr.Node // first (vfb …) with content
}

// readSexpr checks the root and reads the record into a model.
func readSexpr(root *sexpr.Node, opt Options) (*domainDef, error) {
	if root == nil {
		return nil, fmt.Errorf("%w: empty input", ErrNotDomain)
	}
	if !root.IsList() {
		if root.Value == "" {
			return nil, fmt.Errorf("%w: empty input", ErrNotDomain)
		}
		return nil, fmt.Errorf("%w: got the atom %q, want (domain ...) or (vm ...)", ErrNotDomain, root.Value)
	}
	if h := root.Head(); h != "domain" && h != "vm" {
		if h == "" {
			return nil, fmt.Errorf("%w: the root list has no head, want (domain ...) or (vm ...)", ErrNotDomain)
		}
		return nil, fmt.Errorf("%w: root is (%s ...), want (domain ...) or (vm ...)", ErrNotDomain, h)
	}
	ver, err := checkVersion(opt.Version)
	if err != nil {
		return nil, err
	}
	r := &sexprReader{root: root, opt: opt, ver: ver, d: &domainDef{domid: -1}}
	if r.d.hvm = root.HasContent("image/hvm"); r.d.hvm {
		r.image = root.Lookup("image/hvm")
	} else {
		r.image = root.Lookup("image/linux")
	}
	if err := r.read(); err != nil {
		if r.d.name != "" {
			return nil, &DomainError{Domain: r.d.name, Err: err}
		}
		return nil, err
	}
	return r.d, nil
}

// DomainError is a conversion error of one named domain.
type DomainError struct {
	Domain string
	Err    error
}

func (e *DomainError) Error() string { return "domain " + e.Domain + ": " + e.Err.Error() }
func (e *DomainError) Unwrap() error { return e.Err }

func (r *sexprReader) read() error {
	if err := r.readDomid(); err != nil {
		return err
	}
	d := r.d
	d.name = r.root.Get("name")
	if d.name == "" {
		return fmt.Errorf("%w, missing name", ErrIncomplete)
	}
	rawUUID := r.root.Get("uuid")
	if rawUUID == "" {
		// libvirt says "missing name" here too; naming the real field helps.
		return fmt.Errorf("%w, missing uuid", ErrIncomplete)
	}
	var err error
	if d.uuid, err = ParseUUID(rawUUID); err != nil {
		return err
	}
	for _, f := range topFields {
		*f.str(d) = r.root.Get(f.sexpr)
	}
	steps := []func() error{
		r.memory, r.vcpus, r.bootloader, r.os, r.features, r.clock, r.lifecycle, r.devices,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// warn reports a value the lenient read drops: what, and why.
func (r *sexprReader) warn(format string, args ...any) {
	if r.opt.Warn != nil {
		r.opt.Warn(fmt.Sprintf("domain %s: ", r.d.name) + fmt.Sprintf(format, args...))
	}
}

// readDomid reads (domid N). libvirt demands it before xend 3.0.4, whose
// records always had one; a record without it is read as an inactive
// domain in every format instead, because that is also how an --inactive
// view of a running domain is asked for (and how (vm …) requests look).
func (r *sexprReader) readDomid() error {
	v, ok := r.root.GetOK("domid")
	if !ok || v == "" {
		return nil
	}
	n, ok := txStrictInt(v)
	if !ok {
		return fmt.Errorf("malformed domid '%s'", v)
	}
	if n >= 0 {
		r.d.domid = n
	}
	return nil
}

// imageGet reads a key of the (hvm …) or (linux …) image.
func (r *sexprReader) imageGet(key string) string {
	if r.image == nil {
		return ""
	}
	return r.image.Get(key)
}

func (r *sexprReader) imageGetOK(key string) (string, bool) {
	if r.image == nil {
		return "", false
	}
	return r.image.GetOK(key)
}

// memory reads (maxmem) and (memory), MiB, into KiB.
func (r *sexprReader) memory() error {
	maxMiB := txLenientInt(r.root.Get("maxmem"))
	curMiB := txLenientInt(r.root.Get("memory"))
	// libvirt takes a missing maxmem as 0 and then clamps memory to 0, which
	// its own post-parse rejects; xend itself defaults maxmem to memory.
	if maxMiB <= 0 {
		maxMiB = curMiB
	}
	if curMiB <= 0 || curMiB > maxMiB {
		curMiB = maxMiB
	}
	if maxMiB <= 0 {
		return fmt.Errorf("%w, missing memory", ErrIncomplete)
	}
	if maxMiB > maxMemMiB {
		return fmt.Errorf("memory size %d MiB out of range", maxMiB)
	}
	r.d.maxKiB, r.d.curKiB = uint64(maxMiB)*1024, uint64(curMiB)*1024
	return nil
}

// vcpus reads (vcpus), (vcpu_avail mask) and (cpus). Only the number of set
// bits of the mask survives; which vcpus were online is lost.
func (r *sexprReader) vcpus() error {
	n := txLenientInt(r.root.Get("vcpus"))
	if n < 1 {
		n = 1 // xend's own default
	}
	if n > maxVCPUs {
		return fmt.Errorf("vcpus %d out of range (at most %d)", n, maxVCPUs)
	}
	r.d.vcpus, r.d.vcpuCurrent = int(n), int(n)
	if mask, ok := r.root.GetOK("vcpu_avail"); ok {
		if cur := int64(txPopcount(mask)); cur > 0 && cur < n {
			r.d.vcpuCurrent = int(cur)
		}
	}
	cpuset, err := r.cpuset()
	if err != nil {
		// The pinning is lost, not the domain.
		r.warn("%v, the cpuset dropped", err)
	}
	r.d.cpuset = cpuset
	return nil
}

// cpuset reads (cpus …). A create request carries a range string,
// (cpus '0-3,^2'); xend reports one affinity list per vcpu,
// (cpus ((0 1) (0 1))), which maps to a cpuset only when all vcpus agree.
// libvirt ignores the key in string conversion and so loses the pinning of
// every domain created with one.
func (r *sexprReader) cpuset() (string, error) {
	node := r.root.Lookup("cpus")
	if node == nil || len(node.Kids) < 2 {
		return "", nil
	}
	first := node.Kids[1]
	if !first.IsList() {
		if strings.TrimSpace(first.Value) == "" {
			return "", nil
		}
		set, ok := parseCPUSet(first.Value, maxCPUs)
		if !ok {
			return "", fmt.Errorf("Invalid value of 'cpumask': %s", first.Value)
		}
		return formatCPUSet(set), nil
	}
	return txAffinityCPUSet(first), nil
}

// txAffinityCPUSet turns xend's per-vcpu affinity lists into one cpuset, or
// "" when the vcpus differ or a list is empty (meaning "any cpu").
func txAffinityCPUSet(lists *sexpr.Node) string {
	if len(lists.Kids) > 0 && !lists.Kids[0].IsList() {
		return formatCPUSet(txAffinitySet(lists.Kids)) // (cpus (0 1))
	}
	common := ""
	for i, l := range lists.Kids {
		set := txAffinitySet(l.Kids)
		if set == nil {
			return ""
		}
		if s := formatCPUSet(set); i == 0 {
			common = s
		} else if s != common {
			return ""
		}
	}
	return common
}

func txAffinitySet(kids []*sexpr.Node) []bool {
	var set []bool
	for _, k := range kids {
		if k.IsList() {
			return nil
		}
		n, ok := txStrictInt(k.Value)
		if !ok || n < 0 || n >= maxCPUs {
			return nil
		}
		for int64(len(set)) <= n {
			set = append(set, false)
		}
		set[n] = true
	}
	return set
}

// bootloader reads (bootloader) and (bootloader_args) of a PV guest. Real
// xend reports "(bootloader )" for kernel-booted guests; libvirt keeps that
// as an empty <bootloader/>, and so do we, so that the XML says what xend
// said. (libvirt then suppressed the kernel when writing back; ToSexpr
// does not: an empty bootloader boots nothing.)
func (r *sexprReader) bootloader() error {
	if r.d.hvm || !r.root.Has("bootloader") {
		return nil
	}
	r.d.hasBootloader = true
	r.d.bootloader = r.root.Get("bootloader")
	r.d.bootloaderArgs = r.root.Get("bootloader_args")
	return nil
}

// os reads the image. Dom0 and image-less records only get the type.
func (r *sexprReader) os() error {
	if r.d.domid == 0 || !r.root.HasContent("image") {
		return nil
	}
	if r.d.hvm {
		return r.hvmOS()
	}
	r.readImageFields(kernelFields)
	if r.d.kernel == "" && !r.d.hasBootloader {
		return fmt.Errorf("%w, missing kernel & bootloader", ErrIncomplete)
	}
	return nil
}

// hvmOS: old xend put hvmloader in (kernel); newer xend has (loader) and may
// use (kernel) for direct kernel boot, in which case the boot order is moot.
func (r *sexprReader) hvmOS() error {
	d := r.d
	if d.loader = r.imageGet("loader"); d.loader != "" {
		r.readImageFields(kernelFields)
	} else {
		d.loader = r.imageGet("kernel")
	}
	if d.loader == "" {
		return fmt.Errorf("%w, missing HVM loader", ErrIncomplete)
	}
	if d.kernel == d.loader {
		d.kernel = ""
	}
	if d.kernel != "" {
		return nil
	}
	d.initrd, d.cmdline, d.root = "", "", ""
	// Letters other than a, c, d and n are skipped, as libvirt and qemu-dm
	// do: xend passes the string through, so a record may hold anything.
	boot := r.imageGet("boot")
	for i := 0; i < len(boot) && len(d.boot) < txMaxBoot; i++ {
		if _, ok := bootDev(boot[i : i+1]); ok {
			d.boot = append(d.boot, boot[i:i+1])
		}
	}
	if len(d.boot) == 0 {
		// libvirt's XML parser gives an HVM guest without boot order or
		// kernel the disk, as xend and qemu-dm do; printing it keeps
		// dumpxml stable, since the SEXPR writer always sends a (boot).
		d.boot = []string{"c"}
	}
	return nil
}

// readImageFields copies the plain image rows.
func (r *sexprReader) readImageFields(rows []field[domainDef]) {
	for _, f := range rows {
		*f.str(r.d) = r.imageGet(f.sexpr)
	}
}

// features reads the HVM switches: a non-zero integer means on.
func (r *sexprReader) features() error {
	if !r.d.hvm {
		return nil
	}
	for _, f := range featureFields {
		if txLenientInt(r.imageGet(f.sexpr)) != 0 {
			r.d.features = append(r.d.features, f.name)
		}
	}
	return nil
}

// clock: xend >= 3.1 HVM guests keep an RTC offset (variable clock); older
// formats and PV guests only know utc or localtime.
func (r *sexprReader) clock() error {
	d := r.d
	local := txLenientInt(r.root.Get("localtime"))
	if v, ok := r.imageGetOK("localtime"); ok {
		if n, ok := txStrictInt(v); ok {
			local = n
		} else {
			// libvirt fails the domain; the top-level value stands.
			r.warn("unknown localtime offset %s in the image, read as %d", v, local)
		}
	}
	basis := "utc"
	if local != 0 {
		basis = "localtime"
	}
	if d.hvm && gateClockVariable.in(r.ver) {
		d.clockOffset, d.clockBasis = "variable", basis
		d.clockAdjustment = strconv.FormatInt(txLenientInt(r.imageGet("rtc_timeoffset")), 10)
	} else {
		d.clockOffset, d.clockAdjustment = basis, "reset"
	}
	if !d.hvm {
		return nil
	}
	if v, ok := r.imageGetOK("hpet"); ok {
		d.hpet = "0"
		if txLenientInt(v) != 0 {
			d.hpet = "1"
		}
	}
	return nil
}

func (r *sexprReader) lifecycle() error {
	for _, f := range lifecycleFields {
		v := r.root.Get(f.sexpr)
		if v == "" {
			v = f.words[0]
		}
		if !slices.Contains(f.words, v) {
			// libvirt fails the domain ("unknown lifecycle type"); xend
			// itself stores whatever it was sent.
			r.warn("unknown lifecycle type %s for %s, read as %s", v, f.sexpr, f.words[0])
			v = f.words[0]
		}
		*f.str(r.d) = v
	}
	return nil
}

// devices reads the device blocks and the devices the image holds, in
// libvirt's order: emulator, disks, interfaces, serials, parallels,
// consoles, inputs, graphics, sound, hostdevs.
func (r *sexprReader) devices() error {
	r.collectDevices()
	// libvirt copies the device model for PV guests too (it serves the
	// vfb), whatever the format.
	r.d.emulator = r.imageGet(emulatorField.sexpr)
	steps := []func() error{
		r.diskDevices, r.imageDisks, r.interfaces, r.charDevices, r.inputs,
		r.graphics, r.sound, r.hostdevs,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// collectDevices sorts the root's (device (<kind> …)) children by kind in
// one pass. An empty (device (vkbd)) or (device (vbd)) matches nothing.
func (r *sexprReader) collectDevices() {
	for _, k := range r.root.Kids {
		if k.Head() != "device" {
			continue
		}
		if d := txDiskBlock(k); d != nil {
			r.disks = append(r.disks, d)
		}
		if v := txContent(k, "vif"); v != nil {
			r.vifs = append(r.vifs, v)
		}
		if r.pci == nil {
			r.pci = txContent(k, "pci")
		}
		if r.vfb == nil {
			r.vfb = txContent(k, "vfb")
		}
	}
}

// txContent returns the (kind …) list inside dev when it has content.
func txContent(dev *sexpr.Node, kind string) *sexpr.Node {
	if l := dev.Child(kind); l != nil && len(l.Kids) > 1 {
		return l
	}
	return nil
}

// txDiskBlock picks the disk list of a device block, preferring vbd, then
// tap2, then tap, as libvirt does when a block holds several.
func txDiskBlock(dev *sexpr.Node) *sexpr.Node {
	for _, kind := range [...]string{"vbd", "tap2", "tap"} {
		if l := txContent(dev, kind); l != nil {
			return l
		}
	}
	return nil
}

// diskDevices reads the vbd/tap/tap2 blocks. A (bootable 1) disk swaps
// places with the first disk, so that it becomes the boot disk.
func (r *sexprReader) diskDevices() error {
	for _, n := range r.disks {
		disk, err := readVbd(n, r.warn)
		if err != nil {
			// One broken disk record costs that disk, not the domain.
			r.warn("%v: %s dropped", err, n)
			continue
		}
		// The guest sees one disk per target; the XML may name it once
		// (define refuses a second, as virsh does).
		if i := slices.IndexFunc(r.d.disks, func(d diskDef) bool { return d.target == disk.target }); i >= 0 {
			r.warn("target '%s' duplicated for disk sources '%s' and '%s', the second dropped",
				disk.target, nullStr(r.d.disks[i].source), nullStr(disk.source))
			continue
		}
		r.d.disks = append(r.d.disks, disk)
		if n.Get("bootable") == "1" {
			last := len(r.d.disks) - 1
			r.d.disks[0], r.d.disks[last] = r.d.disks[last], r.d.disks[0]
		}
	}
	return nil
}

// readVbd reads one (vbd …), (tap …) or (tap2 …) list: the per-device
// entry point for disks.
func readVbd(n *sexpr.Node, warn func(string, ...any)) (diskDef, error) {
	var d diskDef
	dev := n.Get("dev")
	if dev == "" {
		return d, fmt.Errorf("%w, vbd has no dev", ErrIncomplete)
	}
	// xend writes "ioemu:hda" for emulated disks (3.0.2) and "hdc:cdrom" or
	// "hda:disk" (3.0.3+). libvirt keeps the suffix for format 1, giving a
	// target like "hdc:cdrom" that its own schema rejects; it is cut here in
	// every format.
	// The device suffix goes first, so that a disk named "ioemu" (written
	// 'ioemu:disk') keeps its name.
	target := dev
	d.device = "disk"
	if i := strings.LastIndexByte(target, ':'); i >= 0 && (target[i+1:] == "disk" || target[i+1:] == "cdrom") {
		d.device = target[i+1:]
		target = target[:i]
	}
	target = strings.TrimPrefix(target, "ioemu:")
	if i := strings.LastIndexByte(target, ':'); i >= 0 {
		target = target[:i] // any other suffix: a disk (mapping.md §7.1)
	}
	target = strings.TrimPrefix(target, "/dev/")
	if name, ok := txVbdName(target); ok {
		target = name
	}
	if target == "" {
		return d, fmt.Errorf("%w, vbd '%s' has no target device", ErrIncomplete, dev)
	}
	d.target, d.bus = target, txDiskBus(target)
	d.typ = "file"
	if uname := n.Get("uname"); uname != "" {
		var err error
		d.typ, d.driver, d.format, d.source, err = txParseUname(uname, n.Head())
		var uf unknownFormat
		if errors.As(err, &uf) {
			warn("disk %s: %v, its format dropped", target, err)
		} else if err != nil {
			return d, err
		}
		if d.source == "" && d.device != "cdrom" {
			// "file:" names no file: as good as no uname at all
			return d, fmt.Errorf("%w, vbd %s has no src", ErrIncomplete, dev)
		}
		if d.source == "" {
			// an empty drive, whatever back end would serve it: written
			// back, it has no uname at all
			d.typ, d.driver, d.format = "file", "", ""
		}
	} else if d.device != "cdrom" {
		// libvirt allows a sourceless drive only for HVM "hdc:cdrom"; an
		// empty CD drive is just as real on a PV guest.
		return d, fmt.Errorf("%w, vbd %s has no src", ErrIncomplete, dev)
	}
	// Any mode containing 'r' is read-only, "rw" included, as libvirt read
	// it (mapping.md §7.1); xend itself writes only r, w and w!.
	mode := n.Get("mode")
	// A read-only disk may be shared anyway, and xend has no mode for
	// both ('r' or 'w!'): libvirt's <shareable/> beside <readonly/> for
	// "r!" would not survive a round trip.
	d.readonly = strings.Contains(mode, "r")
	d.shareable = strings.Contains(mode, "!") && !d.readonly
	return d, nil
}

// imageDisks adds the disks xend keeps inside the HVM image: the 3.0.2
// (cdrom 'iso') and the (fda …)/(fdb …) floppies.
//
// A record may name the same drive both ways, (cdrom 'iso') next to a
// (vbd (dev 'hdc:cdrom')); libvirt keeps the vbd as a disk "hdc:cdrom",
// but with the suffix cut here both would be hdc, so a slot a vbd
// already fills is not added twice.
func (r *sexprReader) imageDisks() error {
	if !r.d.hvm {
		return nil
	}
	taken := map[string]bool{}
	for _, d := range r.d.disks {
		taken[d.target] = true
	}
	if gateImageCdrom.in(r.ver) && !taken["hdc"] {
		if iso := r.imageGet("cdrom"); iso != "" {
			r.d.disks = append(r.d.disks, diskDef{typ: "file", device: "cdrom", driver: "file",
				source: iso, target: "hdc", bus: "ide", readonly: true})
		}
	}
	for _, fd := range [...]string{"fda", "fdb"} {
		path := r.imageGet(fd)
		if path == "" || taken[fd] {
			continue
		}
		r.d.disks = append(r.d.disks, diskDef{typ: "file", device: "floppy", driver: "file",
			source: path, target: fd, bus: "fdc"})
	}
	return nil
}

// interfaces reads the (vif …) blocks in order.
func (r *sexprReader) interfaces() error {
	for idx, v := range r.vifs {
		n, err := readVif(v, idx, r.warn)
		if err != nil {
			return err
		}
		if n == (nicDef{typ: "ethernet"}) {
			// (vif ()), (vif (mac)) and the like: nothing a NIC is made of,
			// and what it would write back, (vif), reads as no device.
			r.warn("interface %d: %s has no settings, dropped", idx, v)
			continue
		}
		if n.vifname == "" && r.d.domid >= 0 {
			// the name the running domain's backend interface has
			n.vifname = "vif" + strconv.FormatInt(r.d.domid, 10) + "." + strconv.Itoa(idx)
		}
		r.d.nets = append(r.d.nets, n)
	}
	return nil
}

// readVif reads one (vif …) list: the per-device entry point for NICs.
// idx only names the NIC in a warning.
func readVif(v *sexpr.Node, idx int, warn func(string, ...any)) (nicDef, error) {
	n := nicDef{bridge: v.Get("bridge"), script: v.Get("script"), typ: "ethernet"}
	if n.bridge != "" || n.script == txDefaultVifScript {
		n.typ = "bridge"
	}
	if mac := v.Get("mac"); mac != "" {
		if norm, ok := parseMAC(mac); ok {
			n.mac = norm
		} else {
			warn("interface %d: malformed mac address '%s', dropped", idx, mac)
		}
	}
	if n.typ != "bridge" {
		n.bridge = ""
	}
	// xend accepts a blank-separated list of addresses in (ip …).
	n.ip = strings.Join(strings.Fields(v.Get("ip")), " ")
	// A bridged vif without a script runs xend's default, vif-bridge, and
	// the SEXPR writer names it; saying so here keeps the XML stable across
	// dumpxml -> create -> dumpxml.
	if n.script == "" && n.typ == "bridge" {
		n.script = txDefaultVifScript
	}
	n.vifname = v.Get("vifname")
	n.model = v.Get("model")
	if n.model == "" && v.Get("type") == "netfront" {
		n.model = "netfront"
	}
	if n.model != "" && !validModelName(n.model) {
		warn("interface %d: NIC model '%s' is not a model name, dropped", idx, n.model)
		n.model = ""
	}
	if rate := v.Get("rate"); rate != "" {
		if kbps, err := txParseVifRate(rate); err == nil {
			n.rateKB = kbps
		} else {
			warn("interface %d: %v, dropped", idx, err)
		}
	}
	return n, nil
}

// charDevices reads the HVM serial and parallel ports and makes up the
// console. An HVM console mirrors the first serial port, as libvirt prints
// it; a PV guest (other than dom0) always has the xen pty console.
func (r *sexprReader) charDevices() error {
	d := r.d
	if !d.hvm {
		if d.domid != 0 {
			d.consoles = append(d.consoles, chrDev{typ: "pty", tgtType: "xen", tty: r.opt.TTY})
		}
		return nil
	}
	node := r.image.Lookup("serial")
	hasList := false
	if node != nil {
		for _, a := range node.Args() {
			hasList = hasList || a.IsList()
		}
	}
	if hasList {
		// (serial (pty none /dev/ttyS1)): one port per atom, numbered by
		// position; none keeps its number free.
		port := 0
		for _, a := range node.Args() {
			if !a.IsList() {
				continue
			}
			for _, s := range a.Kids {
				if s.IsList() {
					continue
				}
				if s.Value != "none" && s.Value != "" {
					r.addChr(&d.serials, "serial", port, s.Value)
				}
				port++
			}
		}
	} else if v := r.imageGet("serial"); v != "" && v != "none" {
		r.addChr(&d.serials, "serial", 0, v)
	}
	// xend keeps the live pty path of the first serial port only.
	if len(d.serials) > 0 && d.serials[0].typ == "pty" {
		d.serials[0].tty = r.opt.TTY
	}
	if v := r.imageGet("parallel"); v != "" && v != "none" {
		r.addChr(&d.parallels, "parallel", 0, v)
	}
	if len(d.serials) > 0 {
		con := d.serials[0]
		con.tgtType = "serial"
		d.consoles = append(d.consoles, con)
	}
	return nil
}

// addChr reads one port's device string; one the grammar does not know
// (qemu-dm has backends libvirt has no type for, such as msmouse or
// braille) drops that port with a warning, not the domain.
func (r *sexprReader) addChr(to *[]chrDev, kind string, port int, s string) {
	ch, err := parseChr(s)
	if err != nil {
		r.warn("%s port %d: %v, dropped", kind, port, err)
		return
	}
	ch.port = port
	*to = append(*to, ch)
}

// inputs reads the HVM (usbdevice mouse|tablet|keyboard) entries; other
// USB devices (disk:…, host:…) have no <input> form. The USB keyboard
// exists in xend >= 3.1 only.
func (r *sexprReader) inputs() error {
	if !r.d.hvm {
		return nil
	}
	for _, u := range r.image.Children("usbdevice") {
		if len(u.Kids) < 2 || u.Kids[1].IsList() {
			continue
		}
		switch v := u.Kids[1].Value; v {
		case "mouse", "tablet":
			r.d.inputs = append(r.d.inputs, inputDef{typ: v, bus: "usb"})
		case "keyboard":
			if gateUSBKeyboard.in(r.ver) {
				r.d.inputs = append(r.d.inputs, inputDef{typ: v, bus: "usb"})
			}
		}
	}
	return nil
}

// graphics reads the one display. The (device (vfb …)) of xend >= 3.0.4
// (PV) or 3.0.5 (HVM) wins over the old VNC/SDL keys in the image.
func (r *sexprReader) graphics() error {
	if r.vfb != nil {
		if g, ok := readVfb(r.vfb, r.opt.VNCPort, r.warn); ok {
			if g != nil {
				r.d.graphics = append(r.d.graphics, *g)
			}
			return nil
		}
	}
	if g := r.imageGraphics(); g != nil {
		r.d.graphics = append(r.d.graphics, *g)
	}
	return nil
}

// readVfb reads one (vfb …) list, the per-device entry point for graphics.
// It reports false when the vfb does not say what it is: Solaris xVM
// reports vfbs with neither (type), (vnc) nor (sdl), only (vncunused 1) and
// (location …), next to the real settings in the image; modern libvirt
// rejects the whole domain for it ("unknown graphics type 'unknown'"),
// older libvirt read the image. Falling back to the image keeps those
// domains readable.
func readVfb(v *sexpr.Node, livePort int, warn func(string, ...any)) (*graphicsDef, bool) {
	typ := v.Get("type")
	if typ == "" {
		// libvirt takes any (vnc …) value, even (vnc 0) next to (sdl 1),
		// as VNC; the switched-on one wins here.
		vnc, sdl := v.Get("vnc"), v.Get("sdl")
		switch {
		case txLenientInt(vnc) != 0:
			typ = "vnc"
		case txLenientInt(sdl) != 0:
			typ = "sdl"
		case vnc != "":
			typ = "vnc"
		case sdl != "":
			typ = "sdl"
		default:
			return nil, false
		}
	}
	switch typ {
	case "vnc":
		return vncGraphics(v, txVNCDisplay(v), livePort), true
	case "sdl":
		return sdlGraphics(v), true
	}
	// libvirt fills VNC fields for rdp or spice too, and fails the domain
	// for other words; xend's vfb only implements vnc and sdl, which is all
	// the SEXPR writer takes back.
	warn("unknown graphics type '%s' in the vfb, dropped", typ)
	return nil, true
}

// imageGraphics reads the pre-vfb keys (vnc 1)(vncunused …)(vnclisten …)
// and (sdl 1)(display …)(xauthority …) of the image.
func (r *sexprReader) imageGraphics() *graphicsDef {
	if r.image == nil {
		return nil
	}
	switch {
	case strings.HasPrefix(r.imageGet("vnc"), "1"):
		port := -1
		// libvirt never reads the in-image (vncdisplay N), so an HVM guest
		// created with a fixed port reads back as autoport. It is honoured
		// here when (vncunused 0) says the display is fixed.
		if r.imageGet("vncunused") == "0" {
			port = txVNCDisplay(r.image)
		}
		if port == -1 && gateDomidVNCPort.in(r.ver) && r.d.domid >= 0 && r.opt.VNCPort <= 0 {
			// xend 3.0.2 always served display <domid>.
			port = 5900 + int(r.d.domid)
		}
		return vncGraphics(r.image, port, r.opt.VNCPort)
	case strings.HasPrefix(r.imageGet("sdl"), "1"):
		return sdlGraphics(r.image)
	}
	return nil
}

// txVNCDisplay reads (vncdisplay N): the display number, -1 when it is
// missing or no port would fit it.
func txVNCDisplay(n *sexpr.Node) int {
	if d, ok := txStrictInt(n.Get("vncdisplay")); ok && d >= 0 && d < 65536-5900 {
		return int(d)
	}
	return -1
}

// vncGraphics reads VNC settings from a vfb or the image. port is the
// configured port or display number, -1 when unknown; the live port wins.
func vncGraphics(n *sexpr.Node, port, livePort int) *graphicsDef {
	if livePort > 0 {
		port = livePort
	}
	if port >= 0 && port < 5900 {
		port += 5900
	}
	if port < -1 || port > 65535 {
		port = -1
	}
	g := &graphicsDef{typ: "vnc", port: port, autoport: port == -1 || n.Get("vncunused") == "1"}
	readGraphicsFields(g, n)
	return g
}

func sdlGraphics(n *sexpr.Node) *graphicsDef {
	g := &graphicsDef{typ: "sdl", port: -1}
	readGraphicsFields(g, n)
	return g
}

// readGraphicsFields copies the plain rows of g's type from a vfb or image.
func readGraphicsFields(g *graphicsDef, n *sexpr.Node) {
	for _, f := range graphicsFields {
		if f.graphics == g.typ {
			*f.str(g) = n.Get(f.sexpr)
		}
	}
}

// sound reads the HVM (soundhw 'sb16,es1370') cards. "all" means sb16 and
// es1370, as in libvirt. A name libvirt does not know is dropped with a
// warning: current libvirt fails the whole domain without a message, older
// libvirt skipped them, and qemu-dm may well know cards libvirt does not.
func (r *sexprReader) sound() error {
	if !r.d.hvm {
		return nil
	}
	hw := r.imageGet("soundhw")
	if hw == "" {
		return nil
	}
	known, unknown := parseSoundhw(hw)
	r.d.sounds = append(r.d.sounds, known...)
	for _, m := range unknown {
		r.warn("sound model '%s' (soundhw '%s') is unknown, dropped", m, hw)
	}
	return nil
}

// parseSoundhw splits qemu-dm's soundhw value, shared by the SEXPR and xm
// readers (mapping.md §7.6): "all" is sb16 and es1370, an empty value
// none; the models libvirt does not know come back apart, for the caller
// to warn about (SEXPR) or refuse (xm).
func parseSoundhw(hw string) (known, unknown []string) {
	if hw == "" {
		return nil, nil
	}
	if hw == "all" {
		hw = "sb16,es1370"
	}
	for _, m := range strings.Split(hw, ",") {
		if isSoundModel(m) {
			known = append(known, m)
		} else {
			unknown = append(unknown, m)
		}
	}
	return known, unknown
}

// hostdevs reads the first (device (pci (dev …) …)) block; xend keeps all
// passed-through functions of a domain in one block.
func (r *sexprReader) hostdevs() error {
	if r.pci == nil {
		return nil
	}
	for _, dev := range r.pci.Children("dev") {
		p, err := readPCIDev(dev)
		if err != nil {
			r.warn("%v: %s dropped", err, dev)
			continue
		}
		r.d.pci = append(r.d.pci, p)
	}
	return nil
}

// readPCIDev reads one (dev (domain D)(bus B)(slot S)(func F)) list.
func readPCIDev(dev *sexpr.Node) (pciAddr, error) {
	var p pciAddr
	for i, f := range pciFields {
		v, ok := dev.GetOK(f.key)
		if !ok {
			return p, fmt.Errorf("missing PCI %s", f.key)
		}
		n, ok := txStrictInt(v)
		if !ok || n < 0 {
			return p, fmt.Errorf("cannot parse PCI %s '%s'", f.key, v)
		}
		if n > f.max {
			return p, fmt.Errorf("PCI %s '%s' out of range (at most %#x)", f.key, v, f.max)
		}
		p[i] = uint64(n)
	}
	return p, nil
}

// txParseUname splits "phy:/dev/vg/lv", "file:/img", "tap:qcow:/img" or
// "tap2:aio:/img" into disk type, driver name, driver format and source.
func txParseUname(uname, block string) (typ, drv, format, src string, err error) {
	drv, rest, ok := strings.Cut(uname, ":")
	if !ok || drv == "" {
		return "", "", "", "", fmt.Errorf("cannot parse vbd filename '%s', missing driver name", uname)
	}
	switch drv {
	case "tap", "tap2":
		if block == "tap2" {
			drv = "tap2"
		}
		// Xen 4 blktap2 names may carry the "tapdisk:" backend, as in
		// "tap2:tapdisk:aio:/img"; libvirt rejects them as an unknown type.
		rest = strings.TrimPrefix(rest, "tapdisk:")
		sub, path, ok := strings.Cut(rest, ":")
		if !ok {
			return "", "", "", "", fmt.Errorf("cannot parse vbd filename '%s', missing driver type", uname)
		}
		switch {
		case sub == "aio":
			format = "raw"
		case isStorageFormat(sub):
			format = sub
		default:
			// The disk is real whatever blktap format it names; the caller
			// keeps it without a format, with a warning.
			return "file", drv, "", path, unknownFormat(rest)
		}
		return "file", drv, format, path, nil
	case "file":
		return "file", drv, "", rest, nil
	case "phy":
		return "block", drv, "", rest, nil
	}
	// Block scripts such as drbd:, iscsi: or npiv: name a resource their
	// script turns into a block device. libvirt leaves the disk type unset,
	// which its XML formatter cannot print; block is what they are.
	if !validDriverName(drv) {
		return "", "", "", "", fmt.Errorf("cannot parse vbd filename '%s', bad driver name '%s'", uname, drv)
	}
	return "block", drv, "", rest, nil
}

// unknownFormat is a tap uname whose format libvirt does not name, e.g.
// "sync:/img"; libvirt's message.
type unknownFormat string

// txVbdName turns a numeric Xen virtual device, as xend may report it,
// into its Linux name: 51712 is xvda, 51713 xvda1, 2048 sda, 768 hda.
func txVbdName(s string) (string, bool) {
	if s == "" || len(s) > 10 {
		return "", false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", false
		}
		n = n*10 + int(s[i]-'0')
	}
	var prefix string
	var disk, part int
	switch major, minor := n>>8, n&0xff; {
	case n&(1<<28) != 0 && n < 1<<29:
		prefix, disk, part = "xvd", (n>>8)&0xfffff, n&0xff
	case major == 202:
		prefix, disk, part = "xvd", minor>>4, minor&15
	case major == 8:
		prefix, disk, part = "sd", minor>>4, minor&15
	case major == 3:
		prefix, disk, part = "hd", minor>>6, minor&63
	case major == 22:
		prefix, disk, part = "hd", 2+minor>>6, minor&63
	default:
		return "", false
	}
	letters := ""
	for d := disk + 1; d > 0; d = (d - 1) / 26 {
		letters = string(rune('a'+(d-1)%26)) + letters
	}
	name := prefix + letters
	if part > 0 {
		name += strconv.Itoa(part)
	}
	return name, true
}

// txDiskBus derives the bus from the target name, as libvirt does: anything
// that is not xvd*, hd* or sd* is treated as IDE.
func txDiskBus(target string) string {
	switch {
	case strings.HasPrefix(target, "xvd"):
		return "xen"
	case strings.HasPrefix(target, "sd"):
		return "scsi"
	default:
		return "ide"
	}
}

// txDefaultVifScript is the script xend uses for bridged vifs; a vif with
// that script and no (bridge) is still a bridge interface.
const txDefaultVifScript = "vif-bridge"

// txParseVifRate reads xend's vif rate, "<n>[GMK]<B|b>/s" with an optional
// "@<window>" that is dropped, and returns KB/s as libvirt's shared helper
// does for SEXPR and xm alike (mapping.md §7.2.1): G multiplies by 1024²,
// M by 1024, K or no prefix by 1, a lowercase b (bits) divides by 8
// rounding down. So a bare "512B/s" reads as 512 KB/s (libvirt's quirk,
// kept so both formats read a rate as libvirt does).
func txParseVifRate(rate string) (uint64, error) {
	s, _, _ := strings.Cut(rate, "@")
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	num, unit := s[:i], s[i:]
	var mult uint64 = 1
	if len(unit) > 0 {
		switch unit[0] {
		case 'G':
			mult, unit = 1<<20, unit[1:]
		case 'M':
			mult, unit = 1<<10, unit[1:]
		case 'K':
			unit = unit[1:]
		}
	}
	if num == "" || (unit != "B/s" && unit != "b/s") {
		return 0, fmt.Errorf("Invalid rate '%s' specified", rate)
	}
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil || n > maxRate/1024/mult {
		return 0, fmt.Errorf("Failed to parse rate '%s'", rate)
	}
	kb := n * mult
	if unit[0] == 'b' {
		kb /= 8
	}
	return kb, nil
}

// txSoundModels are the sound cards libvirt knows; both directions take
// the same set, so any card read from xend can be written back. An array,
// which the linker lays out, where a map would be built at every start-up.
var txSoundModels = [...]string{"sb16", "es1370", "pcspk", "ac97", "ich6", "ich7", "ich9", "usb"}

func isSoundModel(m string) bool { return slices.Contains(txSoundModels[:], m) }

// txMaxBoot: libvirt keeps at most four boot devices and drops the rest.
const txMaxBoot = 4

func (u unknownFormat) Error() string { return "Unknown driver type " + string(u) }
