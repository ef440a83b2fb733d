package xmlconv

import "xvirsh/sexpr"

// chrString renders a character device in qemu-dm's string grammar, the
// value of (serial X) and (parallel X).
//
// libvirt wrote these values bare and escaped only embedded paths, so a
// path with a blank or a parenthesis broke its output. Here the whole
// string is one atom and the sexpr printer quotes it when needed.
func chrString(c srcChr) string {
	switch c.typ {
	case "null", "vc", "pty", "stdio":
		return c.typ
	case "file", "pipe":
		return c.typ + ":" + c.path
	case "dev":
		return c.path
	case "tcp":
		proto := "tcp:"
		if c.telnet {
			proto = "telnet:"
		}
		s := proto + c.host + ":" + c.service
		if c.listen {
			s += ",server,nowait"
		}
		return s
	case "udp":
		// The bind part is always written, even empty: udp:host:9998@:
		return "udp:" + c.host + ":" + c.service + "@" + c.bindHost + ":" + c.bindSvc
	case "unix":
		s := "unix:" + c.path
		if c.listen {
			s += ",server,nowait"
		}
		return s
	}
	// readChr has rejected every other type.
	return c.typ
}

// hvmSerials returns the serial ports of an HVM guest. With no <serial>,
// a <console> stands for serial port 0 (libvirt's XML parser turns the
// console of an HVM guest into its first serial), so `<console/>` gives
// (serial pty).
func (d *srcDomain) hvmSerials() []srcChr {
	if len(d.serials) > 0 {
		return d.serials
	}
	for _, c := range d.consoles {
		if c.tgtType == "" || c.tgtType == "serial" {
			c.port = 0
			return []srcChr{c}
		}
	}
	return nil
}

// sxSerial is (serial none), (serial X) for one device on port 0, or the
// list form (serial (X0 X1 ...)) with none in the gaps.
func sxSerial(serials []srcChr) *sexpr.Node {
	switch {
	case len(serials) == 0:
		return sexpr.KV("serial", "none")
	case len(serials) == 1 && serials[0].port == 0:
		return sexpr.KV("serial", chrString(serials[0]))
	}
	top := 0
	for _, c := range serials {
		top = max(top, c.port)
	}
	vals := make([]string, top+1)
	for i := range vals {
		vals[i] = "none"
	}
	for _, c := range serials {
		vals[c.port] = chrString(c)
	}
	inner := sexpr.List()
	for _, v := range vals {
		inner.Append(sexpr.Atom(v))
	}
	return sexpr.List(sexpr.Atom("serial"), inner)
}

// sxParallel is (parallel X) for the first parallel port, else none: qemu-dm
// takes only one.
func sxParallel(pars []srcChr) *sexpr.Node {
	if len(pars) == 0 {
		return sexpr.KV("parallel", "none")
	}
	return sexpr.KV("parallel", chrString(pars[0]))
}
