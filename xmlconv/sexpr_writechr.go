package xmlconv

import "xvirsh/sexpr"

// hvmSerials returns the serial ports of an HVM guest. With no <serial>,
// a <console> stands for serial port 0 (libvirt's XML parser turns the
// console of an HVM guest into its first serial), so `<console/>` gives
// (serial pty).
func (d *domainDef) hvmSerials() []chrDev {
	if len(d.serials) > 0 {
		return d.serials
	}
	for _, c := range d.consoles {
		if c.tgtType == "" || c.tgtType == "serial" {
			c.port = 0
			return []chrDev{c}
		}
	}
	return nil
}

// sxSerial is (serial none), (serial X) for one device on port 0, or the
// list form (serial (X0 X1 ...)) with none in the gaps.
func sxSerial(serials []chrDev) *sexpr.Node {
	switch {
	case len(serials) == 0:
		return sexpr.KV("serial", "none")
	case len(serials) == 1 && serials[0].port == 0:
		return sexpr.KV("serial", chrString(serials[0]))
	}
	inner := sexpr.List()
	for _, v := range serialPorts(serials) {
		inner.Append(sexpr.Atom(v))
	}
	return sexpr.List(sexpr.Atom("serial"), inner)
}

// serialPorts is the list form of the serial ports that SEXPR and xm share
// (mapping.md §0: one xenFormatSxprChr for both): one string per port from 0
// to the highest used, "none" in the gaps. A device without a port counts as
// port 0.
func serialPorts(serials []chrDev) []string {
	top := 0
	for _, c := range serials {
		top = max(top, c.port)
	}
	vals := make([]string, top+1)
	for i := range vals {
		vals[i] = "none"
	}
	for _, c := range serials {
		vals[max(c.port, 0)] = chrString(c)
	}
	return vals
}

// sxParallel is (parallel X) for the first parallel port, else none: qemu-dm
// takes only one.
func sxParallel(pars []chrDev) *sexpr.Node {
	if len(pars) == 0 {
		return sexpr.KV("parallel", "none")
	}
	return sexpr.KV("parallel", chrString(pars[0]))
}
