package xmlconv

import (
	"strconv"
	"strings"

	"xvirsh/sexpr"
)

// graphics writes the one <graphics> element. The (device (vfb …)) of xend
// >= 3.0.4 (PV) or 3.0.5 (HVM) wins over the old VNC/SDL keys in the image.
func (c *txConv) graphics() error {
	if c.vfb != nil {
		done, err := c.vfbGraphics()
		if done || err != nil {
			return err
		}
	}
	return c.imageGraphics()
}

// vfbGraphics reports whether the vfb described the graphics. Solaris xVM
// reports vfbs with neither (type), (vnc) nor (sdl), only (vncunused 1) and
// (location …), next to the real settings in the image; modern libvirt
// rejects the whole domain for it ("unknown graphics type 'unknown'"),
// older libvirt read the image. Falling back to the image keeps those
// domains readable.
func (c *txConv) vfbGraphics() (bool, error) {
	v := c.vfb
	typ := v.Get("type")
	if typ == "" {
		// libvirt takes any (vnc …) value, even (vnc 0) next to (sdl 1),
		// as VNC; the switched-on one wins here.
		vnc, sdl := v.Get("vnc"), v.Get("sdl")
		switch {
		case txLenientInt(vnc) != 0:
			typ = "vnc"
		case txLenientInt(sdl) != 0:
			typ = "sdl"
		case vnc != "":
			typ = "vnc"
		case sdl != "":
			typ = "sdl"
		default:
			return false, nil
		}
	}
	switch typ {
	case "vnc":
		c.vncElement(v, txVNCDisplay(v))
	case "sdl":
		c.sdlElement(v)
	default:
		// libvirt fills VNC fields for rdp or spice too, and fails the
		// domain for other words; xend's vfb only implements vnc and sdl,
		// which is all the SEXPR writer takes back.
		c.warn("unknown graphics type '%s' in the vfb, dropped", typ)
	}
	return true, nil
}

// imageGraphics reads the pre-vfb keys (vnc 1)(vncunused …)(vnclisten …)
// and (sdl 1)(display …)(xauthority …) of the image.
func (c *txConv) imageGraphics() error {
	if c.image == nil {
		return nil
	}
	switch {
	case strings.HasPrefix(c.imageGet("vnc"), "1"):
		port := -1
		// libvirt never reads the in-image (vncdisplay N), so an HVM guest
		// created with a fixed port reads back as autoport. It is honoured
		// here when (vncunused 0) says the display is fixed.
		if c.imageGet("vncunused") == "0" {
			port = txVNCDisplay(c.image)
		}
		if port == -1 && c.ver < xend303 && c.domid >= 0 && c.opt.VNCPort <= 0 {
			// xend 3.0.2 always served display <domid>.
			port = 5900 + int(c.domid)
		}
		c.vncElement(c.image, port)
	case strings.HasPrefix(c.imageGet("sdl"), "1"):
		c.sdlElement(c.image)
	}
	return nil
}

// txVNCDisplay reads (vncdisplay N): the display number, -1 when it is
// missing or no port would fit it.
func txVNCDisplay(n *sexpr.Node) int {
	if d, ok := txStrictInt(n.Get("vncdisplay")); ok && d >= 0 && d < 65536-5900 {
		return int(d)
	}
	return -1
}

// vncElement writes a VNC <graphics>. port is the configured port or
// display number, -1 when unknown; Options.VNCPort (the live port) wins.
func (c *txConv) vncElement(n *sexpr.Node, port int) {
	if c.opt.VNCPort > 0 {
		port = c.opt.VNCPort
	}
	if port >= 0 && port < 5900 {
		port += 5900
	}
	if port < -1 || port > 65535 {
		port = -1
	}
	autoport := port == -1 || n.Get("vncunused") == "1"
	g := txElem(c.devs, "graphics", "type", "vnc", "port", strconv.Itoa(port))
	if autoport {
		g.CreateAttr("autoport", "yes")
	} else {
		g.CreateAttr("autoport", "no")
	}
	listen := n.Get("vnclisten")
	txOptAttr(g, "listen", listen)
	txOptAttr(g, "keymap", n.Get("keymap"))
	// libvirt hides the password unless asked for secure XML; xend shows it
	// in the record anyway, and dropping it would lose it on re-create.
	txOptAttr(g, "passwd", n.Get("vncpasswd"))
	if listen != "" {
		txElem(g, "listen", "type", "address", "address", listen)
	}
}

func (c *txConv) sdlElement(n *sexpr.Node) {
	g := txElem(c.devs, "graphics", "type", "sdl")
	txOptAttr(g, "display", n.Get("display"))
	txOptAttr(g, "xauth", n.Get("xauthority"))
}

// inputs writes the HVM (usbdevice mouse|tablet|keyboard) entries; other
// USB devices (disk:…, host:…) have no <input> form. The USB keyboard
// exists in xend >= 3.1 only.
func (c *txConv) inputs() error {
	if !c.hvm {
		return nil
	}
	for _, u := range c.image.Children("usbdevice") {
		if len(u.Kids) < 2 || u.Kids[1].IsList() {
			continue
		}
		switch v := u.Kids[1].Value; v {
		case "mouse", "tablet":
			txElem(c.devs, "input", "type", v, "bus", "usb")
		case "keyboard":
			if c.ver >= xend310 {
				txElem(c.devs, "input", "type", v, "bus", "usb")
			}
		}
	}
	return nil
}

// txSoundModels are the sound cards libvirt knows; both directions take
// the same set, so any card read from xend can be written back.
var txSoundModels = map[string]bool{
	"sb16": true, "es1370": true, "pcspk": true, "ac97": true,
	"ich6": true, "ich7": true, "ich9": true, "usb": true,
}

// sound writes the HVM (soundhw 'sb16,es1370') cards. "all" means sb16 and
// es1370, as in libvirt. Names libvirt does not know are skipped: current
// libvirt fails the whole domain without a message, older libvirt skipped
// them, and qemu-dm may well know cards libvirt does not.
func (c *txConv) sound() error {
	if !c.hvm {
		return nil
	}
	hw := c.imageGet("soundhw")
	if hw == "" {
		return nil
	}
	if hw == "all" {
		hw = "sb16,es1370"
	}
	for _, m := range strings.Split(hw, ",") {
		if txSoundModels[m] {
			txElem(c.devs, "sound", "model", m)
		} else {
			c.warn("sound model '%s' (soundhw '%s') is unknown, dropped", m, c.imageGet("soundhw"))
		}
	}
	return nil
}
