// Package xmlconv converts between xend's S-expressions and libvirt's
// domain XML, in both directions, for each xend config format:
//
//	1  Xen <= 3.0.2    2  Xen 3.0.3    3  Xen 3.0.4    4  Xen 3.1 and later
//
// ToXML reads a (domain …) record, as xend returns it, or a (vm …) config,
// as a create request sends it; ToSexpr writes the (vm …) config. The
// format travels as a value, never a global: a host reports its own in
// /xend/node/.
package xmlconv

// DefaultVersion is the xend config format of Xen 3.1 and later.
const DefaultVersion = 4

// Options carry what the SEXPR alone does not say about a running domain.
type Options struct {
	// Version is the xend config format, 1..4; 0 means DefaultVersion.
	Version int
	// TTY is the pty of the domain's console (PV) or first serial port
	// (HVM), which xend keeps in xenstore, not in the record; "" when
	// unknown.
	TTY string
	// VNCPort is the live VNC port; 0 when unknown.
	VNCPort int
}

func (o Options) version() int {
	if o.Version == 0 {
		return DefaultVersion
	}
	return o.Version
}
