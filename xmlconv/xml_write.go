package xmlconv

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// xmlWriter prints libvirt's domain XML: two-space indentation, attributes
// in single quotes, leaf text inline. It writes straight into one buffer,
// without an element tree, and escapes as libvirt does, so that every
// value survives a read back: CR, LF and TAB in attributes and CR in text
// become character references (an XML reader normalises them otherwise),
// and characters XML cannot carry at all become U+FFFD.
type xmlWriter struct {
	b     []byte
	depth int
}

func (w *xmlWriter) indent() {
	for i := 0; i < w.depth; i++ {
		w.b = append(w.b, ' ', ' ')
	}
}

// start writes <tag a='v' …; attrs are key, value pairs and an empty value
// leaves its attribute out.
func (w *xmlWriter) start(tag string, attrs []string) {
	w.indent()
	w.b = append(w.b, '<')
	w.b = append(w.b, tag...)
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] == "" {
			continue
		}
		w.b = append(w.b, ' ')
		w.b = append(w.b, attrs[i]...)
		w.b = append(w.b, '=', '\'')
		w.escape(attrs[i+1], true)
		w.b = append(w.b, '\'')
	}
}

// open starts an element that will have child elements.
func (w *xmlWriter) open(tag string, attrs ...string) {
	w.start(tag, attrs)
	w.b = append(w.b, '>', '\n')
	w.depth++
}

func (w *xmlWriter) close(tag string) {
	w.depth--
	w.indent()
	w.b = append(w.b, '<', '/')
	w.b = append(w.b, tag...)
	w.b = append(w.b, '>', '\n')
}

// empty writes <tag a='v'/>.
func (w *xmlWriter) empty(tag string, attrs ...string) {
	w.start(tag, attrs)
	w.b = append(w.b, '/', '>', '\n')
}

// text writes <tag a='v'>text</tag>, or <tag/> for no text.
func (w *xmlWriter) text(tag, text string, attrs ...string) {
	if text == "" {
		w.empty(tag, attrs...)
		return
	}
	w.start(tag, attrs)
	w.b = append(w.b, '>')
	w.escape(text, false)
	w.b = append(w.b, '<', '/')
	w.b = append(w.b, tag...)
	w.b = append(w.b, '>', '\n')
}

// optText writes <tag>text</tag> when there is text.
func (w *xmlWriter) optText(tag, text string) {
	if text != "" {
		w.text(tag, text)
	}
}

func (w *xmlWriter) escape(s string, attr bool) {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		var esc string
		width := 1
		switch {
		case c == '&':
			esc = "&amp;"
		case c == '<':
			esc = "&lt;"
		case c == '>':
			esc = "&gt;"
		case c == '\'':
			esc = "&apos;"
		case c == '"':
			esc = "&quot;"
		case c == '\r':
			esc = "&#13;"
		case c == '\n' && attr:
			esc = "&#10;"
		case c == '\t' && attr:
			esc = "&#9;"
		case c == '\n' || c == '\t':
		case c < 0x20:
			esc = "\uFFFD"
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(s[i:])
			width = n
			if r == utf8.RuneError && n == 1 || r == 0xFFFE || r == 0xFFFF {
				esc = "\uFFFD"
			}
		}
		if esc != "" {
			w.b = append(w.b, s[last:i]...)
			w.b = append(w.b, esc...)
			last = i + width
		}
		i += width
	}
	w.b = append(w.b, s[last:]...)
}

// writeXML prints the model as libvirt's domain XML.
func (d *domainDef) writeXML(opt Options) string {
	w := &xmlWriter{b: make([]byte, 0, 2048)}
	id := ""
	if d.domid >= 0 {
		id = strconv.FormatInt(d.domid, 10)
	}
	w.open("domain", "type", "xen", "id", id)
	w.text("name", d.name)
	w.text("uuid", d.uuid)
	for _, f := range topFields {
		w.optText(f.xml, *f.str(d))
	}
	w.text("memory", strconv.FormatUint(d.maxKiB, 10), "unit", "KiB")
	w.text("currentMemory", strconv.FormatUint(d.curKiB, 10), "unit", "KiB")
	cur := ""
	if d.vcpuCurrent < d.vcpus {
		cur = strconv.Itoa(d.vcpuCurrent)
	}
	w.text("vcpu", strconv.Itoa(d.vcpus), "current", cur, "cpuset", d.cpuset)
	if d.hasBootloader && !d.hvm {
		w.text("bootloader", d.bootloader)
		w.optText("bootloader_args", d.bootloaderArgs)
	}
	d.writeOS(w)
	if d.hvm {
		// An HVM guest always gets <features>, empty when xend has every
		// switch off: the SEXPR writer reads a missing <features> as "the
		// host's defaults", which turn PAE on.
		if len(d.features) == 0 && !d.hapOff {
			w.empty("features")
		} else {
			w.open("features")
			for _, f := range d.features {
				w.empty(f)
			}
			if d.hapOff {
				w.empty("hap", "state", "off")
			}
			w.close("features")
		}
	}
	basis := ""
	if d.clockOffset == "variable" {
		basis = d.clockBasis
	}
	clock := []string{"offset", d.clockOffset, "adjustment", d.clockAdjustment, "basis", basis}
	if d.hpet != "" {
		w.open("clock", clock...)
		present := "no"
		if d.hpet == "1" {
			present = "yes"
		}
		w.empty("timer", "name", "hpet", "present", present)
		w.close("clock")
	} else {
		w.empty("clock", clock...)
	}
	for _, f := range lifecycleFields {
		w.text(f.xml, *f.str(d))
	}
	d.writeDevices(w, opt)
	w.close("domain")
	return string(w.b)
}

func (d *domainDef) writeOS(w *xmlWriter) {
	w.open("os")
	if d.hvm {
		w.text("type", "hvm")
		w.optText("loader", d.loader)
	} else {
		w.text("type", "linux")
	}
	for _, f := range kernelFields {
		w.optText(f.xml, *f.str(d))
	}
	if d.hvm && d.kernel == "" {
		for _, l := range d.boot {
			if dev, ok := bootDev(l); ok {
				w.empty("boot", "dev", dev)
			}
		}
	}
	w.close("os")
}

func (d *domainDef) writeDevices(w *xmlWriter, opt Options) {
	if d.emulator == "" && len(d.disks) == 0 && len(d.nets) == 0 && len(d.serials) == 0 &&
		len(d.parallels) == 0 && len(d.consoles) == 0 && len(d.inputs) == 0 &&
		len(d.graphics) == 0 && len(d.sounds) == 0 && len(d.pci) == 0 {
		w.empty("devices")
		return
	}
	w.open("devices")
	w.optText(emulatorField.xml, d.emulator)
	for _, disk := range d.disks {
		disk.writeXML(w)
	}
	for _, n := range d.nets {
		n.writeXML(w)
	}
	for _, c := range d.serials {
		c.writeXML(w, "serial", "")
	}
	for _, c := range d.parallels {
		c.writeXML(w, "parallel", "")
	}
	for _, c := range d.consoles {
		c.writeXML(w, "console", c.tgtType)
	}
	for _, in := range d.inputs {
		w.empty("input", "type", in.typ, "bus", in.bus)
	}
	for _, g := range d.graphics {
		g.writeXML(w, opt)
	}
	for _, m := range d.sounds {
		w.empty("sound", "model", m)
	}
	for _, p := range d.pci {
		p.writeXML(w)
	}
	w.close("devices")
}

func (disk diskDef) writeXML(w *xmlWriter) {
	w.open("disk", "type", disk.typ, "device", disk.device)
	if disk.driver != "" {
		w.empty("driver", "name", disk.driver, "type", disk.format)
	}
	if disk.source != "" {
		attr := "file"
		switch disk.typ {
		case "block":
			attr = "dev"
		case "dir":
			attr = "dir"
		}
		w.empty("source", attr, disk.source)
	}
	bus := disk.bus
	if bus == "" {
		bus = txDiskBus(disk.target)
	}
	w.empty("target", "dev", disk.target, "bus", bus)
	if disk.readonly {
		w.empty("readonly")
	}
	if disk.shareable {
		w.empty("shareable")
	}
	w.close("disk")
}

func (n nicDef) writeXML(w *xmlWriter) {
	w.open("interface", "type", n.typ)
	if n.mac != "" {
		w.empty("mac", "address", n.mac)
	}
	if n.typ == "bridge" && n.bridge != "" {
		w.empty("source", "bridge", n.bridge)
	}
	for _, ip := range strings.Fields(n.ip) {
		w.empty("ip", "address", ip)
	}
	if n.script != "" {
		w.empty("script", "path", n.script)
	}
	if n.vifname != "" {
		w.empty("target", "dev", n.vifname)
	}
	if n.model != "" {
		w.empty("model", "type", n.model)
	}
	if n.rateKB > 0 {
		w.open("bandwidth")
		w.empty("outbound", "average", strconv.FormatUint(n.rateKB, 10))
		w.close("bandwidth")
	}
	w.close("interface")
}

// writeXML writes a serial, parallel or console element. targetType is ""
// for serial and parallel ports, "serial" or "xen" for consoles.
func (ch chrDev) writeXML(w *xmlWriter, tag, targetType string) {
	tty := ""
	if ch.typ == "pty" && strings.HasPrefix(ch.tty, "/") {
		tty = ch.tty
	}
	w.open(tag, "type", ch.typ, "tty", tty)
	switch ch.typ {
	case "pty":
		if ch.tty != "" {
			w.empty("source", "path", ch.tty)
		}
	case "dev", "file", "pipe":
		if ch.path != "" {
			w.empty("source", "path", ch.path)
		}
	case "tcp":
		w.empty("source", "mode", ch.mode(), "host", ch.host, "service", ch.service)
		proto := "raw"
		if ch.telnet {
			proto = "telnet"
		}
		w.empty("protocol", "type", proto)
	case "udp":
		if ch.bindHost != "" || ch.bindSvc != "" {
			w.empty("source", "mode", "bind", "host", ch.bindHost, "service", ch.bindSvc)
		}
		w.empty("source", "mode", "connect", "host", ch.host, "service", ch.service)
	case "unix":
		w.empty("source", "mode", ch.mode(), "path", ch.path)
	}
	port := ch.port
	if port < 0 {
		port = 0
	}
	w.empty("target", "type", targetType, "port", strconv.Itoa(port))
	w.close(tag)
}

// mode is the <source mode> of a tcp or unix device.
func (ch chrDev) mode() string {
	if ch.listen {
		return "bind"
	}
	return "connect"
}

func (g graphicsDef) writeXML(w *xmlWriter, opt Options) {
	switch g.typ {
	case "vnc":
		autoport := "no"
		if g.autoport {
			autoport = "yes"
		}
		passwd := g.passwd
		if opt.HideSecrets {
			passwd = ""
		}
		attrs := []string{"type", "vnc", "port", strconv.Itoa(g.port), "autoport", autoport,
			"listen", g.listen, "keymap", g.keymap, "passwd", passwd}
		if g.listen == "" {
			w.empty("graphics", attrs...)
			return
		}
		w.start("graphics", attrs)
		w.b = append(w.b, '>', '\n')
		w.depth++
		w.empty("listen", "type", "address", "address", g.listen)
		w.close("graphics")
	case "sdl":
		w.empty("graphics", "type", "sdl", "display", g.display, "xauth", g.xauth)
	}
}

func (p pciAddr) writeXML(w *xmlWriter) {
	w.open("hostdev", "mode", "subsystem", "type", "pci", "managed", "no")
	w.open("source")
	var a [2 * len(pciFields)]string
	for i, f := range pciFields {
		a[2*i], a[2*i+1] = f.attr, fmt.Sprintf(f.format, p[i])
	}
	w.empty("address", a[:]...)
	w.close("source")
	w.close("hostdev")
}
