package fake

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"xvirsh/backend"
	"xvirsh/backend/xendrules"
	"xvirsh/sexpr"
)

// The device ops of xend 3.x's XendDomainInfo (xend-protocol.md §3):
// device_create, device_destroy and device_configure. xend keeps one
// config per domain (XendConfig), so on a running managed domain a change
// goes to the live domain and to its definition at once; on a halted one
// (format >= 3) to the definition only. xend 3.0.x (format < 3) has no
// definitions: a device goes to a running domain or nowhere.

// isDiskClass reports whether class is one whose devid is the virtual
// device number of the target; tap and tap2 disks sit under vbd in
// xenstore too. A switch, where a map would be built at every start-up.
func isDiskClass(class string) bool {
	switch class {
	case "vbd", "tap", "tap2":
		return true
	}
	return false
}

// devBody is the (vbd …)-like body of a (device …) entry, nil if none.
func devBody(dev *sexpr.Node) *sexpr.Node {
	if !dev.IsList() || dev.Head() != "device" || len(dev.Kids) < 2 {
		return nil
	}
	return dev.Kids[1]
}

// devID is the devid xend files a device of the config under: the virtual
// device number of a disk's target, a vif's own devid or else its place
// among the vifs (xend numbers vifs from 0 in the order it creates them).
func devID(cfg *sexpr.Node, body *sexpr.Node) (int, bool) {
	if isDiskClass(body.Head()) {
		n, err := xendrules.DiskDevID(body.Get("dev"))
		return n, err == nil
	}
	if body.Head() != "vif" {
		return 0, false
	}
	if n, err := strconv.Atoi(body.Get("devid")); err == nil {
		return n, true
	}
	i := 0
	for _, dev := range cfg.Children("device") {
		b := devBody(dev)
		if b == body {
			return i, true
		}
		if b != nil && b.Head() == "vif" {
			i++
		}
	}
	return 0, false
}

// findDevice is the (device …) entry of class (vbd matches tap and tap2
// as well, as they share the vbd frontend) with devid id, or nil.
func findDevice(cfg *sexpr.Node, class string, id int) *sexpr.Node {
	if cfg == nil {
		return nil
	}
	for _, dev := range cfg.Children("device") {
		b := devBody(dev)
		if b == nil {
			continue
		}
		same := b.Head() == class || (class == "vbd" && isDiskClass(b.Head()))
		if n, ok := devID(cfg, b); same && ok && n == id {
			return dev
		}
	}
	return nil
}

// parseDevid reads the dev field: a number, or for a disk a target name,
// which xend 3.2 and later turn into the number themselves.
func parseDevid(class, dev string) (int, error) {
	if isDiskClass(class) {
		return xendrules.DiskDevID(dev)
	}
	n, err := xendrules.PyInt(dev)
	return int(n), err
}

// opDeviceCreate is device_create config=(vbd …)|(vif …): xend's
// device_add then, on a running domain, _createDevice, whose
// DevController refuses a devid in use: "Device hdb (832, vbd) is
// already connected." A vbd needs a dev and, unless it is a cdrom, a
// uname (blkif.getDeviceDetails).
func (h *Host) opDeviceCreate(d *dom, f url.Values) error {
	body, err := xendrules.ReadSXP(f.Get("config"))
	if err != nil {
		return errorf(nil, "%s", err)
	}
	class := body.Head()
	if !d.running() && h.format < 3 {
		return notRunning(d.name)
	}
	if d.dom0 {
		return errorf(backend.ErrInvalidState, "Cannot attach devices to privileged domain 0")
	}
	switch {
	case isDiskClass(class):
		dev := body.Get("dev")
		if dev == "" {
			return errorf(nil, "Block device must have virtual details specified")
		}
		if body.Get("uname") == "" && !strings.HasSuffix(dev, ":cdrom") {
			return errorf(nil, "Block device must have physical details specified")
		}
		id, err := xendrules.DiskDevID(dev)
		if err != nil {
			return errorf(nil, "%s", err)
		}
		if d.running() && findDevice(d.live, "vbd", id) != nil {
			name := strings.TrimPrefix(dev, "ioemu:")
			if i := strings.IndexByte(name, ':'); i >= 0 {
				name = name[:i]
			}
			return errorf(nil, "Device %s (%d, %s) is already connected.", name, id, class)
		}
	case class == "vif":
		body = body.Clone()
		id := 0
		for _, cfg := range []*sexpr.Node{d.live, d.persist} {
			for _, dev := range cfgDevices(cfg) {
				if b := devBody(dev); b != nil && b.Head() == "vif" {
					if n, ok := devID(cfg, b); ok && n >= id {
						id = n + 1
					}
				}
			}
		}
		body.Set("devid", strconv.Itoa(id))
		if body.Get("mac") == "" {
			body.Set("mac", fakeMAC(d.uuid, id))
		}
	case class == "pci":
		// (state Initialising) asks for the hot-plug; xend's config
		// keeps the device without it.
		body = body.Clone()
		body.Delete("state")
	case class == "vfb" || class == "vkbd":
	default:
		return errorf(nil, "Unknown device type: %s", class)
	}
	return h.edit(d, func(cfg *sexpr.Node) {
		cfg.Append(sexpr.List(sexpr.Atom("device"), body.Clone()))
	})
}

func cfgDevices(cfg *sexpr.Node) []*sexpr.Node {
	if cfg == nil {
		return nil
	}
	return cfg.Children("device")
}

// fakeMAC is the MAC xend makes up for a vif that has none, in Xen's
// 00:16:3e range; the fake derives it from the domain and devid so that
// every run prints the same.
func fakeMAC(uuid string, devid int) string {
	s := sha1Sum([]byte(fmt.Sprintf("%s/%d", uuid, devid)))
	return fmt.Sprintf("00:16:3e:%02x:%02x:%02x", s[0]&0x7f, s[1], s[2])
}

// opDeviceDestroy is device_destroy type= dev= force= rm_cfg=
// (XendDomainInfo.destroyDevice): a running domain loses the device, or
// DevController says "Device %s not connected"; with rm_cfg the
// definition loses it too, or "Device %s is not defined". A halted
// domain without rm_cfg is left as it is, without complaint.
func (h *Host) opDeviceDestroy(d *dom, f url.Values) error {
	class, devid := f.Get("type"), f.Get("dev")
	if !isDiskClass(class) && class != "vif" {
		return errorf(nil, "Unknown device type: %s", class)
	}
	id, err := parseDevid(class, devid)
	if err != nil {
		return errorf(nil, "Device %s not connected", devid)
	}
	rmCfg := f.Get("rm_cfg") != "0"
	if d.running() {
		dev := findDevice(d.live, class, id)
		if dev == nil {
			return errorf(nil, "Device %s not connected", devid)
		}
		removeKid(d.live, dev)
		h.runtimeDirty = true
	} else if h.format < 3 {
		return notRunning(d.name)
	}
	if !rmCfg || d.persist == nil {
		return nil
	}
	dev := findDevice(d.persist, class, id)
	if dev == nil {
		return errorf(nil, "Device %s is not defined", devid)
	}
	old := d.persist.Clone()
	removeKid(d.persist, dev)
	if err := h.saveConfig(d); err != nil {
		d.persist = old
		return err
	}
	return nil
}

func removeKid(n, kid *sexpr.Node) {
	for i, k := range n.Kids {
		if k == kid {
			n.Kids = append(n.Kids[:i], n.Kids[i+1:]...)
			return
		}
	}
}

// opDeviceConfigure is device_configure config=(vbd …) dev=DEVID: xend's
// blkif.reconfigureDevice changes only a read-only cdrom into a cdrom of
// the same target (a new ISO, or none: an eject), and refuses anything
// else with "Refusing to reconfigure device vbd:DEVID to …". The device
// must be connected, so the domain must run (DevController.readBackend).
// xend 3.1's device_configure then updates the config with the new
// device (XendConfig.device_update), which the record shows.
func (h *Host) opDeviceConfigure(d *dom, f url.Values) error {
	body, err := xendrules.ReadSXP(f.Get("config"))
	if err != nil {
		return errorf(nil, "%s", err)
	}
	class, devid := body.Head(), f.Get("dev")
	if !isDiskClass(class) {
		return errorf(nil, "Refusing to reconfigure device %s:%s to %s", class, devid, body)
	}
	id, err := parseDevid(class, devid)
	var cur *sexpr.Node
	if err == nil && d.running() {
		cur = findDevice(d.live, class, id)
	}
	if cur == nil {
		return errorf(nil, "Device %s not connected", devid)
	}
	old := devBody(cur)
	target := func(dev string) (string, bool) {
		dev = strings.TrimPrefix(dev, "ioemu:")
		name, kind, _ := strings.Cut(dev, ":")
		return name, kind == "cdrom"
	}
	oldName, oldCD := target(old.Get("dev"))
	newName, newCD := target(body.Get("dev"))
	if !oldCD || !newCD || oldName != newName || old.Get("mode") != "r" {
		return errorf(nil, "Refusing to reconfigure device %s:%d to %s", class, id, body)
	}
	return h.edit(d, func(cfg *sexpr.Node) {
		if dev := findDevice(cfg, class, id); dev != nil {
			dev.Kids[1] = body.Clone()
		}
	})
}
