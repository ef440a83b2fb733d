package xmlconv

import (
	"fmt"
	"strconv"
	"strings"

	"xvirsh/xmlconv/xmcfg"
)

// ToXM converts libvirt domain XML to an xm config file for xend config
// format version (1..4, 0 = 4), as libvirt's xen-xm writer did
// (xm-config.md §3 F), with the keys in the order of §1.6. It refuses a
// list-entry value the entry cannot carry (xmEntry) and a chr device the
// string form cannot (chrString); Config.Marshal then gives the file's
// bytes, or refuses a value no quote can hold (§1.5).
func ToXM(xml []byte, version int) (*xmcfg.Config, error) {
	version, err := checkVersion(version)
	if err != nil {
		return nil, err
	}
	d, err := readDomainXML(xml)
	if err != nil {
		return nil, err
	}
	return writeXM(d, version)
}

// xmWriter builds the file; it reuses the SEXPR writer's vmBuilder for
// what both formats decide alike (the clock, the features defaults).
type xmWriter struct {
	b   *vmBuilder
	d   *domainDef
	v   int
	cfg *xmcfg.Config
}

func (w *xmWriter) str(key, val string) { w.cfg.Set(key, xmcfg.Str(val)) }
func (w *xmWriter) num(key string, n int64) {
	w.cfg.Set(key, xmcfg.Int(n))
}
func (w *xmWriter) flag(key string, on bool) {
	if on {
		w.num(key, 1)
	} else {
		w.num(key, 0)
	}
}

// gateXMHapViridian: hap and viridian are written from xend 3.0.4 on
// (xm-config.md §2; libvirt's versioned xm code).
var gateXMHapViridian = gate{xend304, xend310}

func writeXM(d *domainDef, v int) (*xmcfg.Config, error) {
	w := &xmWriter{b: &vmBuilder{d: d, v: v}, d: d, v: v, cfg: &xmcfg.Config{}}
	w.str("name", d.name)
	uuid := d.uuid
	if uuid == "" {
		uuid = randomUUID()
	}
	w.str("uuid", uuid)
	w.cfg.Set("maxmem", xmcfg.Uint(miB(d.maxKiB)))
	w.cfg.Set("memory", xmcfg.Uint(miB(d.curKiB)))
	w.num("vcpus", int64(d.vcpus))
	if d.vcpuCurrent < d.vcpus {
		mask, err := strconv.ParseUint(vcpuMask(d.vcpuCurrent), 10, 64)
		if err != nil {
			return nil, unsupportedf("%d vcpus online do not fit xm's vcpu_avail", d.vcpuCurrent)
		}
		w.cfg.Set("vcpu_avail", xmcfg.Uint(mask))
	}
	if d.cpuset != "" {
		w.str("cpus", d.cpuset)
	}
	if d.hvm {
		w.hvmOS()
	} else {
		w.pvOS()
	}
	clk, err := w.b.clock()
	if err != nil {
		return nil, err
	}
	if d.hvm && gateClockVariable.in(v) {
		off, _ := strconv.ParseInt(clk.rtcOffset, 10, 64)
		w.num("rtc_timeoffset", off)
	}
	w.flag("localtime", clk.localtime == "1")
	for _, f := range lifecycleFields {
		w.str(f.sexpr, *f.str(d))
	}
	if d.hvm {
		if d.emulator != "" {
			w.str(emulatorField.sexpr, d.emulator)
		}
		for _, in := range d.inputs {
			if in.bus == "usb" {
				w.num("usb", 1)
				w.str("usbdevice", in.typ)
				break
			}
		}
	}
	if err := w.graphics(); err != nil {
		return nil, err
	}
	if err := w.disks(); err != nil {
		return nil, err
	}
	if err := w.vifs(); err != nil {
		return nil, err
	}
	if len(d.pci) > 0 {
		var items []string
		for _, p := range d.pci {
			e, err := xmEntry("pci", xmField{name: "address", val: fmt.Sprintf("%04x:%02x:%02x.%x", p[0], p[1], p[2], p[3])})
			if err != nil {
				return nil, err
			}
			items = append(items, e)
		}
		w.cfg.Set("pci", xmcfg.Strs(items...))
	}
	if d.hvm {
		if err := w.chardevs(); err != nil {
			return nil, err
		}
		if len(d.sounds) > 0 {
			w.str("soundhw", soundhw(d.sounds))
		}
	}
	return w.cfg, nil
}

// miB rounds up (§3.2), as the SEXPR writer does.
func miB(kib uint64) uint64 { return kib/1024 + min(kib%1024, 1) }

func (w *xmWriter) hvmOS() {
	d := w.d
	w.str("builder", "hvm")
	if d.loader != "" {
		w.str("kernel", d.loader)
	}
	boot := ""
	for _, l := range d.boot {
		boot += l
	}
	if boot == "" {
		boot = "c"
	}
	w.str("boot", boot)
	feats := map[string]bool{}
	for _, f := range w.b.features() {
		feats[f] = true
	}
	for _, k := range []string{"pae", "acpi", "apic"} {
		w.flag(k, feats[k])
	}
	if gateXMHapViridian.in(w.v) {
		switch {
		case d.hapOff:
			w.num("hap", 0)
		case feats["hap"]:
			w.num("hap", 1)
		}
		w.flag("viridian", feats["viridian"])
	}
	if d.hpet != "" {
		w.flag("hpet", d.hpet == "1")
	}
	if gateImageCdrom.in(w.v) {
		for _, disk := range d.disks {
			if disk.device == "cdrom" && disk.target == "hdc" && disk.source != "" {
				w.str("cdrom", disk.source)
				break
			}
		}
	}
}

func (w *xmWriter) pvOS() {
	d := w.d
	if d.hasBootloader {
		w.str("bootloader", d.bootloader)
		if d.bootloaderArgs != "" {
			w.str("bootargs", d.bootloaderArgs)
		}
	}
	if d.kernel != "" {
		w.str("kernel", d.kernel)
	}
	if d.initrd != "" {
		w.str("ramdisk", d.initrd)
	}
	if d.cmdline != "" {
		w.str("extra", d.cmdline)
	}
}

// graphics (§3.13): the old keys for HVM and for PV before format 3, a
// vfb entry for PV from format 3 on.
func (w *xmWriter) graphics() error {
	g := w.d.theGraphics()
	if g == nil {
		return nil
	}
	if !w.d.hvm && gatePVFB.in(w.v) {
		items := []xmField{{"type", g.typ, true}}
		if g.typ == "vnc" {
			switch {
			case g.autoport:
				items = append(items, xmField{"vncunused", "1", true})
			case g.port > 0:
				items = append(items, xmField{"vncunused", "0", true}, xmField{"vncdisplay", vncDisplay(g.port), true})
			default:
				// No port: what a vfb without vncunused=1 or vncdisplay
				// reads as (§3.13), so write it the same way rather than
				// libvirt's vncdisplay=-5900 (deliberate).
				items = append(items, xmField{"vncunused", "0", true})
			}
		}
		for _, f := range graphicsFields {
			if v := *f.str(g); f.graphics == g.typ && v != "" {
				items = append(items, xmField{f.sexpr, v, true})
			}
		}
		e, err := xmEntry("vfb", items...)
		if err != nil {
			return err
		}
		w.cfg.Set("vfb", xmcfg.Strs(e))
		return nil
	}
	vnc := g.typ != "sdl"
	w.flag("sdl", !vnc)
	w.flag("vnc", vnc)
	if vnc {
		w.flag("vncunused", g.autoport)
		if !g.autoport {
			n, _ := strconv.ParseInt(vncDisplay(g.port), 10, 64)
			w.num("vncdisplay", n)
		}
	}
	for _, f := range graphicsFields {
		if v := *f.str(g); f.graphics == g.typ && v != "" {
			w.str(f.sexpr, v)
		}
	}
	return nil
}

// disks (§3.9 F): no floppies; at format 1 the hdc cdroms go to the cdrom
// key (HVM) or nowhere, and HVM targets take ioemu:.
func (w *xmWriter) disks() error {
	var items []string
	for _, disk := range w.d.disks {
		if disk.device == "floppy" {
			continue
		}
		if gateImageCdrom.in(w.v) && disk.device == "cdrom" && disk.target == "hdc" {
			continue
		}
		src := ""
		if disk.source != "" {
			var err error
			if src, err = xmDiskSource(disk); err != nil {
				return err
			}
		}
		tgt := disk.target
		if w.d.hvm && gateIoemuTarget.in(w.v) {
			tgt = "ioemu:" + tgt
		}
		if disk.device == "cdrom" {
			tgt += ":cdrom"
		}
		mode := "w"
		switch {
		case disk.readonly:
			mode = "r"
		case disk.shareable:
			mode = "!"
		}
		e, err := xmEntry("disk", xmField{name: "source", val: src}, xmField{name: "target", val: tgt}, xmField{name: "mode", val: mode})
		if err != nil {
			return err
		}
		items = append(items, e)
	}
	if len(items) > 0 {
		w.cfg.Set("disk", xmcfg.Strs(items...))
	}
	return nil
}

// xmDiskSource is the uname of an xm disk entry: unlike SEXPR's, a block
// source is kept as written and, with no format, the driver name is not
// (§3.9 F).
func xmDiskSource(disk diskDef) (string, error) {
	switch {
	case disk.format != "" && (disk.driver == "tap" || disk.driver == "tap2"):
		return diskUname(disk)
	case disk.format != "" && disk.driver != "":
		return disk.driver + ":" + disk.source, nil
	case disk.typ == "file":
		return "file:" + disk.source, nil
	case disk.typ == "block":
		return "phy:" + disk.source, nil
	}
	return "", unsupportedf("unsupported disk type %s", disk.typ)
}

// vifs (§3.11 F).
func (w *xmWriter) vifs() error {
	var entries []string
	for _, n := range w.d.nets {
		// readNet joins several <ip> with blanks, which SEXPR sends whole
		// as xend's (ip 'a b') and reads back as several (deliberate there);
		// an xm vif carries one address, as libvirt said (§3.11 F step 2,
		// §4.2).
		if strings.Contains(n.ip, " ") {
			return unsupportedf("Driver does not support setting multiple IP addresses")
		}
		mac := n.mac
		if mac == "" {
			mac = randomMAC()
		}
		items := []xmField{{"mac", mac, true}}
		add := func(key, val string) { items = append(items, xmField{key, val, true}) }
		switch n.typ {
		case "bridge":
			if n.bridge != "" {
				add("bridge", n.bridge)
			}
			if n.ip != "" {
				add("ip", n.ip)
			}
			add("script", txDefaultVifScript)
		default:
			if n.script != "" {
				add("script", n.script)
			}
			if n.ip != "" {
				add("ip", n.ip)
			}
		}
		switch {
		case !w.d.hvm:
			if n.model != "" {
				add("model", n.model)
			}
		case n.model == "netfront":
			add("type", "netfront")
		default:
			if n.model != "" {
				add("model", n.model)
			}
			if gateVifIoemu.in(w.v) {
				add("type", "ioemu")
			}
		}
		if n.vifname != "" && !strings.HasPrefix(n.vifname, "vif") {
			add("vifname", n.vifname)
		}
		if n.rateKB > 0 {
			add("rate", strconv.FormatUint(n.rateKB, 10)+"KB/s")
		}
		e, err := xmEntry("vif", items...)
		if err != nil {
			return err
		}
		entries = append(entries, e)
	}
	if len(entries) > 0 {
		w.cfg.Set("vif", xmcfg.Strs(entries...))
	}
	return nil
}

// xmField is one ','-separated field of a disk, vif, vfb or pci entry:
// an item NAME=VAL (vif, vfb) or, with item false, a value in its place
// (a disk's source, target and mode; a pci address).
type xmField struct {
	name, val string
	item      bool
}

// xmEntry joins the fields of one entry of the list key with ','. Every
// list-entry writer goes through it, because this is where a value that
// would not read back as written is refused, naming the key (§4.2: the
// Target refuses values it cannot write, as §1.5 does for quoting):
//
//   - no field holds a ',': xm splits disk, vif, vfb and pci entries on
//     every ',' and has no escape (§3.9, §3.11, §3.12, §3.13), and
//     libvirt's reader ends a disk source or target, or a vif or vfb
//     value, there ("file:/img/a,b.img,hda,w" reads as source /img/a);
//   - a vif value fits libvirt's buffer for its item (vifLimits; a longer
//     one is refused or cut on reading), and its ip is IPv4 (§3.11);
//   - a vfb entry is at most 1023 bytes, and only an SDL one says
//     "type=sdl" (§3.13: that text anywhere makes the entry SDL).
//
// A '=' in a value is fine: every reader takes the value from the item's
// first '=' on (§3.11 step 2, §3.13).
func xmEntry(key string, fields ...xmField) (string, error) {
	refuse := func(f xmField, why string) (string, error) {
		return "", &xmcfg.WriteError{Key: key, Detail: fmt.Sprintf("%s '%s' %s", f.name, f.val, why)}
	}
	var b strings.Builder
	for i, f := range fields {
		if strings.Contains(f.val, ",") {
			return refuse(f, "holds a ',', where the entry is split")
		}
		if key == "vif" {
			if f.name == "ip" && !isIPv4(f.val) {
				return refuse(f, "is not an IPv4 address, the only kind a vif ip can hold")
			}
			if lim := vifMax(f.name); lim >= 0 && len(f.val) > lim {
				return refuse(f, fmt.Sprintf("is longer than the %d bytes a vif %s can hold", lim, f.name))
			}
		}
		if i > 0 {
			b.WriteByte(',')
		}
		if f.item {
			b.WriteString(f.name + "=")
		}
		b.WriteString(f.val)
	}
	e := b.String()
	switch {
	case key == "vfb" && len(e) > 1023:
		return refuse(xmField{name: "entry", val: e}, "is longer than 1023 bytes")
	case key == "vfb" && !strings.HasPrefix(e, "type=sdl") && strings.Contains(e, "type=sdl"):
		return refuse(xmField{name: "entry", val: e}, "holds 'type=sdl', which would make it an SDL entry")
	}
	return e, nil
}

// vifMax is the longest value the reader keeps for a vif item, -1 for
// no limit.
func vifMax(item string) int {
	for _, l := range vifLimits {
		if l.key == item {
			return l.max
		}
	}
	return -1
}

// chardevs (§3.15 F): the HVM parallel and serial ports, in the string
// grammar shared with SEXPR; "none" when there are none.
func (w *xmWriter) chardevs() error {
	d := w.d
	par := "none"
	if len(d.parallels) > 0 {
		var err error
		if par, err = chrString("parallel", d.parallels[0]); err != nil {
			return err
		}
	}
	w.str("parallel", par)
	serials := d.hvmSerials()
	ports, err := serialPorts(serials)
	if err != nil {
		return err
	}
	if len(ports) == 1 {
		// no serial ("none"), or one on port 0
		w.str("serial", ports[0])
	} else {
		w.cfg.Set("serial", xmcfg.Strs(ports...))
	}
	return nil
}
