package xmlconv

import (
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// element appends <tag type='…'> with its sources, protocol and target.
// targetType is "" for serial/parallel ports, "serial" or "xen" for
// consoles. tty is the pty path of a running domain, if known.
func (ch chrDev) element(parent *etree.Element, tag string, port int, targetType, tty string) *etree.Element {
	el := txElem(parent, tag, "type", ch.typ)
	switch ch.typ {
	case "pty":
		if tty != "" {
			if strings.HasPrefix(tty, "/") {
				el.CreateAttr("tty", tty)
			}
			txElem(el, "source", "path", tty)
		}
	case "dev", "file", "pipe":
		if ch.path != "" {
			txElem(el, "source", "path", ch.path)
		}
	case "tcp":
		src := txElem(el, "source", "mode", ch.mode())
		txOptAttr(src, "host", ch.host)
		txOptAttr(src, "service", ch.service)
		proto := "raw"
		if ch.telnet {
			proto = "telnet"
		}
		txElem(el, "protocol", "type", proto)
	case "udp":
		if ch.bindHost != "" || ch.bindSvc != "" {
			src := txElem(el, "source", "mode", "bind")
			txOptAttr(src, "host", ch.bindHost)
			txOptAttr(src, "service", ch.bindSvc)
		}
		src := txElem(el, "source", "mode", "connect")
		txOptAttr(src, "host", ch.host)
		txOptAttr(src, "service", ch.service)
	case "unix":
		src := txElem(el, "source", "mode", ch.mode())
		txOptAttr(src, "path", ch.path)
	}
	t := el.CreateElement("target")
	if targetType != "" {
		t.CreateAttr("type", targetType)
	}
	t.CreateAttr("port", strconv.Itoa(port))
	return el
}

// mode is the <source mode> of a tcp or unix device.
func (ch chrDev) mode() string {
	if ch.listen {
		return "bind"
	}
	return "connect"
}

func txOptAttr(el *etree.Element, key, val string) {
	if val != "" {
		el.CreateAttr(key, val)
	}
}

// charDevices writes the HVM serial and parallel ports and the console.
// An HVM console mirrors the first serial port, as libvirt prints it; a PV
// guest (other than dom0) always has the xen pty console.
func (c *txConv) charDevices() error {
	if !c.hvm {
		if c.domid != 0 {
			ch := chrDev{typ: "pty"}
			ch.element(c.devs, "console", 0, "xen", c.opt.TTY)
		}
		return nil
	}
	var serials []chrDev
	var ports []int
	node := c.image.Lookup("serial")
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
					if ch, ok := c.readChr("serial", port, s.Value); ok {
						serials = append(serials, ch)
						ports = append(ports, port)
					}
				}
				port++
			}
		}
	} else if v := c.imageGet("serial"); v != "" && v != "none" {
		if ch, ok := c.readChr("serial", 0, v); ok {
			serials, ports = append(serials, ch), append(ports, 0)
		}
	}
	for i, ch := range serials {
		ch.element(c.devs, "serial", ports[i], "", c.serialTTY(i, ch))
	}
	if v := c.imageGet("parallel"); v != "" && v != "none" {
		if ch, ok := c.readChr("parallel", 0, v); ok {
			ch.element(c.devs, "parallel", 0, "", "")
		}
	}
	if len(serials) > 0 {
		ch := serials[0]
		ch.element(c.devs, "console", ports[0], "serial", c.serialTTY(0, ch))
	}
	return nil
}

// readChr reads one port's device string; one the grammar does not know
// (qemu-dm has backends libvirt has no type for, such as msmouse or
// braille) drops that port with a warning, not the domain.
func (c *txConv) readChr(kind string, port int, s string) (chrDev, bool) {
	ch, err := parseChr(s)
	if err != nil {
		c.warn("%s port %d: %v, dropped", kind, port, err)
		return ch, false
	}
	return ch, true
}

// serialTTY: the live pty path xend keeps in xenstore is that of the first
// serial port only.
func (c *txConv) serialTTY(i int, ch chrDev) string {
	if i == 0 && ch.typ == "pty" {
		return c.opt.TTY
	}
	return ""
}
