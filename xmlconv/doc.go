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

import "fmt"

// xend config formats (xend's node/xend_config_format), by xend release.
const (
	xend302 = 1
	xend303 = 2
	xend304 = 3
	xend310 = 4
)

// DefaultVersion is the xend config format of Xen 3.1 and later.
const DefaultVersion = xend310

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
	// Warn hears of each value ToXML could not keep. Reading is lenient
	// (a domain xend holds must always dump): a value the converter does
	// not know, such as a sound card, a NIC model or a serial type, is
	// dropped with a warning naming the field and the domain instead of
	// failing the domain. nil discards the warnings.
	Warn func(msg string)
	// HideSecrets leaves the VNC password out of the XML, as libvirt does
	// without its secure-XML flag (dumpxml without --security-info).
	HideSecrets bool
}

// checkVersion resolves a requested xend config format for either
// direction: 0 means DefaultVersion, anything outside 1..4 is refused.
func checkVersion(v int) (int, error) {
	if v == 0 {
		return DefaultVersion, nil
	}
	if v < xend302 || v > xend310 {
		return 0, fmt.Errorf("unsupported xend config format %d (want 1 to 4)", v)
	}
	return v, nil
}
