package xmlconv

import (
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

func (d *domainDef) readDevices(root *etree.Element) error {
	devs := root.SelectElement("devices")
	if devs == nil {
		return nil
	}
	d.emulator = elemText(devs, emulatorField.xml)
	for _, el := range devs.ChildElements() {
		var err error
		switch el.Tag {
		case "disk":
			var disk diskDef
			if disk, err = readDisk(el); err == nil {
				d.disks = append(d.disks, disk)
			}
		case "interface":
			var n nicDef
			if n, err = readNet(el); err == nil {
				d.nets = append(d.nets, n)
			}
		case "hostdev":
			var p *pciAddr
			var managed bool
			if p, managed, err = readHostdev(el); err == nil && p != nil {
				d.pci = append(d.pci, *p)
				d.pciManaged = d.pciManaged || managed
			}
		case "graphics":
			var g graphicsDef
			if g, err = readGraphics(el); err == nil {
				d.graphics = append(d.graphics, g)
			}
		case "input":
			in := inputDef{typ: el.SelectAttrValue("type", ""), bus: el.SelectAttrValue("bus", "")}
			if in.bus == "" && in.typ == "tablet" && d.hvm {
				// libvirt's XML parser gives an HVM guest's busless
				// tablet the USB bus (a mouse or keyboard PS/2, which
				// xend has anyway): xm-config.md §3.14, [xml-side].
				in.bus = "usb"
			}
			d.inputs = append(d.inputs, in)
		case "sound":
			model := el.SelectAttrValue("model", "")
			if !isSoundModel(model) {
				return unsupportedf("unexpected sound model '%s'", model)
			}
			d.sounds = append(d.sounds, model)
		case "serial", "parallel", "console":
			var c chrDev
			if c, err = readChr(el); err == nil {
				switch el.Tag {
				case "serial":
					d.serials = append(d.serials, c)
				case "parallel":
					d.parallels = append(d.parallels, c)
				default:
					d.consoles = append(d.consoles, c)
				}
			}
		}
		if err != nil {
			return err
		}
	}
	if err := checkDiskTargets(d.disks); err != nil {
		return err
	}
	if len(d.graphics) == 1 {
		if t := d.graphics[0].typ; t != "vnc" && t != "sdl" {
			return unsupportedf("unexpected graphics type '%s' (xend has only vnc and sdl)", t)
		}
	}
	return assignPorts(d.serials, "serial")
}

// checkDiskTargets refuses two disks on one target, with virsh's message:
// xend would take both and the guest would see one.
func checkDiskTargets(disks []diskDef) error {
	seen := make(map[string]int, len(disks))
	for i, disk := range disks {
		if j, ok := seen[disk.target]; ok {
			return invalidf("target '%s' duplicated for disk sources '%s' and '%s'",
				disk.target, nullStr(disks[j].source), nullStr(disk.source))
		}
		seen[disk.target] = i
	}
	return nil
}

// nullStr is libvirt's NULLSTR: how it prints a missing string.
func nullStr(s string) string {
	if s == "" {
		return "<null>"
	}
	return s
}

// elemChild walks down first-match child elements; etree's FindElement would
// compile a path on every call.
func elemChild(el *etree.Element, tags ...string) *etree.Element {
	for _, t := range tags {
		if el == nil {
			return nil
		}
		el = el.SelectElement(t)
	}
	return el
}

func readDisk(el *etree.Element) (diskDef, error) {
	d := diskDef{
		typ:    el.SelectAttrValue("type", "file"),
		device: el.SelectAttrValue("device", "disk"),
	}
	switch d.device {
	case "disk", "cdrom", "floppy":
	case "lun":
		d.device = "disk"
	default:
		return d, invalidf("unknown disk device '%s'", d.device)
	}
	if tgt := el.SelectElement("target"); tgt != nil {
		d.target = tgt.SelectAttrValue("dev", "")
	}
	// Old xend-era XML names targets "ioemu:hda" or "hda:disk"; the bare
	// name is what both xend and libvirt mean.
	d.target = strings.TrimPrefix(d.target, "ioemu:")
	if i := strings.LastIndexByte(d.target, ':'); i >= 0 {
		if suf := d.target[i+1:]; suf == "disk" || suf == "cdrom" {
			d.target = d.target[:i]
		}
	}
	// "/dev/xvda" is read as xvda both ways, so "/dev/" names no target.
	if d.target == "" || d.target == "/dev/" {
		return d, invalidf("disk has no <target dev=...>")
	}
	if drv := el.SelectElement("driver"); drv != nil {
		d.driver = drv.SelectAttrValue("name", "")
		d.format = drv.SelectAttrValue("type", "")
		// Any driver name goes through as the uname prefix, "loop:/img"
		// for <driver name='loop'/>; only one that would garble the uname
		// is refused.
		if d.driver != "" && !validDriverName(d.driver) {
			return d, invalidf("bad disk driver name '%s' for disk %s", d.driver, d.target)
		}
		if d.format != "" && d.format != "aio" && !isStorageFormat(d.format) {
			return d, invalidf("unknown disk driver type '%s' for disk %s", d.format, d.target)
		}
		if d.format == "aio" {
			d.format = "raw"
		}
	}
	if src := el.SelectElement("source"); src != nil {
		switch d.typ {
		case "file":
			d.source = src.SelectAttrValue("file", "")
		case "block":
			d.source = src.SelectAttrValue("dev", "")
		case "dir":
			d.source = src.SelectAttrValue("dir", "")
		}
	}
	switch d.typ {
	case "file", "block":
	case "dir":
		// Only a named driver can carry a directory to xend ('<drv>:<dir>').
		if d.driver == "" {
			return d, unsupportedf("unsupported disk type %s", d.typ)
		}
	case "network", "volume":
		return d, unsupportedf("unsupported disk type %s", d.typ)
	default:
		return d, invalidf("unknown disk type '%s'", d.typ)
	}
	if d.source == "" && d.device == "disk" {
		return d, invalidf("disk %s has no source", d.target)
	}
	if el.SelectElement("transient") != nil {
		return d, unsupportedf("transient disks not supported yet")
	}
	d.readonly = el.SelectElement("readonly") != nil
	d.shareable = el.SelectElement("shareable") != nil
	return d, nil
}

func readNet(el *etree.Element) (nicDef, error) {
	n := nicDef{typ: el.SelectAttrValue("type", "")}
	switch n.typ {
	case "bridge", "ethernet":
	case "network":
		// libvirt asks its network driver for the bridge; xend has no such
		// thing, so the user has to name the bridge.
		name := ""
		if src := el.SelectElement("source"); src != nil {
			name = src.SelectAttrValue("network", "")
		}
		return n, unsupportedf("interface type 'network' (network '%s') needs libvirt's network driver; use <interface type='bridge'> with <source bridge=...>", name)
	default:
		return n, unsupportedf("unsupported network type '%s'", n.typ)
	}
	if m := el.SelectElement("mac"); m != nil {
		raw := m.SelectAttrValue("address", "")
		mac, ok := parseMAC(raw)
		if !ok {
			return n, invalidf("malformed mac address '%s'", raw)
		}
		n.mac = mac
	}
	if src := el.SelectElement("source"); src != nil && n.typ == "bridge" {
		n.bridge = src.SelectAttrValue("bridge", "")
	}
	if s := el.SelectElement("script"); s != nil {
		n.script = s.SelectAttrValue("path", "")
	}
	var ips []string
	for _, ip := range el.SelectElements("ip") {
		if a := ip.SelectAttrValue("address", ""); a != "" {
			ips = append(ips, a)
		}
	}
	// xend's (ip …) is a blank-separated list, which vif-route and the
	// antispoof rules take whole; libvirt refused a second <ip>, although
	// it reads such a vif back as several.
	for _, ip := range ips {
		if strings.ContainsAny(ip, " \t\n") {
			return n, invalidf("interface ip address '%s' contains blanks", ip)
		}
	}
	n.ip = strings.Join(ips, " ")
	if t := el.SelectElement("target"); t != nil {
		n.vifname = t.SelectAttrValue("dev", "")
	}
	if m := el.SelectElement("model"); m != nil {
		n.model = m.SelectAttrValue("type", "")
		if n.model != "" && !validModelName(n.model) {
			return n, invalidf("interface model '%s' contains invalid characters", n.model)
		}
	}
	if out := elemChild(el, "bandwidth", "outbound"); out != nil {
		if avg := out.SelectAttrValue("average", ""); avg != "" {
			v, err := strconv.ParseUint(avg, 10, 64)
			if err != nil {
				return n, invalidf("interface bandwidth average '%s' is not a non-negative integer", avg)
			}
			if v > maxRate>>10 {
				return n, unsupportedf("interface bandwidth average %s KB/s is more than xend's rate can say", avg)
			}
			n.rateKB = v
		}
	}
	return n, nil
}

// readHostdev returns nil for host devices xend cannot pass through (USB,
// ...), which libvirt's xend code ignores too. managed is the device's
// managed='yes', which the SEXPR formatter refuses (pciBlock).
func readHostdev(el *etree.Element) (*pciAddr, bool, error) {
	if el.SelectAttrValue("mode", "subsystem") != "subsystem" || el.SelectAttrValue("type", "") != "pci" {
		return nil, false, nil
	}
	managed := el.SelectAttrValue("managed", "no") == "yes"
	addr := elemChild(el, "source", "address")
	if addr == nil {
		return nil, false, invalidf("PCI hostdev has no <source><address .../></source>")
	}
	var p pciAddr
	for i, f := range pciFields {
		raw := addr.SelectAttrValue(f.attr, "")
		if raw == "" {
			return nil, false, invalidf("PCI hostdev address lacks '%s'", f.attr)
		}
		v, err := strconv.ParseUint(raw, 0, 64)
		if err != nil || v > uint64(f.max) {
			return nil, false, invalidf("cannot parse PCI %s '%s'", f.attr, raw)
		}
		p[i] = v
	}
	return &p, managed, nil
}

func readGraphics(el *etree.Element) (graphicsDef, error) {
	g := graphicsDef{typ: el.SelectAttrValue("type", ""), port: -1}
	switch g.typ {
	case "vnc":
		// libvirt's rules: no port or port -1 means autoport, and
		// autoport='yes' wins over a port.
		g.autoport = true
		if p := el.SelectAttr("port"); p != nil {
			port, err := strconv.Atoi(strings.TrimSpace(p.Value))
			if err != nil || port < -1 || port > 65535 {
				return g, invalidf("vnc port '%s' is not a port number", p.Value)
			}
			g.port = port
			g.autoport = port == -1
		}
		if el.SelectAttrValue("autoport", "") == "yes" {
			g.autoport = true
		}
		g.listen = el.SelectAttrValue("listen", "")
		if g.listen == "" {
			for _, l := range el.SelectElements("listen") {
				if l.SelectAttrValue("type", "address") == "address" {
					if g.listen = l.SelectAttrValue("address", ""); g.listen != "" {
						break
					}
				}
			}
		}
		g.passwd = el.SelectAttrValue("passwd", "")
		g.keymap = el.SelectAttrValue("keymap", "")
	case "sdl":
		g.display = el.SelectAttrValue("display", "")
		g.xauth = el.SelectAttrValue("xauth", "")
	}
	// Any other type is refused only when it is the guest's one display
	// (see theGraphics): libvirt ignored every display of a guest with two.
	return g, nil
}

// readChr reads a serial, parallel or console element.
func readChr(el *etree.Element) (chrDev, error) {
	c := chrDev{typ: el.SelectAttrValue("type", "pty"), port: -1}
	if tgt := el.SelectElement("target"); tgt != nil {
		if p := tgt.SelectAttr("port"); p != nil {
			port, err := strconv.Atoi(strings.TrimSpace(p.Value))
			if err != nil || port < 0 || port > 255 {
				return c, invalidf("<%s> target port '%s' is not a small non-negative integer", el.Tag, p.Value)
			}
			c.port = port
		}
		c.tgtType = tgt.SelectAttrValue("type", "")
	}
	srcs := el.SelectElements("source")
	first := func(attr string) string {
		for _, s := range srcs {
			if v := s.SelectAttrValue(attr, ""); v != "" {
				return v
			}
		}
		return ""
	}
	switch c.typ {
	case "null", "vc", "pty", "stdio":
	case "file", "pipe", "dev", "unix":
		if c.path = first("path"); c.path == "" {
			return c, invalidf("<%s type='%s'> has no source path", el.Tag, c.typ)
		}
		if c.typ == "unix" && len(srcs) > 0 {
			c.listen = srcs[0].SelectAttrValue("mode", "connect") == "bind"
		}
	case "tcp":
		if len(srcs) > 0 {
			s := srcs[0]
			c.host = s.SelectAttrValue("host", "")
			c.service = s.SelectAttrValue("service", "")
			c.listen = s.SelectAttrValue("mode", "connect") == "bind"
		}
		if p := el.SelectElement("protocol"); p != nil {
			c.telnet = p.SelectAttrValue("type", "raw") != "raw"
		}
	case "udp":
		for _, s := range srcs {
			if s.SelectAttrValue("mode", "connect") == "bind" {
				c.bindHost = s.SelectAttrValue("host", "")
				c.bindSvc = s.SelectAttrValue("service", "")
			} else {
				c.host = s.SelectAttrValue("host", "")
				c.service = s.SelectAttrValue("service", "")
			}
		}
	case "spicevmc", "spiceport", "nmdm", "qemu-vdagent", "dbus":
		return c, unsupportedf("unsupported chr device type '%s'", c.typ)
	default:
		return c, invalidf("unexpected chr device type '%s'", c.typ)
	}
	return c, nil
}

// assignPorts numbers devices without <target port> after the highest port
// given so far, as libvirt does, and rejects two devices on one port.
func assignPorts(chrs []chrDev, kind string) error {
	seen := map[int]bool{}
	next := 0
	for i := range chrs {
		if chrs[i].port < 0 {
			chrs[i].port = next
		}
		if seen[chrs[i].port] {
			return invalidf("two %s devices on port %d", kind, chrs[i].port)
		}
		seen[chrs[i].port] = true
		next = max(next, chrs[i].port+1)
	}
	return nil
}
