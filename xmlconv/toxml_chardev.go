package xmlconv

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// txChr is one serial or parallel port read from xend's qemu-style string,
// e.g. "pty", "/dev/ttyS0", "file:/tmp/x.log", "tcp:host:4555,server,nowait",
// "udp:host:9998@:9999" or "unix:/tmp/sock,server".
type txChr struct {
	typ    string // null vc pty dev file pipe stdio tcp udp unix
	path   string // dev, file, pipe, unix
	host   string // tcp; udp connect side
	svc    string
	bind   bool // tcp, unix: listen (",server")
	telnet bool
	bhost  string // udp bind side
	bsvc   string
}

// txChrTypes are the libvirt character device types xend's strings name.
// spicevmc, spiceport and nmdm are libvirt types too, but xend has no such
// backends and the SEXPR writer rejects them, so they are rejected here.
var txChrTypes = map[string]bool{
	"null": true, "vc": true, "pty": true, "dev": true, "file": true, "pipe": true,
	"stdio": true, "udp": true, "tcp": true, "unix": true,
}

func txParseChr(s string) (txChr, error) {
	if strings.HasPrefix(s, "/") {
		return txChr{typ: "dev", path: s}, nil
	}
	prefix, rest, _ := strings.Cut(s, ":")
	var c txChr
	switch {
	case strings.HasPrefix(prefix, "telnet"):
		c.typ, c.telnet = "tcp", true
	case txChrTypes[prefix]:
		c.typ = prefix
	default:
		return c, fmt.Errorf("unknown chr device type '%s'", prefix)
	}
	switch c.typ {
	case "file", "pipe", "dev":
		// libvirt stores no path for "dev:/dev/ttyS0"; keeping it is what
		// the string means. Without a path there is no device at all, and
		// an XML <serial type='file'> without a source is refused anyway.
		if rest == "" {
			return c, fmt.Errorf("malformed char device string '%s': no path", s)
		}
		c.path = rest
	case "tcp":
		host, svcOpts, ok := strings.Cut(rest, ":")
		if !ok {
			return c, fmt.Errorf("malformed char device string '%s'", s)
		}
		svc, opts, _ := strings.Cut(svcOpts, ",")
		c.host, c.svc = host, svc
		c.bind = strings.Contains(","+opts, ",server")
	case "udp":
		conn, bind, hasBind := strings.Cut(rest, "@")
		host, svc, ok := strings.Cut(conn, ":")
		if !ok {
			return c, fmt.Errorf("malformed char device string '%s'", s)
		}
		c.host, c.svc = host, svc
		if hasBind {
			bh, bs, ok := strings.Cut(bind, ":")
			if !ok {
				return c, fmt.Errorf("malformed char device string '%s'", s)
			}
			c.bhost, c.bsvc = bh, bs
		}
	case "unix":
		path, opts, _ := strings.Cut(rest, ",")
		if path == "" {
			return c, fmt.Errorf("malformed char device string '%s': no path", s)
		}
		c.path = path
		c.bind = strings.Contains(","+opts, ",server")
	}
	return c, nil
}

// element appends <tag type='…'> with its sources, protocol and target.
// targetType is "" for serial/parallel ports, "serial" or "xen" for
// consoles. tty is the pty path of a running domain, if known.
func (ch txChr) element(parent *etree.Element, tag string, port int, targetType, tty string) *etree.Element {
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
		mode := "connect"
		if ch.bind {
			mode = "bind"
		}
		src := txElem(el, "source", "mode", mode)
		txOptAttr(src, "host", ch.host)
		txOptAttr(src, "service", ch.svc)
		proto := "raw"
		if ch.telnet {
			proto = "telnet"
		}
		txElem(el, "protocol", "type", proto)
	case "udp":
		if ch.bhost != "" || ch.bsvc != "" {
			src := txElem(el, "source", "mode", "bind")
			txOptAttr(src, "host", ch.bhost)
			txOptAttr(src, "service", ch.bsvc)
		}
		src := txElem(el, "source", "mode", "connect")
		txOptAttr(src, "host", ch.host)
		txOptAttr(src, "service", ch.svc)
	case "unix":
		mode := "connect"
		if ch.bind {
			mode = "bind"
		}
		src := txElem(el, "source", "mode", mode)
		txOptAttr(src, "path", ch.path)
	}
	t := el.CreateElement("target")
	if targetType != "" {
		t.CreateAttr("type", targetType)
	}
	t.CreateAttr("port", strconv.Itoa(port))
	return el
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
			ch := txChr{typ: "pty"}
			ch.element(c.devs, "console", 0, "xen", c.opt.TTY)
		}
		return nil
	}
	var serials []txChr
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
					ch, err := txParseChr(s.Value)
					if err != nil {
						return err
					}
					serials = append(serials, ch)
					ports = append(ports, port)
				}
				port++
			}
		}
	} else if v := c.imageGet("serial"); v != "" && v != "none" {
		ch, err := txParseChr(v)
		if err != nil {
			return err
		}
		serials, ports = append(serials, ch), append(ports, 0)
	}
	for i, ch := range serials {
		ch.element(c.devs, "serial", ports[i], "", c.serialTTY(i, ch))
	}
	if v := c.imageGet("parallel"); v != "" && v != "none" {
		ch, err := txParseChr(v)
		if err != nil {
			return err
		}
		ch.element(c.devs, "parallel", 0, "", "")
	}
	if len(serials) > 0 {
		ch := serials[0]
		ch.element(c.devs, "console", ports[0], "serial", c.serialTTY(0, ch))
	}
	return nil
}

// serialTTY: the live pty path xend keeps in xenstore is that of the first
// serial port only.
func (c *txConv) serialTTY(i int, ch txChr) string {
	if i == 0 && ch.typ == "pty" {
		return c.opt.TTY
	}
	return ""
}
