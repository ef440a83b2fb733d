package sexpr

import (
	"strings"
	"unicode/utf8"
)

// safe marks the bytes an atom may hold and still be printed bare. It
// leaves out everything xend's reader treats specially ({}()<>[]; # quotes
// and backslash), the backquote, white space, control and non-ASCII bytes
// (TestSafeBytes). It is a literal so that no code fills it at start-up.
var safe = [256]bool{
	'a': true, 'b': true, 'c': true, 'd': true, 'e': true, 'f': true, 'g': true, 'h': true, 'i': true,
	'j': true, 'k': true, 'l': true, 'm': true, 'n': true, 'o': true, 'p': true, 'q': true, 'r': true,
	's': true, 't': true, 'u': true, 'v': true, 'w': true, 'x': true, 'y': true, 'z': true,
	'A': true, 'B': true, 'C': true, 'D': true, 'E': true, 'F': true, 'G': true, 'H': true, 'I': true,
	'J': true, 'K': true, 'L': true, 'M': true, 'N': true, 'O': true, 'P': true, 'Q': true, 'R': true,
	'S': true, 'T': true, 'U': true, 'V': true, 'W': true, 'X': true, 'Y': true, 'Z': true,
	'0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true, '7': true, '8': true, '9': true,
	'-': true, '_': true, '.': true, ':': true, '/': true, '@': true, '+': true, '=': true, ',': true,
	'%': true, '~': true, '!': true, '$': true, '^': true, '&': true, '*': true, '?': true, '|': true,
}

func needsQuote(s string) bool {
	if s == "" {
		return true
	}
	for i := 0; i < len(s); i++ {
		if !safe[s[i]] {
			return true
		}
	}
	return false
}

// Quote renders one atom the way the printer does.
func Quote(s string) string {
	var b strings.Builder
	writeAtom(&b, s)
	return b.String()
}

// writeAtom prints s bare when that is unambiguous and single-quoted
// otherwise. Control bytes and invalid UTF-8 become 3-digit octal escapes,
// never \xHH, which Xen 3.x's reader misreads.
func writeAtom(b *strings.Builder, s string) {
	if !needsQuote(s) {
		b.WriteString(s)
		return
	}
	b.WriteByte('\'')
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '\\':
			b.WriteString(`\\`)
		case '\'':
			b.WriteString(`\'`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if c >= utf8.RuneSelf {
				r, size := utf8.DecodeRuneInString(s[i:])
				if r == utf8.RuneError && size == 1 {
					writeOctal(b, c)
				} else {
					b.WriteString(s[i : i+size])
				}
				i += size
				continue
			}
			if c < 0x20 || c == 0x7f {
				writeOctal(b, c)
			} else {
				b.WriteByte(c)
			}
		}
		i++
	}
	b.WriteByte('\'')
}

func writeOctal(b *strings.Builder, c byte) {
	b.WriteByte('\\')
	b.WriteByte('0' + c>>6)
	b.WriteByte('0' + (c>>3)&7)
	b.WriteByte('0' + c&7)
}

// String prints n compactly on one line, e.g. (vm (name web) (memory 512)).
func (n *Node) String() string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	n.write(&b)
	return b.String()
}

func (n *Node) write(b *strings.Builder) {
	if n.Kids == nil {
		writeAtom(b, n.Value)
		return
	}
	b.WriteByte('(')
	for i, k := range n.Kids {
		if i > 0 {
			b.WriteByte(' ')
		}
		k.write(b)
	}
	b.WriteByte(')')
}

// Pretty prints n over several lines the way `xm list --long` shows a
// domain: the top list has one field per line, and a nested list stays on
// one line when it is short or holds only atoms.
func (n *Node) Pretty() string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	n.pretty(&b, 0)
	b.WriteByte('\n')
	return b.String()
}

// prettyWidth is how long a nested list may be and still stay on one line.
const prettyWidth = 72

func (n *Node) hasListKid() bool {
	for _, k := range n.Kids {
		if k.Kids != nil {
			return true
		}
	}
	return false
}

func (n *Node) pretty(b *strings.Builder, indent int) {
	if n.Kids == nil || !n.hasListKid() || indent > 0 && indent+len(n.String()) <= prettyWidth {
		n.write(b)
		return
	}
	b.WriteByte('(')
	for i, k := range n.Kids {
		if i > 0 {
			if k.Kids != nil {
				b.WriteByte('\n')
				b.WriteString(strings.Repeat(" ", indent+4))
			} else {
				b.WriteByte(' ')
			}
		}
		k.pretty(b, indent+4)
	}
	b.WriteByte(')')
}
