package xmlconv

import (
	"fmt"
	"strconv"
	"strings"

	"xvirsh/sexpr"
)

// inImage reports whether a disk travels inside the HVM image rather than
// as a (device (vbd ...)): floppies always, and on xend 3.0.2 the cdrom,
// which that xend knew only as (cdrom 'path') in the image.
func (b *vmBuilder) inImage(disk diskDef) bool {
	if !b.d.hvm {
		return false
	}
	return disk.device == "floppy" || (disk.device == "cdrom" && gateImageCdrom.in(b.v))
}

// imageDisks gives the HVM image's (cdrom ...), (fda ...) and (fdb ...).
// qemu-dm has exactly these slots: a floppy on another target, an empty
// floppy, and on 3.0.2 a cdrom other than hdc have nowhere to go and are
// left out, as libvirt did.
//
// Format 4 keeps them, as libvirt's versioned code did at 3.1: modern
// libvirt dropped HVM floppies (mapping.md §9), but xend 3.1 and later
// take (fda)/(fdb) in the image, and dropping them would break
// dumpxml -> create -> dumpxml for every HVM guest with a floppy.
func (b *vmBuilder) imageDisks() []*sexpr.Node {
	var cdrom []*sexpr.Node
	var fd [2]*sexpr.Node
	for _, disk := range b.d.disks {
		if !b.inImage(disk) || disk.source == "" {
			continue
		}
		switch {
		case disk.device == "cdrom" && disk.target == "hdc" && cdrom == nil:
			cdrom = []*sexpr.Node{sexpr.KV("cdrom", disk.source)}
		case disk.device == "floppy" && disk.target == "fda" && fd[0] == nil:
			fd[0] = sexpr.KV("fda", disk.source)
		case disk.device == "floppy" && disk.target == "fdb" && fd[1] == nil:
			fd[1] = sexpr.KV("fdb", disk.source)
		}
	}
	out := cdrom
	for _, f := range fd {
		if f != nil {
			out = append(out, f)
		}
	}
	return out
}

// devices gives the (device ...) lists in xend's order: disks, vifs, one
// pci block, then PV graphics.
func (b *vmBuilder) devices() ([]*sexpr.Node, error) {
	d := b.d
	out := make([]*sexpr.Node, 0, len(d.disks)+len(d.nets)+3)
	dev := func(n *sexpr.Node) { out = append(out, sexpr.List(sexpr.Atom("device"), n)) }
	for _, disk := range d.disks {
		if b.inImage(disk) {
			continue
		}
		n, err := b.vbd(disk)
		if err != nil {
			return nil, err
		}
		dev(n)
	}
	for _, n := range d.nets {
		dev(b.vif(n))
	}
	if len(d.pci) > 0 {
		pci, err := b.pciBlock()
		if err != nil {
			return nil, err
		}
		out = append(out, pci)
	}
	if !d.hvm && gatePVFB.in(b.v) {
		if g := d.theGraphics(); g != nil {
			dev(sexpr.List(sexpr.Atom("vkbd")))
			dev(vfb(*g))
		}
	}
	return out, nil
}

// pciBlock is the one (device (pci (dev …) …)) for all PCI host devices,
// of a whole domain or of attach-device. It refuses a managed='yes'
// device: xend cannot detach it from the host first (mapping.md §7.3);
// the xm formatter writes it as any other (xm-config.md §3.12).
func (b *vmBuilder) pciBlock() (*sexpr.Node, error) {
	if b.d.pciManaged {
		return nil, unsupportedf("managed PCI devices not supported with XenD")
	}
	pci := sexpr.List(sexpr.Atom("pci"))
	for _, p := range b.d.pci {
		addr := sexpr.List(sexpr.Atom("dev"))
		for i, f := range pciFields {
			addr.Append(sexpr.KV(f.key, fmt.Sprintf(f.format, p[i])))
		}
		pci.Append(addr)
	}
	return sexpr.List(sexpr.Atom("device"), pci), nil
}

func (b *vmBuilder) vbd(disk diskDef) (*sexpr.Node, error) {
	block := "vbd"
	if disk.driver == "tap" || disk.driver == "tap2" {
		block = disk.driver
	}
	n := sexpr.List(sexpr.Atom(block))

	dev := disk.target
	switch {
	case b.d.hvm && gateIoemuTarget.in(b.v):
		dev = "ioemu:" + dev
	case disk.device == "cdrom":
		dev += ":cdrom"
	case b.d.hvm:
		dev += ":disk"
	}
	n.Append(sexpr.KV("dev", dev))

	// Only a drive with removable media reads back without one (readDisk
	// has refused a sourceless disk already); HVM floppies went into the
	// image instead.
	if disk.source == "" && disk.device == "floppy" {
		return nil, invalidf("disk %s has no source", disk.target)
	}
	if disk.source != "" {
		uname, err := diskUname(disk)
		if err != nil {
			return nil, err
		}
		n.Append(sexpr.KV("uname", uname))
	}
	mode := "w"
	switch {
	case disk.readonly:
		mode = "r"
	case disk.shareable:
		mode = "w!"
	}
	n.Append(sexpr.KV("mode", mode))
	return n, nil
}

// diskUname is xend's "<driver>:[<format>:]<path>".
func diskUname(disk diskDef) (string, error) {
	switch {
	case disk.driver == "tap" || disk.driver == "tap2":
		format := disk.format
		if format == "" || format == "raw" {
			format = "aio"
		}
		return disk.driver + ":" + format + ":" + disk.source, nil
	case disk.driver != "":
		// xend's file and phy back ends take any image as it is; the
		// format cannot be passed on.
		return disk.driver + ":" + disk.source, nil
	case disk.typ == "file":
		return "file:" + disk.source, nil
	case disk.typ == "block":
		if disk.source[0] == '/' {
			return "phy:" + disk.source, nil
		}
		return "phy:/dev/" + disk.source, nil
	}
	return "", unsupportedf("unsupported disk type %s", disk.typ)
}

// isAutoVifName matches the vifD.N (or vif-D.N) names xend gives
// interfaces itself; those are not sent back, so a new domain gets fresh
// ones. libvirt dropped every name starting with "vif", which lost names
// like "vif-web". No regexp: compiling one would cost every start-up.
func isAutoVifName(name string) bool {
	rest, ok := strings.CutPrefix(name, "vif")
	if !ok {
		return false
	}
	domid, idx, ok := strings.Cut(strings.TrimPrefix(rest, "-"), ".")
	return ok && isDecimal(domid) && isDecimal(idx)
}

// isDecimal reports whether s is one or more ASCII digits.
func isDecimal(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func (b *vmBuilder) vif(n nicDef) *sexpr.Node {
	v := sexpr.List(sexpr.Atom("vif"))
	// Without a mac, xend picks a random 00:16:3e one, as libvirt would have.
	if n.mac != "" {
		v.Append(sexpr.KV("mac", n.mac))
	}
	if n.rateKB > 0 {
		v.Append(sexpr.KV("rate", strconv.FormatUint(n.rateKB, 10)+"KB/s"))
	}
	switch n.typ {
	case "bridge":
		if n.bridge != "" {
			v.Append(sexpr.KV("bridge", n.bridge))
		}
		script := n.script
		if script == "" {
			script = "vif-bridge"
		}
		v.Append(sexpr.KV("script", script))
	case "ethernet":
		if n.script != "" {
			v.Append(sexpr.KV("script", n.script))
		}
	}
	// n.ip may hold several blank-separated addresses (readNet): xend
	// takes (ip 'a b') whole and it reads back as several <ip>, so they
	// are sent (deliberately unlike libvirt's refusal, mapping.md §7.2);
	// an xm vif holds one and the xm writer refuses more (xm-config.md §3.11).
	if n.ip != "" {
		v.Append(sexpr.KV("ip", n.ip))
	}
	if n.vifname != "" && !isAutoVifName(n.vifname) {
		v.Append(sexpr.KV("vifname", n.vifname))
	}
	switch {
	case !b.d.hvm:
		if n.model != "" {
			v.Append(sexpr.KV("model", n.model))
		}
	case n.model == "netfront":
		v.Append(sexpr.KV("type", "netfront"))
	default:
		if n.model != "" {
			v.Append(sexpr.KV("model", n.model))
		}
		// xend before 3.1 gave an HVM guest only netfront vifs unless told
		// that qemu-dm should emulate the card.
		if gateVifIoemu.in(b.v) {
			v.Append(sexpr.KV("type", "ioemu"))
		}
	}
	return v
}
