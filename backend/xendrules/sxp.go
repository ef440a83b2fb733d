package xendrules

import (
	"fmt"
	"strconv"
	"strings"

	"xvirsh/sexpr"
)

// How xend prints S-expressions: sxp.show (xend-protocol.md §4.3).
//
// A list is its items joined by one space in parentheses, on one line. A
// string is printed bare when it is an atom in xend's sense, the empty
// string included (so an empty value prints as nothing: (kernel )), and as
// Python's repr otherwise. Numbers reach the printer as Python ints and
// floats and print bare; in a tree of strings they are atoms anyway.

// IsAtom is sxp.atomp: entirely alphanumeric, or "@", or made only of
// letters, digits and . - _ : / ~ (vacuously true of "").
func IsAtom(s string) bool {
	if s == "@" {
		return true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || !atomChar[c] {
			return false
		}
	}
	return true
}

// atomChar marks the bytes an atom is made of: a table, as the simulator
// asks this of every string of every record it prints (a literal, so that
// nothing is built at start-up).
var atomChar = [128]bool{
	'0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true, '7': true,
	'8': true, '9': true, 'a': true, 'b': true, 'c': true, 'd': true, 'e': true, 'f': true,
	'g': true, 'h': true, 'i': true, 'j': true, 'k': true, 'l': true, 'm': true, 'n': true,
	'o': true, 'p': true, 'q': true, 'r': true, 's': true, 't': true, 'u': true, 'v': true,
	'w': true, 'x': true, 'y': true, 'z': true, 'A': true, 'B': true, 'C': true, 'D': true,
	'E': true, 'F': true, 'G': true, 'H': true, 'I': true, 'J': true, 'K': true, 'L': true,
	'M': true, 'N': true, 'O': true, 'P': true, 'Q': true, 'R': true, 'S': true, 'T': true,
	'U': true, 'V': true, 'W': true, 'X': true, 'Y': true, 'Z': true, '.': true, '-': true,
	'_': true, ':': true, '/': true, '~': true,
}

// Repr is Python 2's repr of a byte string: single quotes, or double ones
// when the text holds a ' but no "; backslash escapes for \, the quote,
// tab, newline and return; \xNN (lower-case) for every other byte below
// space or from DEL up, UTF-8 included.
func Repr(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(q)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < ' ' || c >= 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(q)
	return b.String()
}

// ShowAtom prints one string the way sxp.show does.
func ShowAtom(s string) string {
	if IsAtom(s) {
		return s
	}
	return Repr(s)
}

// Show prints n the way sxp.show does.
func Show(n *sexpr.Node) string {
	var b strings.Builder
	WriteShow(&b, n)
	return b.String()
}

// ShowWriter is what Show prints into: a strings.Builder, or the
// simulator's pooled reply buffers.
type ShowWriter interface {
	WriteString(s string) (int, error)
	WriteByte(c byte) error
}

// WriteShow is Show into b, for replies built record by record.
func WriteShow(b ShowWriter, n *sexpr.Node) {
	if !n.IsList() {
		b.WriteString(ShowAtom(n.Value))
		return
	}
	b.WriteByte('(')
	for i, k := range n.Kids {
		if i > 0 {
			b.WriteByte(' ')
		}
		WriteShow(b, k)
	}
	b.WriteByte(')')
}

// AppendShow is Show appended to b.
func AppendShow(b []byte, n *sexpr.Node) []byte {
	a := appender{b}
	WriteShow(&a, n)
	return a.b
}

type appender struct{ b []byte }

func (a *appender) WriteString(s string) (int, error) { a.b = append(a.b, s...); return len(s), nil }
func (a *appender) WriteByte(c byte) error            { a.b = append(a.b, c); return nil }

// PyFloat prints a float the way Python 2's str() does, as sxp.show prints
// one: 12 significant digits and always a decimal point (§4.3).
func PyFloat(f float64) string {
	s := strconv.FormatFloat(f, 'g', 12, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}
