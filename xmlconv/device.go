package xmlconv

import (
	"errors"
	"fmt"

	"github.com/beevik/etree"

	"xvirsh/sexpr"
)

// DeviceToSexpr converts one device element, as attach-device takes it
// (<disk>, <interface>, <hostdev>, <graphics>), to the (device (…)) list
// xend hot-plugs into a running guest, for a PV or HVM guest at the given
// xend config format. It is the per-device half of ToSexpr: the same
// reader and writer, so a device attached looks as it would had the
// domain been created with it.
func DeviceToSexpr(xml []byte, hvm bool, version int) (*sexpr.Node, error) {
	v, err := checkVersion(version)
	if err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(xml); err != nil {
		return nil, fmt.Errorf("%w: malformed XML: %v", ErrInvalidXML, err)
	}
	el := doc.Root()
	if el == nil {
		return nil, invalidf("no device element")
	}
	d := &domainDef{domid: -1, hvm: hvm}
	b := &vmBuilder{d: d, v: v}
	device := func(n *sexpr.Node) *sexpr.Node { return sexpr.List(sexpr.Atom("device"), n) }
	switch el.Tag {
	case "disk":
		disk, err := readDisk(el)
		if err != nil {
			return nil, err
		}
		// qemu-dm has no hot-plug for the drives xend keeps in the image.
		if hvm && disk.device == "floppy" {
			return nil, fmt.Errorf("%w: Cannot directly attach floppy %s", ErrInvalidArg, disk.source)
		}
		if hvm && disk.device == "cdrom" && gateImageCdrom.in(v) {
			return nil, fmt.Errorf("%w: Cannot directly attach CDROM %s", ErrInvalidArg, disk.source)
		}
		n, err := b.vbd(disk)
		if err != nil {
			return nil, err
		}
		return device(n), nil
	case "interface":
		n, err := readNet(el)
		if err != nil {
			return nil, err
		}
		return device(b.vif(n)), nil
	case "hostdev":
		p, managed, err := readHostdev(el)
		if err != nil {
			return nil, err
		}
		if p == nil {
			return nil, unsupportedf("only PCI host devices can be passed to xend")
		}
		d.pci, d.pciManaged = []pciAddr{*p}, managed
		return b.pciBlock()
	case "graphics":
		g, err := readGraphics(el)
		if err != nil {
			return nil, err
		}
		if g.typ != "vnc" && g.typ != "sdl" {
			return nil, unsupportedf("unexpected graphics type '%s' (xend has only vnc and sdl)", g.typ)
		}
		return device(vfb(g)), nil
	}
	return nil, unsupportedf("device <%s> cannot be attached through xend", el.Tag)
}

// ErrInvalidArg marks a request xend cannot carry out on this device
// (libvirt's VIR_ERR_INVALID_ARG).
var ErrInvalidArg = errors.New("invalid argument")

// DeviceToXML converts one device of a record, (device (vbd …)) or just
// (vbd …), and likewise tap, tap2, vif, pci and vfb, to its XML element,
// indented at the top level. It is the per-device half of ToXML, as
// detach-device and domblklist need it; opt.Warn hears of what a lenient
// read dropped, opt.Version is the xend config format.
func DeviceToXML(dev *sexpr.Node, opt Options) (string, error) {
	if dev == nil || !dev.IsList() {
		return "", fmt.Errorf("%w: not a device list", ErrNotDomain)
	}
	if dev.Head() == "device" && len(dev.Kids) > 1 {
		dev = dev.Kids[1]
	}
	warn := func(format string, args ...any) {
		if opt.Warn != nil {
			opt.Warn(fmt.Sprintf(format, args...))
		}
	}
	w := &xmlWriter{}
	switch dev.Head() {
	case "vbd", "tap", "tap2":
		disk, err := readVbd(dev, warn)
		if err != nil {
			return "", err
		}
		disk.writeXML(w)
	case "vif":
		n, err := readVif(dev, 0, warn)
		if err != nil {
			return "", err
		}
		n.writeXML(w)
	case "pci":
		for _, d := range dev.Children("dev") {
			p, err := readPCIDev(d)
			if err != nil {
				return "", err
			}
			p.writeXML(w)
		}
	case "vfb":
		g, ok := readVfb(dev, opt.VNCPort, warn)
		if !ok || g == nil {
			return "", fmt.Errorf("unknown graphics type in %s", dev)
		}
		g.writeXML(w, opt)
	default:
		return "", fmt.Errorf("%w: (%s …) is not a device this converter knows", ErrNotDomain, dev.Head())
	}
	return string(w.b), nil
}
