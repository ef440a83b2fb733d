package xmlconv

import (
	"strconv"
	"strings"

	"xvirsh/sexpr"
)

// theGraphics is the display xend gets: xend has one display per guest,
// and libvirt sent none at all unless the XML had exactly one <graphics>
// (mapping.md §6.2), so two displays give none here either.
func (d *domainDef) theGraphics() *graphicsDef {
	if len(d.graphics) != 1 {
		return nil
	}
	return &d.graphics[0]
}

// vncDisplay is the VNC display number for a fixed port. Ports below 5900
// are taken as display numbers already, the way the reverse direction
// reads them (libvirt wrote a negative display here).
func vncDisplay(port int) string {
	if port >= 5900 {
		port -= 5900
	}
	return strconv.Itoa(max(port, 0))
}

// vncFields are the VNC keys shared by the image and the vfb forms.
func vncFields(g graphicsDef) []*sexpr.Node {
	var out []*sexpr.Node
	if g.autoport {
		out = append(out, sexpr.KV("vncunused", "1"))
	} else {
		out = append(out, sexpr.KV("vncunused", "0"), sexpr.KV("vncdisplay", vncDisplay(g.port)))
	}
	return append(out, graphicsRows(g)...)
}

// graphicsRows are g's plain fields, as (key 'value') for those set.
func graphicsRows(g graphicsDef) []*sexpr.Node {
	var out []*sexpr.Node
	for _, f := range graphicsFields {
		if v := *f.str(&g); f.graphics == g.typ && v != "" {
			out = append(out, sexpr.KV(f.sexpr, v))
		}
	}
	return out
}

// imageGraphics is the old in-image form: (vnc 1)... or (sdl 1)...
func (b *vmBuilder) imageGraphics(g graphicsDef) []*sexpr.Node {
	if g.typ == "sdl" {
		return append([]*sexpr.Node{sexpr.KV("sdl", "1")}, graphicsRows(g)...)
	}
	out := []*sexpr.Node{sexpr.KV("vnc", "1")}
	// xend 3.0.2 took no VNC settings beyond the switch (the rows' since).
	if graphicsFields[0].image.in(b.v) {
		out = append(out, vncFields(g)...)
	}
	return out
}

// vfb is the (vfb ...) device of a PV guest on xend >= 3.0.4.
func vfb(g graphicsDef) *sexpr.Node {
	n := sexpr.List(sexpr.Atom("vfb"), sexpr.KV("type", g.typ))
	if g.typ == "sdl" {
		return n.Append(graphicsRows(g)...)
	}
	return n.Append(vncFields(g)...)
}

// usbDevices gives (usbdevice mouse|tablet|keyboard) for each USB input of
// an HVM guest; PS/2 and xen inputs are implicit in xend.
func (b *vmBuilder) usbDevices() ([]*sexpr.Node, error) {
	var out []*sexpr.Node
	for _, in := range b.d.inputs {
		if in.bus != "usb" {
			continue
		}
		switch in.typ {
		case "mouse", "tablet":
		case "keyboard":
			if !gateUSBKeyboard.in(b.v) {
				return nil, unsupportedf("USB keyboard needs xend config format 4 (have %d)", b.v)
			}
		default:
			return nil, unsupportedf("unexpected input type '%s'", in.typ)
		}
		out = append(out, sexpr.KV("usbdevice", in.typ))
	}
	return out, nil
}

// soundhw joins the models for qemu-dm's soundhw option. Repeats are
// dropped: libvirt's XML parser of the converter's era skipped a second
// <sound> of the same model before the converter saw it (the fv-sound
// corpus case; mapping.md §7.6 describes only the converter).
func soundhw(models []string) string {
	var uniq []string
	seen := map[string]bool{}
	for _, m := range models {
		if !seen[m] {
			seen[m] = true
			uniq = append(uniq, m)
		}
	}
	return strings.Join(uniq, ",")
}
