// Package xmcfg reads and writes Xen xm domain config files
// (/etc/xen/*.cfg) as libvirt's reader and writer do
// (../shared/spec/xm-config.md §1).
//
// xm itself executes such a file as Python; libvirt, and this package,
// accept only a small literal subset and never evaluate anything. A file is
// a sequence of statements, one per line or separated by ';':
//
//	# a comment
//	name = "guest"            # a string: "…", '…' or """…""" (may span lines)
//	memory = 512              # a decimal integer, optional sign
//	disk = [ "phy:/dev/vg/guest,xvda,w",
//	         "file:/srv/boot.iso,hdc:cdrom,r", ]   # a list, may span lines
//
// Strings take no escapes: a backslash is an ordinary byte, as in libvirt
// (§1.2), so "C:\new" is seven bytes. Expressions, names (True, None,
// other variables), calls, floats, hex, triple-single-quoted strings, r"…"
// prefixes, comments inside lists and backslash continuations are refused
// with a *SyntaxError that says where (SOURCE:LINE:COL) and, after
// libvirt's own message, why. The first assignment to a name is the one the
// lookups see (§1.4); xm would take the last.
//
// The writer prints one "NAME = VALUE" line per entry, in the order of
// Config.Entries, quoting each string with the first delimiter of §1.5 that
// reads back to the same bytes, and refuses a value no delimiter can carry.
//
// Where this package departs from libvirt, on purpose:
//
//   - positions have a column, and a CR alone ends a line as it does for
//     the grammar (libvirt counted LFs only);
//   - input over MaxSize, a NUL byte, an integer beyond 64 bits and lists
//     nested deeper than MaxDepth are refused (libvirt truncated strings at
//     a NUL and let integers wrap);
//   - an empty """""" at the very end of the input is an empty string
//     (libvirt needed seven bytes to see a triple quote; §1.2 allows this);
//   - the writer refuses what would not read back, and quotes a value with
//     a CR like one with an LF (libvirt wrote such files anyway);
//   - Config.Set drops later duplicates of the name it sets, so xm and
//     libvirt read the same value.
package xmcfg
