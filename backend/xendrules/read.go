package xendrules

import (
	"strconv"
	"strings"

	"xvirsh/sexpr"
)

// How xend reads S-expressions: sxp.Parser, as FormFn's sxpr coercion
// uses it on a POSTed config (xend-protocol.md §4.4; Args.py sxpr_file is
// sxp.parse(io)[0]). It is not our reader: its escapes, separators and
// comments differ, and the simulator must accept and refuse exactly what
// xend does.
//
//   - White space is space, \t \n \v \f \r; # starts a comment that runs
//     to the end of the line.
//   - ( opens a list, ) closes it; a ) at top level is "syntax error: )".
//   - '…' and "…" are strings. A backslash escapes: \a \b \t \n \v \f \r
//     \\ \' \", up to three octal digits, and \xHH as Xen 3.x misreads it
//     (a letter digit counts from 0, not 10: \xA1 is \x01; a non-hex
//     character right after \x is swallowed with the escape). An unknown
//     escape keeps the backslash and drops the escaped character.
//   - Any other printable ASCII character starts an atom, separators
//     included; an atom ends at white space, at { } ( ) < > [ ] ; or #.
//     A control or non-ASCII character cannot start a token ("invalid
//     character").
//   - The whole input is read, and the first expression is the value.

// ParseError is sxp.ParseError; its text is what xend puts in
// (xend.err '…').
type ParseError struct {
	Line, Char int // 1-based, for our own messages
	Msg        string
}

func (e *ParseError) Error() string { return e.Msg }

// noValue is Python 2.4's TypeError text for sxp.parse(io)[0] when the
// input holds no expression: parse returns None.
const noValue = "unsubscriptable object"

const separators = "{}()<>[];"

func isSpace(c byte) bool { return strings.IndexByte(" \t\n\v\f\r", c) >= 0 }

// ReadSXP reads s as xend's sxp.Parser does and returns its first
// expression.
func ReadSXP(s string) (*sexpr.Node, error) {
	r := reader{src: s, line: 1}
	var first *sexpr.Node
	for {
		r.skip()
		if r.pos >= len(r.src) {
			break
		}
		n, err := r.value()
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = n
		}
	}
	if first == nil {
		return nil, &ParseError{r.line, r.char(), noValue}
	}
	return first, nil
}

type reader struct {
	src       string
	pos       int
	line      int
	lineStart int
}

func (r *reader) char() int { return r.pos - r.lineStart + 1 }

func (r *reader) fail(msg string) error { return &ParseError{r.line, r.char(), msg} }

func (r *reader) advance() {
	if r.src[r.pos] == '\n' {
		r.line++
		r.lineStart = r.pos + 1
	}
	r.pos++
}

// skip passes white space and comments.
func (r *reader) skip() {
	for r.pos < len(r.src) {
		c := r.src[r.pos]
		switch {
		case isSpace(c):
			r.advance()
		case c == '#':
			for r.pos < len(r.src) && r.src[r.pos] != '\n' {
				r.advance()
			}
		default:
			return
		}
	}
}

// value reads one token or list at r.pos, which is not white space.
func (r *reader) value() (*sexpr.Node, error) {
	c := r.src[r.pos]
	switch {
	case c == '(':
		return r.list()
	case c == ')':
		return nil, r.fail("syntax error: )")
	case c == '\'' || c == '"':
		return r.str(c)
	case c > ' ' && c < 0x7f:
		return r.atom(), nil
	}
	return nil, r.fail("invalid character: code " + strconv.Itoa(int(c)))
}

func (r *reader) list() (*sexpr.Node, error) {
	r.advance()
	l := sexpr.List()
	for {
		r.skip()
		if r.pos >= len(r.src) {
			return nil, r.fail("unexpected EOF")
		}
		if r.src[r.pos] == ')' {
			r.advance()
			return l, nil
		}
		n, err := r.value()
		if err != nil {
			return nil, err
		}
		l.Append(n)
	}
}

func (r *reader) atom() *sexpr.Node {
	start := r.pos
	r.advance() // the first character, separator or not
	for r.pos < len(r.src) {
		c := r.src[r.pos]
		if isSpace(c) || c == '#' || strings.IndexByte(separators, c) >= 0 {
			break
		}
		r.advance()
	}
	return sexpr.Atom(r.src[start:r.pos])
}

// escapes maps the byte after a backslash to the byte it stands for, 0
// where it is no one-letter escape. An array literal: a map would be built
// by every start-up.
var escapes = [256]byte{
	'a': '\a', 'b': '\b', 't': '\t', 'n': '\n', 'v': '\v', 'f': '\f', 'r': '\r',
	'\\': '\\', '\'': '\'', '"': '"',
}

func (r *reader) str(delim byte) (*sexpr.Node, error) {
	r.advance()
	var b strings.Builder
	for {
		if r.pos >= len(r.src) {
			return nil, r.fail("unexpected EOF")
		}
		c := r.src[r.pos]
		r.advance()
		switch {
		case c == delim:
			return sexpr.Atom(b.String()), nil
		case c != '\\':
			b.WriteByte(c)
			continue
		}
		if r.pos >= len(r.src) {
			return nil, r.fail("unexpected EOF")
		}
		e := r.src[r.pos]
		r.advance()
		switch {
		case escapes[e] != 0:
			b.WriteByte(escapes[e])
		case e == 'x':
			if err := r.hex(&b); err != nil {
				return nil, err
			}
		case '0' <= e && e <= '7':
			v := int(e - '0')
			for n := 1; n < 3 && r.pos < len(r.src) && '0' <= r.src[r.pos] && r.src[r.pos] <= '7'; n++ {
				v = v*8 + int(r.src[r.pos]-'0')
				r.advance()
			}
			if v > 0xff {
				return nil, r.fail("invalid octal escape: out of range")
			}
			b.WriteByte(byte(v))
		default:
			b.WriteByte('\\') // and e is dropped: xend's quirk
		}
	}
}

// hex reads the digits of a \x escape the way Xen 3.x's state_hex does.
func (r *reader) hex(b *strings.Builder) error {
	v, n := 0, 0
	for n < 2 {
		if r.pos >= len(r.src) {
			return r.fail("unexpected EOF")
		}
		c := r.src[r.pos]
		var d int
		switch {
		case '0' <= c && c <= '9':
			d = int(c - '0')
		case 'A' <= c && c <= 'F':
			d = int(c - 'A')
		case 'a' <= c && c <= 'f':
			d = int(c - 'a')
		default:
			if n == 0 {
				r.advance() // swallowed, and the escape with it
				return nil
			}
			b.WriteByte(byte(v))
			return nil
		}
		r.advance()
		v, n = v*16+d, n+1
	}
	b.WriteByte(byte(v))
	return nil
}
