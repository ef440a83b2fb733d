// Package xmlconv converts between xend's S-expressions and libvirt's
// domain XML, in both directions, for each xend config format:
//
//	1  Xen <= 3.0.2    2  Xen 3.0.3    3  Xen 3.0.4    4  Xen 3.1 and later
//
// ToXML reads a (domain …) record, as xend returns it, or a (vm …) config,
// as a create request sends it; ToSexpr writes the (vm …) config. The
// format travels as a value, never a global: a host reports its own in
// /xend/node/.
//
// # Design
//
// Both directions go through one model of a domain, domainDef (model.go),
// with a codec per format that reads it and writes it:
//
//	           xml_read*.go (etree)        sexpr_write*.go (sexpr)
//	XML  ──────────────────────▶  model  ──────────────────────▶  (vm …)
//	XML  ◀──────────────────────  model  ◀──────────────────────  (domain …)
//	           xml_write.go                sexpr_read.go
//
// The xm config files of /etc/xen (xmcfg reads and writes their literal
// Python subset) have the third codec, xm_read.go and xm_write.go
// (XMToXML, ToXM; ../shared/spec/xm-config.md). It uses the same rows and
// gates and the helpers libvirt shares between its SEXPR and xm code: the
// character device grammar, the vif rate, soundhw, the clock and feature
// rules of the SEXPR writer. Where xm-config.md's Target departs from
// libvirt on purpose (errors for entries libvirt skipped, a random MAC for
// a vif without one, vif-bridge named for a bridged vif, a portless vfb
// written without vncdisplay), the code says so.
//
// A plain field is one row in fields.go: its XML element or attribute,
// its SEXPR key, its closed set of words if any, and the xend config
// formats (and guest types) that carry it, as gates from versions.go,
// where every behaviour of mapping.md §9 is one named row: no codec
// compares version numbers itself. All four codec halves use the
// rows, and TestFieldTable round-trips a value through every row, format
// and guest type, so a field one side forgets fails a test, not a user.
// The polymorphic parts are methods of the codecs: the disk uname
// (file:, phy:, tap:FMT:), the character device grammar (chardev.go),
// graphics in the image or as a vfb, the format 1 cdrom and floppies in
// the image. DeviceToSexpr and DeviceToXML run the same readers and
// writers for one device, as attach and detach need.
//
// Reading is lenient, writing is strict. What xend holds must always dump:
// a value the model cannot hold is dropped with a warning that names the
// field and the domain (Options.Warn), never an error for the whole
// domain. What goes to xend must be what xend accepts: ToSexpr refuses the
// same value with a clear error. Where the XML is silent, libvirt's
// defaults apply (mapping.md §12: PAE for an HVM guest with no
// <features>). The XML writer escapes CR, LF and TAB in attributes and CR
// in text as character references, so every value survives a round trip;
// secrets stay out of the XML only when asked (Options.HideSecrets).
//
// Decisions mapping.md §15 leaves open: of libvirt's XML-side
// normalisation (§12) the converter applies what changes what xend does or
// what a round trip needs: PAE by default, <boot dev='hd'/> for an HVM
// guest without one, the HVM console mirroring the first serial port,
// 'ioemu:' and ':disk' cut from targets, tap 'aio' read as raw, the default
// lifecycle actions. It leaves out the implicit PS/2 and xen inputs and the
// memory balloon (never part of the SEXPR), and a random UUID or MAC for
// XML without one (xend makes them). A record without a uuid is refused
// as "missing uuid", not libvirt's "missing name". An empty (bootloader)
// stays an empty <bootloader/> and, unlike in libvirt, keeps the kernel.
//
// Tests: testdata/cases/NAME/ holds one golden case per directory (see
// cases_test.go, -update rewrites them), testdata/audit2 the outputs
// written by hand from mapping.md (compared as facts, never updated), and
// the fuzz targets check both directions.
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
