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
func sxSerial(serials []chrDev) (*sexpr.Node, error) {
	vals, err := serialPorts(serials)
	switch {
	case err != nil:
		return nil, err
	case len(serials) == 0:
		return sexpr.KV("serial", "none"), nil
	case len(serials) == 1 && serials[0].port == 0:
		return sexpr.KV("serial", vals[0]), nil
	}
	inner := sexpr.List()
	for _, v := range vals {
		inner.Append(sexpr.Atom(v))
	}
	return sexpr.List(sexpr.Atom("serial"), inner), nil
}

// serialPorts is the list form of the serial ports that SEXPR and xm share
// (mapping.md §0: one xenFormatSxprChr for both): one string per port from 0
// to the highest used, "none" in the gaps. A device without a port counts as
// port 0.
func serialPorts(serials []chrDev) ([]string, error) {
	top := 0
	for _, c := range serials {
		top = max(top, c.port)
	}
	vals := make([]string, top+1)
	for i := range vals {
		vals[i] = "none"
	}
	for _, c := range serials {
		s, err := chrString("serial", c)
		if err != nil {
			return nil, err
		}
		vals[max(c.port, 0)] = s
	}
	return vals, nil
}

// sxParallel is (parallel X) for the first parallel port, else none: qemu-dm
// takes only one.
func sxParallel(pars []chrDev) (*sexpr.Node, error) {
	if len(pars) == 0 {
		return sexpr.KV("parallel", "none"), nil
	}
	s, err := chrString("parallel", pars[0])
	if err != nil {
		return nil, err
	}
	return sexpr.KV("parallel", s), nil
}
