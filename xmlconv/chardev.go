package xmlconv

import (
	"cmp"
	"fmt"
	"strings"
)

// chrDev is a serial, parallel or console device, read from the XML or
// from qemu-dm's string grammar, and written to either.
type chrDev struct {
	typ      string // null vc pty dev file pipe stdio tcp udp unix
	port     int    // target port, -1 when unset
	path     string // dev, file, pipe, unix
	host     string // tcp host, udp connect host
	service  string // tcp service, udp connect service
	bindHost string // udp bind host
	bindSvc  string // udp bind service
	listen   bool   // tcp and unix: mode='bind' (",server")
	telnet   bool   // tcp: any protocol other than raw
	tgtType  string // console target type
	tty      string // a running pty's path (ToXML only, from Options.TTY)
}

// isChrType reports whether t is one of the libvirt character device types
// xend's strings name. spicevmc, spiceport and nmdm are libvirt types too,
// but xend has no such backends and the SEXPR writer rejects them, so they
// are rejected here. A switch, where a map would be built at every start-up.
func isChrType(t string) bool {
	switch t {
	case "null", "vc", "pty", "dev", "file", "pipe", "stdio", "udp", "tcp", "unix":
		return true
	}
	return false
}

// parseChr reads qemu-dm's string for a serial or parallel port, e.g.
// "pty", "/dev/ttyS0", "file:/tmp/x.log", "tcp:host:4555,server,nowait",
// "udp:host:9998@:9999" or "unix:/tmp/sock,server".
func parseChr(s string) (chrDev, error) {
	if strings.HasPrefix(s, "/") {
		return chrDev{typ: "dev", path: s}, nil
	}
	prefix, rest, _ := strings.Cut(s, ":")
	var c chrDev
	switch {
	case strings.HasPrefix(prefix, "telnet"):
		c.typ, c.telnet = "tcp", true
	case isChrType(prefix):
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
		c.host, c.service = host, svc
		c.listen = strings.Contains(","+opts, ",server")
	case "udp":
		conn, bind, hasBind := strings.Cut(rest, "@")
		host, svc, ok := strings.Cut(conn, ":")
		if !ok {
			return c, fmt.Errorf("malformed char device string '%s'", s)
		}
		c.host, c.service = host, svc
		if hasBind {
			bh, bs, ok := strings.Cut(bind, ":")
			if !ok {
				return c, fmt.Errorf("malformed char device string '%s'", s)
			}
			c.bindHost, c.bindSvc = bh, bs
		}
	case "unix":
		path, opts, _ := strings.Cut(rest, ",")
		if path == "" {
			return c, fmt.Errorf("malformed char device string '%s': no path", s)
		}
		c.path = path
		c.listen = strings.Contains(","+opts, ",server")
	}
	return c, nil
}

// chrString renders a character device in qemu-dm's string grammar, the
// value of (serial X) and (parallel X) and of xm's serial and parallel
// keys; kind ("serial", "parallel") names the device in errors.
//
// libvirt wrote these values bare and escaped only embedded paths, so a
// path with a blank or a parenthesis broke its output. Here the whole
// string is one atom and the sexpr printer quotes it when needed.
//
// The string itself has no escapes, so a value holding a byte at which
// the reader ends it (mapping.md §7.7) is refused rather than written to
// come back cut: a tcp host ends at ':' and its service at ',', a unix
// path at ',' ("unix:/tmp/sock,server" would read back as a listening
// /tmp/sock), a udp host at ':' (the connect host also at '@', where the
// bind part starts) and the connect service at '@'; only a dev path
// starting with '/' reads back as a dev.
func chrString(kind string, c chrDev) (string, error) {
	check := func(what, val, stops string) error {
		if i := strings.IndexAny(val, stops); i >= 0 {
			return unsupportedf("%s port %d: %s %s '%s' cannot be written: xend's device string would end it at the '%c'",
				kind, max(c.port, 0), c.typ, what, val, val[i])
		}
		return nil
	}
	switch c.typ {
	case "null", "vc", "pty", "stdio":
		return c.typ, nil
	case "file", "pipe":
		return c.typ + ":" + c.path, nil
	case "dev":
		if !strings.HasPrefix(c.path, "/") {
			return "", unsupportedf("%s port %d: dev path '%s' cannot be written: xend's device string names a device only by an absolute path",
				kind, max(c.port, 0), c.path)
		}
		return c.path, nil
	case "tcp":
		if err := cmp.Or(check("host", c.host, ":"), check("service", c.service, ",")); err != nil {
			return "", err
		}
		proto := "tcp:"
		if c.telnet {
			proto = "telnet:"
		}
		s := proto + c.host + ":" + c.service
		if c.listen {
			s += ",server,nowait"
		}
		return s, nil
	case "udp":
		if err := cmp.Or(check("host", c.host, ":@"), check("service", c.service, "@"),
			check("bind host", c.bindHost, ":")); err != nil {
			return "", err
		}
		// The bind part is always written, even empty: udp:host:9998@:
		return "udp:" + c.host + ":" + c.service + "@" + c.bindHost + ":" + c.bindSvc, nil
	case "unix":
		if err := check("path", c.path, ","); err != nil {
			return "", err
		}
		s := "unix:" + c.path
		if c.listen {
			s += ",server,nowait"
		}
		return s, nil
	}
	// readChr has rejected every other type.
	return c.typ, nil
}
