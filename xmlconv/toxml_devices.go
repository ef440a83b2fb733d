package xmlconv

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"xvirsh/sexpr"
)

// devices writes <devices> in libvirt's element order: emulator, disks,
// interfaces, serials, parallels, consoles, inputs, graphics, sound,
// hostdevs.
func (c *txConv) devices() error {
	c.collectDevices()
	c.devs = c.dom.CreateElement("devices")
	if em := c.imageGet("device_model"); em != "" {
		txText(c.devs, "emulator", em)
	}
	steps := []func() error{
		c.diskDevices, c.imageDisks, c.interfaces, c.charDevices, c.inputs,
		c.graphics, c.sound, c.hostdevs,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// collectDevices sorts the root's (device (<kind> …)) children by kind in
// one pass. An empty (device (vkbd)) or (device (vbd)) matches nothing.
func (c *txConv) collectDevices() {
	for _, k := range c.root.Kids {
		if k.Head() != "device" {
			continue
		}
		if d := txDiskBlock(k); d != nil {
			c.disks = append(c.disks, d)
		}
		if v := txContent(k, "vif"); v != nil {
			c.vifs = append(c.vifs, v)
		}
		if c.pci == nil {
			c.pci = txContent(k, "pci")
		}
		if c.vfb == nil {
			c.vfb = txContent(k, "vfb")
		}
	}
}

// txContent returns the (kind …) list inside dev when it has content.
func txContent(dev *sexpr.Node, kind string) *sexpr.Node {
	if l := dev.Child(kind); l != nil && len(l.Kids) > 1 {
		return l
	}
	return nil
}

// txDiskBlock picks the disk list of a device block, preferring vbd, then
// tap2, then tap, as libvirt does when a block holds several.
func txDiskBlock(dev *sexpr.Node) *sexpr.Node {
	for _, kind := range [...]string{"vbd", "tap2", "tap"} {
		if l := txContent(dev, kind); l != nil {
			return l
		}
	}
	return nil
}

// diskDevices converts the vbd/tap/tap2 blocks. A (bootable 1) disk swaps
// places with the first disk, so that it becomes the boot disk.
func (c *txConv) diskDevices() error {
	out := make([]*etree.Element, 0, len(c.disks))
	for _, d := range c.disks {
		el, err := c.disk(d)
		if err != nil {
			return err
		}
		out = append(out, el)
		if d.Get("bootable") == "1" {
			last := len(out) - 1
			out[0], out[last] = out[last], out[0]
		}
	}
	for _, el := range out {
		c.devs.AddChild(el)
	}
	return nil
}

func (c *txConv) disk(n *sexpr.Node) (*etree.Element, error) {
	dev := n.Get("dev")
	if dev == "" {
		return nil, fmt.Errorf("%w, vbd has no dev", ErrIncomplete)
	}
	// xend writes "ioemu:hda" for emulated disks (3.0.2) and "hdc:cdrom" or
	// "hda:disk" (3.0.3+). libvirt keeps the suffix for format 1, giving a
	// target like "hdc:cdrom" that its own schema rejects; it is cut here in
	// every format.
	target := strings.TrimPrefix(dev, "ioemu:")
	device := "disk"
	if i := strings.LastIndexByte(target, ':'); i >= 0 {
		if target[i+1:] == "cdrom" {
			device = "cdrom"
		}
		target = target[:i]
	}
	target = strings.TrimPrefix(target, "/dev/")
	if name, ok := txVbdName(target); ok {
		target = name
	}
	if target == "" {
		return nil, fmt.Errorf("%w, vbd '%s' has no target device", ErrIncomplete, dev)
	}

	el := etree.NewElement("disk")
	typ := "file"
	var drvName, format, src string
	if uname := n.Get("uname"); uname != "" {
		var err error
		typ, drvName, format, src, err = txParseUname(uname, n.Head())
		var uf unknownFormat
		if errors.As(err, &uf) {
			c.warn("disk %s: %v, its format dropped", target, err)
		} else if err != nil {
			return nil, err
		}
		if src == "" && device != "cdrom" {
			// "file:" names no file: as good as no uname at all
			return nil, fmt.Errorf("%w, vbd %s has no src", ErrIncomplete, dev)
		}
	} else if device != "cdrom" {
		// libvirt allows a sourceless drive only for HVM "hdc:cdrom"; an
		// empty CD drive is just as real on a PV guest.
		return nil, fmt.Errorf("%w, vbd %s has no src", ErrIncomplete, dev)
	}
	el.CreateAttr("type", typ)
	el.CreateAttr("device", device)
	if drvName != "" {
		drv := txElem(el, "driver", "name", drvName)
		if format != "" {
			drv.CreateAttr("type", format)
		}
	}
	if src != "" {
		if typ == "block" {
			txElem(el, "source", "dev", src)
		} else {
			txElem(el, "source", "file", src)
		}
	}
	txElem(el, "target", "dev", target, "bus", txDiskBus(target))
	// Any mode containing 'r' is read-only, "rw" included, as libvirt read
	// it (mapping.md §7.1); xend itself writes only r, w and w!.
	mode := n.Get("mode")
	if strings.Contains(mode, "r") {
		el.CreateElement("readonly")
	}
	if strings.Contains(mode, "!") {
		el.CreateElement("shareable")
	}
	return el, nil
}

// txParseUname splits "phy:/dev/vg/lv", "file:/img", "tap:qcow:/img" or
// "tap2:aio:/img" into disk type, driver name, driver format and source.
func txParseUname(uname, block string) (typ, drv, format, src string, err error) {
	drv, rest, ok := strings.Cut(uname, ":")
	if !ok || drv == "" {
		return "", "", "", "", fmt.Errorf("cannot parse vbd filename '%s', missing driver name", uname)
	}
	switch drv {
	case "tap", "tap2":
		if block == "tap2" {
			drv = "tap2"
		}
		// Xen 4 blktap2 names may carry the "tapdisk:" backend, as in
		// "tap2:tapdisk:aio:/img"; libvirt rejects them as an unknown type.
		rest = strings.TrimPrefix(rest, "tapdisk:")
		sub, path, ok := strings.Cut(rest, ":")
		if !ok {
			return "", "", "", "", fmt.Errorf("cannot parse vbd filename '%s', missing driver type", uname)
		}
		switch {
		case sub == "aio":
			format = "raw"
		case storageFormats[sub]:
			format = sub
		default:
			// The disk is real whatever blktap format it names; the caller
			// keeps it without a format, with a warning.
			return "file", drv, "", path, unknownFormat(rest)
		}
		return "file", drv, format, path, nil
	case "file":
		return "file", drv, "", rest, nil
	case "phy":
		return "block", drv, "", rest, nil
	}
	// Block scripts such as drbd:, iscsi: or npiv: name a resource their
	// script turns into a block device. libvirt leaves the disk type unset,
	// which its XML formatter cannot print; block is what they are.
	if !validDriverName(drv) {
		return "", "", "", "", fmt.Errorf("cannot parse vbd filename '%s', bad driver name '%s'", uname, drv)
	}
	return "block", drv, "", rest, nil
}

// unknownFormat is a tap uname whose format libvirt does not name, e.g.
// "sync:/img"; libvirt's message.
type unknownFormat string

func (u unknownFormat) Error() string { return "Unknown driver type " + string(u) }

// txVbdName turns a numeric Xen virtual device, as xend may report it,
// into its Linux name: 51712 is xvda, 51713 xvda1, 2048 sda, 768 hda.
func txVbdName(s string) (string, bool) {
	if s == "" || len(s) > 10 {
		return "", false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", false
		}
		n = n*10 + int(s[i]-'0')
	}
	var prefix string
	var disk, part int
	switch major, minor := n>>8, n&0xff; {
	case n&(1<<28) != 0 && n < 1<<29:
		prefix, disk, part = "xvd", (n>>8)&0xfffff, n&0xff
	case major == 202:
		prefix, disk, part = "xvd", minor>>4, minor&15
	case major == 8:
		prefix, disk, part = "sd", minor>>4, minor&15
	case major == 3:
		prefix, disk, part = "hd", minor>>6, minor&63
	case major == 22:
		prefix, disk, part = "hd", 2+minor>>6, minor&63
	default:
		return "", false
	}
	letters := ""
	for d := disk + 1; d > 0; d = (d - 1) / 26 {
		letters = string(rune('a'+(d-1)%26)) + letters
	}
	name := prefix + letters
	if part > 0 {
		name += strconv.Itoa(part)
	}
	return name, true
}

// txDiskBus derives the bus from the target name, as libvirt does: anything
// that is not xvd*, hd* or sd* is treated as IDE.
func txDiskBus(target string) string {
	switch {
	case strings.HasPrefix(target, "xvd"):
		return "xen"
	case strings.HasPrefix(target, "sd"):
		return "scsi"
	default:
		return "ide"
	}
}

// imageDisks adds the disks xend keeps inside the HVM image: the 3.0.2
// (cdrom 'iso') and the (fda …)/(fdb …) floppies.
//
// A record may name the same drive both ways, (cdrom 'iso') next to a
// (vbd (dev 'hdc:cdrom')); libvirt keeps the vbd as a disk "hdc:cdrom",
// but with the suffix cut here both would be hdc, so a slot a vbd
// already fills is not added twice.
func (c *txConv) imageDisks() error {
	if !c.hvm {
		return nil
	}
	taken := map[string]bool{}
	for _, d := range c.devs.SelectElements("disk") {
		if t := d.SelectElement("target"); t != nil {
			taken[t.SelectAttrValue("dev", "")] = true
		}
	}
	if c.ver == xend302 && !taken["hdc"] {
		if iso := c.imageGet("cdrom"); iso != "" {
			d := txElem(c.devs, "disk", "type", "file", "device", "cdrom")
			txElem(d, "driver", "name", "file")
			txElem(d, "source", "file", iso)
			txElem(d, "target", "dev", "hdc", "bus", "ide")
			d.CreateElement("readonly")
		}
	}
	for _, fd := range [...]string{"fda", "fdb"} {
		path := c.imageGet(fd)
		if path == "" || taken[fd] {
			continue
		}
		d := txElem(c.devs, "disk", "type", "file", "device", "floppy")
		txElem(d, "driver", "name", "file")
		txElem(d, "source", "file", path)
		txElem(d, "target", "dev", fd, "bus", "fdc")
	}
	return nil
}

// hostdevs converts the first (device (pci (dev …) …)) block; xend keeps all
// passed-through functions of a domain in one block.
func (c *txConv) hostdevs() error {
	if c.pci == nil {
		return nil
	}
	for _, dev := range c.pci.Children("dev") {
		var addr [4]string
		for i, f := range pciFields {
			v, ok := dev.GetOK(f.key)
			if !ok {
				return fmt.Errorf("missing PCI %s", f.key)
			}
			n, ok := txStrictInt(v)
			if !ok || n < 0 {
				return fmt.Errorf("cannot parse PCI %s '%s'", f.key, v)
			}
			if n > f.max {
				return fmt.Errorf("PCI %s '%s' out of range (at most %#x)", f.key, v, f.max)
			}
			addr[i] = fmt.Sprintf(f.format, n)
		}
		h := txElem(c.devs, "hostdev", "mode", "subsystem", "type", "pci", "managed", "no")
		src := h.CreateElement("source")
		txElem(src, "address", "domain", addr[0], "bus", addr[1], "slot", addr[2], "function", addr[3])
	}
	return nil
}
