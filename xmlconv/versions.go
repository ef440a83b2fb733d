package xmlconv

// gate is a behaviour that depends on the xend config format: it applies
// to formats from..to, both included. The zero gate applies to all.
type gate struct{ from, to int }

func (g gate) in(v int) bool { return g == gate{} || v >= g.from && v <= g.to }

// The version matrix of mapping.md §9, one row per behaviour; the readers
// and writers ask these, never a version number.
var (
	// HVM (cdrom 'iso') in the image, read and written, for hdc only;
	// no cdrom vbd and no cdrom hot-plug.
	gateImageCdrom = gate{xend302, xend302}
	// HVM disk targets written as 'ioemu:hda' rather than 'hda:disk'.
	gateIoemuTarget = gate{xend302, xend302}
	// In-image VNC of a running domain served on 5900 + domid.
	gateDomidVNCPort = gate{xend302, xend302}
	// In-image VNC settings beyond (vnc 1): vncunused, vncdisplay,
	// vnclisten, vncpasswd, keymap.
	gateImageVNC = gate{xend303, xend310}
	// libvirt of the era filled capability defaults (PAE) into any HVM
	// XML without <features> (mapping.md §12); before, only when the
	// firmware boots the guest (sexpr_write.go, features).
	gateCapDefaults = gate{xend303, xend310}
	// PV graphics as (device (vkbd))(device (vfb …)), and a PV
	// (device_model …) sent (PVFB_NEWCONF).
	gatePVFB = gate{xend304, xend310}
	// HVM vifs get (type ioemu) (NET_TYPE_IOEMU).
	gateVifIoemu = gate{xend302, xend304}
	// HVM clock 'variable' with (rtc_timeoffset), and (localtime) in the
	// image as well as at top level; a 'reset' adjustment is refused.
	gateClockVariable = gate{xend310, xend310}
	// (usbdevice keyboard).
	gateUSBKeyboard = gate{xend310, xend310}
	// With a bootloader the image keeps kernel, ramdisk and root (what
	// pygrub extracted): an extension of ours, for xend >= 3.1.
	gateBootloaderKernel = gate{xend310, xend310}
)
