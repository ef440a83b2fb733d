package xmlconv

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"xvirsh/xmlconv/randbytes"
	"xvirsh/xmlconv/xmcfg"
)

// XMToXML converts an xm config file (/etc/xen/NAME.cfg), as xmcfg read
// it, to libvirt domain XML, as libvirt's xen-xm reader did
// (xm-config.md §3), for xend config format opt.Version (0 = 4). Only
// opt.Version and opt.HideSecrets matter: a file describes no running
// domain. Unlike the SEXPR reader it is strict: a value libvirt refused
// is an error here too, since the file is the operator's to fix.
func XMToXML(cfg *xmcfg.Config, opt Options) (string, error) {
	d, err := readXM(cfg, opt.Version)
	if err != nil {
		return "", err
	}
	return d.writeXML(opt), nil
}

// xmReader reads one config into the model, in the order of
// xm-config.md §8.4 (which only decides which error comes first).
type xmReader struct {
	c *xmcfg.Config
	v int
	d *domainDef
}

func readXM(cfg *xmcfg.Config, version int) (*domainDef, error) {
	v, err := checkVersion(version)
	if err != nil {
		return nil, err
	}
	r := &xmReader{c: cfg, v: v, d: &domainDef{domid: -1}}
	for _, step := range []func() error{
		r.identity, r.memory, r.lifecycle, r.vcpus, r.features, r.clock,
		r.emulator, r.vifs, r.pcis, r.sound, r.graphics, r.chardevs, r.os,
		r.disks, r.usb,
	} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return r.d, nil
}

// errf is a conversion error that names the file, as the grammar's do.
func (r *xmReader) errf(format string, args ...any) error {
	return fmt.Errorf("%s: %s", r.c.Source, fmt.Sprintf(format, args...))
}

func (r *xmReader) identity() error {
	d := r.d
	var err error
	if d.name, err = r.c.ReqStr("name"); err != nil {
		return err
	}
	if v, ok := r.c.Lookup("uuid"); ok {
		if v.Kind != xmcfg.KindString {
			return r.errf("config value uuid not a string")
		}
		if d.uuid, err = ParseUUID(v.Str); err != nil {
			return r.errf("%s not parseable: %v", v.Str, err)
		}
	} else {
		d.uuid = randomUUID()
	}
	// Only the exact word makes an HVM guest; xm's "HVM" or a number is PV.
	if v, ok := r.c.Lookup("builder"); ok && v.Kind == xmcfg.KindString && v.Str == "hvm" {
		d.hvm = true
	}
	return nil
}

// memory: MiB both; maxmem defaults to memory, and, as libvirt's
// post-parse does, the current memory never exceeds the maximum (§3.2).
func (r *xmReader) memory() error {
	mem, err := r.c.UInt("memory", 128)
	if err != nil {
		return err
	}
	maxm, err := r.c.UInt("maxmem", mem)
	if err != nil {
		return err
	}
	if mem > maxMemMiB || maxm > maxMemMiB {
		return r.errf("memory %d MiB is beyond what a domain can have", max(mem, maxm))
	}
	r.d.maxKiB, r.d.curKiB = maxm*1024, min(mem, maxm)*1024
	return nil
}

// lifecycle: xend's defaults are destroy, restart, restart (§3.4), not the
// XML's destroy, restart, destroy.
func (r *xmReader) lifecycle() error {
	defaults := map[string]string{"on_poweroff": "destroy", "on_reboot": "restart", "on_crash": "restart"}
	for _, f := range lifecycleFields {
		s, err := r.c.Str(f.sexpr, defaults[f.sexpr])
		if err != nil {
			return err
		}
		ok := false
		for _, w := range f.words {
			ok = ok || w == s
		}
		if !ok {
			return r.errf("unexpected value %s for %s", s, f.sexpr)
		}
		*f.str(r.d) = s
	}
	return nil
}

// vcpus reads both forms (§3.3): xl's maxvcpus/vcpus and xm's
// vcpus/vcpu_avail, where a mask of 0 means all online (deliberate).
func (r *xmReader) vcpus() error {
	d := r.d
	var maxv, cur uint64
	if _, ok := r.c.Lookup("maxvcpus"); ok {
		var err error
		if maxv, err = r.c.UInt("maxvcpus", 1); err != nil {
			return err
		}
		if cur, err = r.c.UInt("vcpus", 1); err != nil {
			return err
		}
	} else {
		var err error
		if maxv, err = r.c.UInt("vcpus", 1); err != nil {
			return err
		}
		cur = maxv
		mask, err := r.c.UInt("vcpu_avail", 0)
		if err != nil {
			return err
		}
		if mask != 0 {
			cur = min(uint64(bits.OnesCount64(mask)), maxv)
		}
	}
	if maxv < 1 || maxv > maxVCPUs {
		return r.errf("vcpus %d out of range (1 to %d)", maxv, maxVCPUs)
	}
	if cur < 1 || cur > maxv {
		return r.errf("%d vcpus online out of range (1 to %d)", cur, maxv)
	}
	d.vcpus, d.vcpuCurrent = int(maxv), int(cur)
	cpus, err := r.c.Str("cpus", "")
	if err != nil {
		return err
	}
	if cpus != "" {
		set, ok := parseCPUSet(cpus, maxCPUs)
		if !ok {
			return r.errf("Failed to parse bitmap '%s'", cpus)
		}
		d.cpuset = formatCPUSet(set)
	}
	return nil
}

// features: HVM only; pae, acpi and apic default on, hap on, viridian
// off (§3.6, the modern defaults).
func (r *xmReader) features() error {
	d := r.d
	if !d.hvm {
		return nil
	}
	for _, f := range featureFields {
		def := f.name == "pae" || f.name == "acpi" || f.name == "apic" || f.name == "hap"
		on, err := r.c.Bool(f.sexpr, def)
		if err != nil {
			return err
		}
		switch {
		case f.name == "hap" && !on:
			d.hapOff = true
		case f.name == "hap":
			// on is xend's default: nothing to say in the XML.
		case on:
			d.features = append(d.features, f.name)
		}
	}
	if _, ok := r.c.Lookup("hpet"); ok {
		on, err := r.c.Bool("hpet", false)
		if err != nil {
			return err
		}
		d.hpet = "0"
		if on {
			d.hpet = "1"
		}
	}
	return nil
}

// clock (§3.7): an HVM guest on xend >= 3.1 has a variable clock offset
// by rtc_timeoffset; every other guest utc or localtime, reset at boot.
func (r *xmReader) clock() error {
	d := r.d
	lt, err := r.c.Bool("localtime", false)
	if err != nil {
		return err
	}
	basis := "utc"
	if lt {
		basis = "localtime"
	}
	if d.hvm && gateClockVariable.in(r.v) {
		off, err := r.c.Int("rtc_timeoffset", 0)
		if err != nil {
			return err
		}
		d.clockOffset, d.clockAdjustment, d.clockBasis = "variable", strconv.FormatInt(off, 10), basis
		return nil
	}
	d.clockOffset, d.clockAdjustment = basis, "reset"
	return nil
}

func (r *xmReader) emulator() error {
	s, ok, err := r.c.OptStr(emulatorField.sexpr)
	if ok {
		*emulatorField.str(r.d) = s
	}
	return err
}

// stringItems returns the string items of a list key; libvirt skips
// other items, and so do we. A non-list value is refused (§3.9 Target).
func (r *xmReader) stringItems(key string) ([]string, error) {
	items, ok, err := r.c.List(key)
	if err != nil || !ok {
		return nil, err
	}
	var out []string
	for _, it := range items {
		if it.Kind == xmcfg.KindString {
			out = append(out, it.Str)
		}
	}
	return out, nil
}

// vifLimits are libvirt's buffer sizes per vif item, less the NUL (§3.11).
// An array, which the linker lays out, where a map would be built at every
// start-up.
var vifLimits = [...]struct {
	key  string
	max  int
	what string
}{
	{"mac", 17, "MAC address"}, {"bridge", 49, "Bridge"}, {"model", 9, "Model"},
	{"type", 9, "Type"}, {"vifname", 49, "Vifname"}, {"ip", 15, "IP"}, {"rate", 49, "rate"},
	{"script", -1, "Script"},
}

func (r *xmReader) vifs() error {
	entries, err := r.stringItems("vif")
	if err != nil {
		return err
	}
	for _, e := range entries {
		items, ok, err := splitVif(e)
		if err != nil {
			return r.errf("vif '%s': %v", e, err)
		}
		if !ok {
			continue // libvirt drops a NIC without any key=value item
		}
		n, err := r.nic(items)
		if err != nil {
			return r.errf("vif '%s': %v", e, err)
		}
		r.d.nets = append(r.d.nets, n)
	}
	return nil
}

// splitVif scans a vif entry as libvirt did (§3.11): a value runs from
// the first '=' at or after the item's start to the next ','; an entry
// whose scan finds no '=' is dropped (ok false). Items are known by
// prefix, so " mac=" is not a mac; the last of a repeated key wins.
func splitVif(e string) (map[string]string, bool, error) {
	if e == "" {
		return nil, false, nil
	}
	items := map[string]string{}
	pos := 0
	for pos < len(e) {
		next := strings.IndexByte(e[pos:], ',')
		end := len(e)
		if next >= 0 {
			end = pos + next
		}
		eq := strings.IndexByte(e[pos:], '=')
		if eq < 0 {
			return nil, false, nil
		}
		eq += pos
		var val string
		if eq+1 <= end {
			val = e[eq+1 : end]
		} else {
			// The '=' is past this item's comma: libvirt took the text
			// after it up to the end as the value.
			val = e[eq+1:]
		}
		item := e[pos:end]
		for _, lim := range vifLimits {
			if !strings.HasPrefix(item, lim.key+"=") {
				continue
			}
			if lim.max >= 0 && len(val) > lim.max {
				if end < len(e) {
					return nil, false, fmt.Errorf("%s %s too big for destination", lim.what, val)
				}
				val = val[:lim.max]
			}
			items[lim.key] = val
		}
		if end >= len(e) {
			break
		}
		pos = end
		for pos < len(e) && (e[pos] == ',' || e[pos] == ' ' || e[pos] == '\t') {
			pos++
		}
	}
	return items, true, nil
}

func (r *xmReader) nic(items map[string]string) (nicDef, error) {
	var n nicDef
	if m, ok := items["mac"]; ok {
		mac, good := parseMAC(m)
		if !good {
			return n, fmt.Errorf("malformed mac address '%s'", m)
		}
		n.mac = mac
	} else {
		n.mac = randomMAC()
	}
	n.bridge, n.script = items["bridge"], items["script"]
	n.typ = "ethernet"
	if n.bridge != "" || n.script == "vif-bridge" || n.script == "vif-vnic" {
		n.typ = "bridge"
		// xend runs vif-bridge for a bridged vif without a script, and
		// the writer always says so (§3.11 F): saying it here too keeps
		// cfg -> XML -> cfg -> XML stable (deliberate; libvirt left it out).
		if n.script == "" {
			n.script = txDefaultVifScript
		}
	}
	if ip, ok := items["ip"]; ok && ip != "" {
		if !isIPv4(ip) {
			return n, fmt.Errorf("cannot parse IPv4 address '%s'", ip)
		}
		n.ip = ip
	}
	n.model = items["model"]
	if n.model == "" && items["type"] == "netfront" {
		n.model = "netfront"
	}
	if n.model != "" && !validModelName(n.model) {
		return n, fmt.Errorf("invalid NIC model '%s'", n.model)
	}
	n.vifname = items["vifname"]
	if rate, ok := items["rate"]; ok {
		kb, err := txParseVifRate(rate)
		if err != nil {
			return n, err
		}
		n.rateKB = kb
	}
	return n, nil
}

// pcis reads "DDDD:BB:SS.F" entries (§3.12); every entry libvirt skipped
// is an error here, naming it (deliberate).
func (r *xmReader) pcis() error {
	entries, err := r.stringItems("pci")
	if err != nil {
		return err
	}
	for _, e := range entries {
		a, err := parseXMPCI(e)
		if err != nil {
			return r.errf("pci '%s': %v", e, err)
		}
		r.d.pci = append(r.d.pci, a)
	}
	return nil
}

func parseXMPCI(e string) (pciAddr, error) {
	var a pciAddr
	dom, rest, ok1 := strings.Cut(e, ":")
	bus, rest, ok2 := strings.Cut(rest, ":")
	slot, fn, ok3 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || !ok3 {
		return a, fmt.Errorf("not of the form DOMAIN:BUS:SLOT.FUNC")
	}
	parts := [4]struct {
		s, what string
		max     int
	}{{dom, "Domain", 4}, {bus, "Bus", 2}, {slot, "Slot", 2}, {fn, "Function", 1}}
	for i, p := range parts {
		if len(p.s) > p.max {
			return a, fmt.Errorf("%s %s too big for destination", p.what, p.s)
		}
		n, err := strconv.ParseUint(p.s, 16, 64)
		if err != nil || int64(n) > pciFields[i].max {
			return a, fmt.Errorf("%s '%s' is not a valid hexadecimal value", strings.ToLower(p.what), p.s)
		}
		a[i] = n
	}
	return a, nil
}

// sound: HVM only, the grammar shared with SEXPR (mapping.md §7.6); a
// model libvirt does not know fails the file, as in libvirt.
func (r *xmReader) sound() error {
	if !r.d.hvm {
		return nil
	}
	hw, err := r.c.Str("soundhw", "")
	if err != nil {
		return err
	}
	known, unknown := parseSoundhw(hw)
	if len(unknown) > 0 {
		return r.errf("unknown sound model '%s' in soundhw '%s'", unknown[0], hw)
	}
	r.d.sounds = known
	return nil
}

// graphics (§3.13): the old vnc/sdl keys for HVM, and for PV before the
// vfb form (format < 3); then, for PV, the first vfb entry.
func (r *xmReader) graphics() error {
	d := r.d
	if d.hvm || !gatePVFB.in(r.v) {
		g, err := r.oldGraphics()
		if err != nil || g != nil {
			if g != nil {
				d.graphics = append(d.graphics, *g)
			}
			return err
		}
	}
	if d.hvm {
		return nil
	}
	items, ok, err := r.c.List("vfb")
	if err != nil || !ok || len(items) == 0 || items[0].Kind != xmcfg.KindString {
		return err
	}
	g, err := parseVfb(items[0].Str)
	if err != nil {
		return r.errf("%v", err)
	}
	d.graphics = append(d.graphics, g)
	return nil
}

func (r *xmReader) oldGraphics() (*graphicsDef, error) {
	vnc, err := r.c.Bool("vnc", false)
	if err != nil {
		return nil, err
	}
	sdl, err := r.c.Bool("sdl", false)
	if err != nil {
		return nil, err
	}
	var g graphicsDef
	switch {
	case vnc:
		g = graphicsDef{typ: "vnc", port: -1}
		if g.autoport, err = r.c.Bool("vncunused", true); err != nil {
			return nil, err
		}
		if !g.autoport {
			n, err := r.c.UInt("vncdisplay", 0)
			if err != nil {
				return nil, err
			}
			if n > 65535-5900 {
				return nil, r.errf("vncdisplay %d out of range", n)
			}
			g.port = 5900 + int(n)
		}
	case sdl:
		g = graphicsDef{typ: "sdl", port: -1}
	default:
		return nil, nil
	}
	for _, f := range graphicsFields {
		if f.graphics != g.typ {
			continue
		}
		s, ok, err := r.c.OptStr(f.sexpr)
		if err != nil {
			return nil, err
		}
		if ok {
			*f.str(&g) = s
		}
	}
	return &g, nil
}

// parseVfb reads a vfb entry: SDL when it says type=sdl anywhere, else
// VNC; autoport only with vncunused=1 (the opposite of the old keys'
// default); an item without '=' ends the scan.
func parseVfb(s string) (graphicsDef, error) {
	if len(s) > 1023 {
		return graphicsDef{}, fmt.Errorf("VFB %s too big for destination", s)
	}
	g := graphicsDef{typ: "vnc", port: -1}
	if strings.Contains(s, "type=sdl") {
		g.typ = "sdl"
	}
	rows := map[string]*string{}
	for _, f := range graphicsFields {
		if f.graphics == g.typ {
			rows[f.sexpr] = f.str(&g)
		}
	}
	portSet := false
	for _, item := range strings.FieldsFunc(s, func(c rune) bool { return c == ',' }) {
		item = strings.TrimLeft(item, " \t")
		if item == "" {
			continue
		}
		key, val, ok := strings.Cut(item, "=")
		if !ok {
			break
		}
		switch {
		case rows[key] != nil:
			*rows[key] = val
		case g.typ == "vnc" && key == "vncunused":
			g.autoport = val == "1"
		case g.typ == "vnc" && key == "vncdisplay":
			n, err := strconv.ParseUint(val, 10, 16)
			if err != nil || n > 65535-5900 {
				return g, fmt.Errorf("invalid vncdisplay value '%s'", val)
			}
			g.port, portSet = 5900+int(n), true
		}
	}
	if g.typ == "vnc" {
		if g.autoport {
			g.port = -1
		} else if !portSet {
			g.port = 0
		}
	}
	return g, nil
}

// chardevs (§3.15): HVM serial and parallel in the string grammar shared
// with SEXPR (mapping.md §7.7); the HVM console mirrors the first serial;
// a PV guest gets the xen console.
func (r *xmReader) chardevs() error {
	d := r.d
	if !d.hvm {
		d.consoles = append(d.consoles, chrDev{typ: "pty", port: 0, tgtType: "xen"})
		return nil
	}
	par, err := r.c.Str("parallel", "")
	if err != nil {
		return err
	}
	if err := r.addChr(&d.parallels, "parallel", 0, par); err != nil {
		return err
	}
	if v, ok := r.c.Lookup("serial"); ok && v.Kind == xmcfg.KindList {
		for i, it := range v.Items {
			if it.Kind != xmcfg.KindString {
				return r.errf("serial port %d: %s is not a string", i, it.Kind)
			}
			if err := r.addChr(&d.serials, "serial", i, it.Str); err != nil {
				return err
			}
		}
	} else {
		s, err := r.c.Str("serial", "")
		if err != nil {
			return err
		}
		if err := r.addChr(&d.serials, "serial", 0, s); err != nil {
			return err
		}
	}
	if len(d.serials) > 0 {
		con := d.serials[0]
		con.tgtType = "serial"
		d.consoles = append(d.consoles, con)
	}
	return nil
}

// addChr adds one port unless it is none or "" (xm's default, deliberate).
func (r *xmReader) addChr(to *[]chrDev, key string, port int, s string) error {
	if s == "" || s == "none" {
		return nil
	}
	ch, err := parseChr(s)
	if err != nil {
		return r.errf("%s '%s': %v", key, s, err)
	}
	ch.port = port
	*to = append(*to, ch)
	return nil
}

// os (§3.5): HVM loader and boot letters; PV bootloader, kernel and the
// command line made of root and extra.
func (r *xmReader) os() error {
	d := r.d
	var err error
	if d.hvm {
		if d.loader, err = r.c.ReqStr("kernel"); err != nil {
			return err
		}
		boot, err := r.c.Str("boot", "c")
		if err != nil {
			return err
		}
		for i := 0; i < len(boot) && len(d.boot) < txMaxBoot; i++ {
			l := boot[i : i+1]
			if _, ok := bootDev(l); !ok {
				l = "c"
			}
			d.boot = append(d.boot, l)
		}
		return nil
	}
	if d.bootloader, d.hasBootloader, err = r.c.OptStr("bootloader"); err != nil {
		return err
	}
	if d.bootloaderArgs, _, err = r.c.OptStr("bootargs"); err != nil {
		return err
	}
	if d.kernel, _, err = r.c.OptStr("kernel"); err != nil {
		return err
	}
	if d.initrd, _, err = r.c.OptStr("ramdisk"); err != nil {
		return err
	}
	root, hasRoot, err := r.strOpt("root")
	if err != nil {
		return err
	}
	extra, hasExtra, err := r.strOpt("extra")
	if err != nil {
		return err
	}
	switch {
	case hasRoot && hasExtra:
		d.cmdline = "root=" + root + " " + extra
	case hasRoot:
		d.cmdline = "root=" + root
	case hasExtra:
		d.cmdline = extra
	}
	return nil
}

// strOpt is the Str accessor (a non-string is malformed) that also says
// whether the key is there: an empty extra is still an extra.
func (r *xmReader) strOpt(key string) (string, bool, error) {
	if _, ok := r.c.Lookup(key); !ok {
		return "", false, nil
	}
	s, err := r.c.Str(key, "")
	return s, err == nil, err
}

// disks (§3.9), then the format 1 HVM cdrom key (§3.10).
func (r *xmReader) disks() error {
	d := r.d
	if v, ok := r.c.Lookup("disk"); ok && v.Kind != xmcfg.KindList {
		return r.errf("expected a string list for 'disk' parameter")
	}
	entries, err := r.stringItems("disk")
	if err != nil {
		return err
	}
	for _, e := range entries {
		disk, ok, err := parseXMDisk(e, d.hvm)
		if err != nil {
			return r.errf("disk '%s': %v", e, err)
		}
		if ok {
			d.disks = append(d.disks, disk)
		}
	}
	if d.hvm && gateImageCdrom.in(r.v) {
		if v, ok := r.c.Lookup("cdrom"); ok && v.Kind == xmcfg.KindString {
			d.disks = append(d.disks, diskDef{typ: "file", device: "cdrom", driver: "file",
				source: v.Str, target: "hdc", bus: "ide", readonly: true})
		}
	}
	return checkDiskTargets(d.disks)
}

// parseXMDisk reads "UNAME,VDEV,MODE" as libvirt did; ok is false for the
// entries it skipped silently (fewer than three fields).
func parseXMDisk(e string, hvm bool) (diskDef, bool, error) {
	var disk diskDef
	src, rest, ok := strings.Cut(e, ",")
	if !ok {
		return disk, false, nil
	}
	rest = strings.TrimPrefix(rest, "ioemu:")
	tgt, mode, ok := strings.Cut(rest, ",")
	if !ok {
		return disk, false, nil
	}
	drv := ""
	if src != "" {
		if before, after, ok := strings.Cut(src, ":"); ok {
			drv, src = before, after
		}
	}
	if drv == "tap" || drv == "tap2" {
		sub, path, ok := strings.Cut(src, ":")
		if !ok {
			return disk, false, fmt.Errorf("no format after %s:", drv)
		}
		switch {
		case sub == "aio":
			disk.format = "raw"
		case isStorageFormat(sub):
			disk.format = sub
		default:
			return disk, false, unknownFormat(src)
		}
		src = path
	}
	if drv == "" {
		drv = "phy"
	}
	if !validDriverName(drv) {
		return disk, false, fmt.Errorf("bad driver name '%s'", drv)
	}
	disk.driver, disk.source = drv, src
	disk.typ = "file"
	if drv == "phy" {
		disk.typ = "block"
	}
	disk.device = "disk"
	if t, suffix, ok := strings.Cut(tgt, ":"); ok {
		tgt = t
		if suffix == "cdrom" {
			disk.device = "cdrom"
		}
	}
	if tgt == "" {
		return disk, false, fmt.Errorf("no target device")
	}
	disk.target = tgt
	switch {
	case strings.HasPrefix(tgt, "xvd") || !hvm:
		disk.bus = "xen"
	case strings.HasPrefix(tgt, "sd"):
		disk.bus = "scsi"
	default:
		disk.bus = "ide"
	}
	switch mode {
	case "r", "ro":
		disk.readonly = true
	case "w!", "!":
		disk.shareable = true
	}
	return disk, true, nil
}

// usb (§3.14): one usbdevice for an HVM guest; others are ignored.
func (r *xmReader) usb() error {
	if !r.d.hvm {
		return nil
	}
	s, err := r.c.Str("usbdevice", "")
	if err != nil {
		return err
	}
	switch s {
	case "tablet", "mouse", "keyboard":
		r.d.inputs = append(r.d.inputs, inputDef{typ: s, bus: "usb"})
	}
	return nil
}

// randomUUID is what libvirt gives a file without uuid (§3.1).
func randomUUID() string {
	var b [16]byte
	randbytes.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// randomMAC is a Xen-prefix MAC for a vif without one (§3.11 Target).
func randomMAC() string {
	var b [3]byte
	randbytes.Read(b[:])
	return fmt.Sprintf("00:16:3e:%02x:%02x:%02x", b[0]&0x7f, b[1], b[2])
}
