package xmlconv

import (
	"errors"

	"xvirsh/sexpr"
)

// Errors of ToXML that callers may want to tell apart with errors.Is.
var (
	// ErrNotDomain: the input is not a (domain …) or (vm …) S-expression.
	ErrNotDomain = errors.New("not a domain S-expression")
	// ErrIncomplete: a field the XML needs is missing (libvirt's wording).
	ErrIncomplete = errors.New("domain information incomplete")
)

// ToXML converts a domain S-expression to libvirt domain XML, indented by two
// spaces and ending in a newline.
//
// root is either what xend returns for a domain, (domain (domid 3) ...), or
// what a create request sends, (vm ...). libvirt only reads (domain ...) and
// fails on its own (vm ...) output with "missing name"; reading both here
// lets dumpxml -> create -> dumpxml round-trip through one converter.
//
// opt.Version selects the xend config format (1..4, 0 = DefaultVersion);
// see mapping.md §9 for what depends on it. opt.TTY fills the pty console or
// serial, opt.VNCPort the VNC port of a running domain (0 = unknown).
// Reading is lenient: opt.Warn hears of what the model could not keep.
func ToXML(root *sexpr.Node, opt Options) (string, error) {
	d, err := readSexpr(root, opt)
	if err != nil {
		return "", err
	}
	return d.writeXML(opt), nil
}
