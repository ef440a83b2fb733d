package fake

import (
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"xvirsh/sexpr"
)

const dom0UUID = "00000000-0000-0000-0000-000000000000"

const dom0Config = `(vm (name Domain-0) (memory 1024) (maxmem 8192) (vcpus 4)
 (uuid 00000000-0000-0000-0000-000000000000)
 (on_poweroff destroy) (on_reboot restart) (on_crash restart)
 (image (linux (kernel ''))))`

// demoEpoch is the instant test:///default is frozen at, so that its
// start times and CPU times read the same on every run. A function, where
// a variable would be computed at every start-up.
func demoEpoch() time.Time { return time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC) }

// demoDomain is one guest of the demo host, written in the shape libvirt's
// converter sends at format 4. up and cpu place a running one in time.
type demoDomain struct {
	config  string
	running bool
	up      time.Duration // how long it has been running at demoEpoch
	cpu     float64       // CPU seconds used by then
}

// Domain-0 has been up ten days and used this much CPU.
const (
	dom0Up  = 240 * time.Hour
	dom0CPU = 1523.4
)

var demoDomains = []demoDomain{
	{ // Windows being installed: HVM, booting from the cdrom, a driver floppy, serial on a pty.
		config: `(vm (name winxp) (memory 512) (maxmem 512) (vcpus 1)
 (uuid c7a5fdbd-cdaf-9455-926a-d65c16db1809)
 (on_poweroff destroy) (on_reboot restart) (on_crash restart)
 (image (hvm (kernel /usr/lib/xen/boot/hvmloader) (vcpus 1) (boot d)
   (fda /var/lib/xen/images/drivers.img) (acpi 1) (apic 1) (pae 1)
   (usb 1) (usbdevice tablet) (parallel none) (serial pty)
   (device_model /usr/lib/xen/bin/qemu-dm) (vnc 1) (vncunused 1)
   (rtc_timeoffset 0) (localtime 1)))
 (localtime 1)
 (device (vbd (dev hda:disk) (uname file:/var/lib/xen/images/winxp.img) (mode w)))
 (device (vbd (dev hdc:cdrom) (uname file:/var/lib/xen/images/winxp-sp3.iso) (mode r)))
 (device (vif (mac 00:16:3e:5d:c7:9e) (bridge xenbr0) (script vif-bridge) (model rtl8139))))`,
		running: true, up: 2 * time.Hour, cpu: 312.7,
	},
	{ // A paravirtualised Fedora booted through pygrub.
		config: `(vm (name fc8) (memory 256) (maxmem 512) (vcpus 2)
 (uuid 5f4a3bcd-7e21-4c1a-9d3b-0a8e6f2b1c44) (bootloader /usr/bin/pygrub)
 (on_poweroff destroy) (on_reboot restart) (on_crash restart)
 (image (linux (localtime 0)))
 (localtime 0)
 (device (vbd (dev xvda) (uname phy:/dev/VolGroup00/fc8) (mode w)))
 (device (vif (mac 00:16:3e:3a:91:2c) (bridge xenbr0) (script vif-bridge))))`,
		running: true, up: 30 * time.Minute, cpu: 45.2,
	},
	{ // A defined, stopped PV guest with its own kernel.
		config: `(vm (name rhel5) (memory 384) (maxmem 384) (vcpus 1)
 (uuid 8b1e7f3a-2c5d-4e9f-a1b2-c3d4e5f60718)
 (on_poweroff destroy) (on_reboot restart) (on_crash restart)
 (image (linux (kernel /var/lib/xen/boot/vmlinuz-2.6.18-xen)
   (ramdisk /var/lib/xen/boot/initrd-2.6.18-xen.img)
   (args 'ro root=/dev/xvda1 console=xvc0') (localtime 0)))
 (localtime 0)
 (device (tap (dev xvda) (uname tap:aio:/var/lib/xen/images/rhel5.img) (mode w)))
 (device (vif (mac 00:16:3e:7b:02:d4) (bridge xenbr0) (script vif-bridge))))`,
	},
}

// NewDefault returns the demo host at format 4: Domain-0, a running HVM
// guest installing from a cdrom, a running PV guest booted by pygrub and a
// stopped one. Names, ids, UUIDs, ttys and VNC ports are fixed, and the
// clock is frozen at demoEpoch, so every run prints the same.
func NewDefault() *Host { return NewDefaultFormat(4) }

// NewDefaultFormat is NewDefault for a host speaking another config
// format, with the demo configs in that format's shape. Below format 3
// there are no managed domains, so the stopped guest is missing and the
// running ones are transient.
func NewDefaultFormat(format int) *Host {
	h := New(format)
	h.clock = demoEpoch
	h.seedDemo(demoEpoch())
	return h
}

// demoTrees are the demo configs at format 4, parsed when xvirsh was built
// (demo_trees.go, which TestDemoTreesSource writes and checks): the linker lays
// them out, so the first demo host of a process parses and clones nothing.
// That was 13 of the heap's page faults in a one-shot `list` and half of
// what opening the demo host cost. A host changes its configs in place,
// so only one host may have them: the first to ask; any other parses its
// own.
var demoTreesTaken atomic.Bool

// dom0TreeTaken is demoTreesTaken for dom0Tree, Domain-0's config, which
// every host has, in a directory or not.
var dom0TreeTaken atomic.Bool

// demoTree is one demo domain's configs: the managed one, and for a
// running domain the live one, a copy.
type demoTree struct{ persist, live *sexpr.Node }

// seedDemo adds the demo guests as they stand at now.
func (h *Host) seedDemo(now time.Time) {
	d0 := h.doms[0]
	d0.started, d0.cpuBase, d0.runSince = now.Add(-dom0Up), dom0CPU, now
	static := h.format >= 4 && !demoTreesTaken.Swap(true)
	for i, dd := range demoDomains {
		var cfg, live *sexpr.Node
		if static {
			cfg, live = demoTrees[i].persist, demoTrees[i].live
		} else {
			cfg = demoConfig(dd.config, h.format)
			if dd.running {
				live = cfg.Clone()
			}
		}
		d := &dom{uuid: cfg.Get("uuid"), name: cfg.Get("name"), domid: -1}
		if h.format >= 3 {
			d.persist = cfg
		}
		if dd.running {
			d.live = live
			d.domid = h.nextID
			h.nextID++
			d.started, d.cpuBase, d.runSince = now.Add(-dd.up), dd.cpu, now
		} else if h.format < 3 {
			continue
		}
		h.addDom(d)
	}
}

// demoConfig parses a demo config and reshapes it for an older format the
// way the converter sends it (xend-protocol.md §5): below format 4 the
// image has no clock keys and HVM vifs carry (type ioemu); format 1 has
// the cdrom in the image, ioemu: disk names and no VNC options beyond
// (vnc 1).
func demoConfig(text string, format int) *sexpr.Node {
	cfg, err := sexpr.ParseString(text)
	if err != nil {
		panic("demo config: " + err.Error())
	}
	if format >= 4 {
		return cfg
	}
	if img := cfg.Child("image"); img != nil {
		for _, kind := range img.Args() {
			kind.Delete("localtime")
			kind.Delete("rtc_timeoffset")
		}
		if kind := cfg.Lookup("image/linux"); kind != nil && len(kind.Kids) == 1 {
			cfg.Delete("image")
		}
	}
	hvm := cfg.Lookup("image/hvm")
	if hvm == nil {
		return cfg
	}
	var kept []*sexpr.Node
	for _, k := range cfg.Kids {
		if vif := k.Lookup("vif"); k.Head() == "device" && vif != nil {
			vif.Set("type", "ioemu")
		}
		if vbd := k.Lookup("vbd"); format == 1 && k.Head() == "device" && vbd != nil {
			switch vbd.Get("dev") {
			case "hdc:cdrom":
				insertAfter(hvm, "boot", sexpr.KV("cdrom", strings.TrimPrefix(vbd.Get("uname"), "file:")))
				continue
			case "hda:disk":
				vbd.Set("dev", "ioemu:hda")
			}
		}
		kept = append(kept, k)
	}
	cfg.Kids = kept
	if format == 1 {
		for _, key := range []string{"vncunused", "vncdisplay", "vnclisten", "vncpasswd", "keymap"} {
			hvm.Delete(key)
		}
	}
	return cfg
}

func insertAfter(list *sexpr.Node, key string, n *sexpr.Node) {
	for i, k := range list.Kids {
		if k.Head() == key {
			list.Kids = slices.Insert(list.Kids, i+1, n)
			return
		}
	}
	list.Append(n)
}
