package sexpr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// MaxDepth bounds list nesting. The reader keeps its own stack, so a
// hostile input cannot exhaust the goroutine stack; the bound keeps the
// printer and the converters, which do recurse, safe as well.
const MaxDepth = 256

// Sentinel errors, wrapped by *SyntaxError, for errors.Is.
var (
	ErrEmpty      = errors.New("empty input")
	ErrUnbalanced = errors.New("unbalanced parentheses")
	ErrUnclosed   = errors.New("unterminated string")
	ErrTooDeep    = errors.New("nesting too deep")
	ErrTrailing   = errors.New("trailing data after the expression")
)

// SyntaxError locates a problem in the input, 1-based.
type SyntaxError struct {
	Line, Col int
	Msg       string
	Err       error
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }
func (e *SyntaxError) Unwrap() error { return e.Err }

// Parse reads exactly one S-expression, with optional white space around
// it. Unlike libvirt's reader, which keeps backslashes in quoted strings and
// silently closes what is left open, it unescapes strings the way xend does
// and reports unbalanced input: a value read back must be the value written.
func Parse(data []byte) (*Node, error) { return ParseString(string(data)) }

// ParseString is Parse on a string; atoms share the input's memory.
func ParseString(src string) (*Node, error) {
	p := parser{src: src, line: 1}
	return p.parse()
}

type parser struct {
	src       string
	pos       int
	line      int
	lineStart int
	slab      []Node
	ptrs      []*Node
	items     []*Node // elements of the open lists, innermost last
}

// kids copies the elements of a list being closed out of the shared
// scratch stack into a slice of exactly their size, carved from a larger
// block: one allocation per many lists instead of one per append.
func (p *parser) kids(from int) []*Node {
	n := len(p.items) - from
	if n == 0 {
		return nil
	}
	if len(p.ptrs) < n {
		size := 256
		if n > size {
			size = n
		}
		p.ptrs = make([]*Node, size)
	}
	out := p.ptrs[:n:n]
	p.ptrs = p.ptrs[n:]
	copy(out, p.items[from:])
	p.items = p.items[:from]
	return out
}

func (p *parser) node() *Node {
	if len(p.slab) == 0 {
		p.slab = make([]Node, 256)
	}
	n := &p.slab[0]
	p.slab = p.slab[1:]
	return n
}

func (p *parser) col(pos int) int { return pos - p.lineStart + 1 }

// position computes the line and column of an earlier offset; only errors
// need it, so the hot path does not track positions per node.
func (p *parser) position(off int) (line, col int) {
	line = 1 + strings.Count(p.src[:off], "\n")
	return line, off - (strings.LastIndexByte(p.src[:off], '\n') + 1) + 1
}

func (p *parser) errAt(line, col int, err error, format string, args ...any) *SyntaxError {
	return &SyntaxError{Line: line, Col: col, Msg: fmt.Sprintf(format, args...), Err: err}
}

// Byte classes, looked up once per byte in the hot loops.
const (
	clsAtom  = 0
	clsSpace = 1
	clsParen = 2
)

var class = func() (t [256]uint8) {
	for _, c := range " \t\n\r\f\v" {
		t[c] = clsSpace
	}
	t['('], t[')'] = clsParen, clsParen
	return
}()

func isSpace(c byte) bool { return class[c] == clsSpace }

func (p *parser) skipSpace() {
	src := p.src
	i := p.pos
	for i < len(src) && class[src[i]] == clsSpace {
		if src[i] == '\n' {
			p.line++
			p.lineStart = i + 1
		}
		i++
	}
	p.pos = i
}

func (p *parser) parse() (*Node, error) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return nil, p.errAt(p.line, p.col(p.pos), ErrEmpty, "empty input: no S-expression")
	}
	var stack []*Node
	var opened []int // where each open list's '(' is, for the error
	var starts []int // where each open list's elements begin in p.items
	var root *Node
	for root == nil {
		p.skipSpace()
		if p.pos >= len(p.src) {
			line, col := p.position(opened[len(opened)-1])
			return nil, p.errAt(line, col, ErrUnbalanced,
				"list opened here is never closed (missing ')')")
		}
		var n *Node
		switch c := p.src[p.pos]; c {
		case '(':
			if len(stack) >= MaxDepth {
				return nil, p.errAt(p.line, p.col(p.pos), ErrTooDeep, "lists nested deeper than %d", MaxDepth)
			}
			p.pos++
			l := p.node()
			l.list = true
			stack = append(stack, l)
			opened = append(opened, p.pos-1)
			starts = append(starts, len(p.items))
			continue
		case ')':
			if len(stack) == 0 {
				return nil, p.errAt(p.line, p.col(p.pos), ErrUnbalanced, "unexpected ')'")
			}
			p.pos++
			n = stack[len(stack)-1]
			n.Kids = p.kids(starts[len(starts)-1])
			stack = stack[:len(stack)-1]
			starts = starts[:len(starts)-1]
			opened = opened[:len(opened)-1]
		case '\'', '"':
			v, err := p.quoted(c)
			if err != nil {
				return nil, err
			}
			n = p.node()
			n.Value = v
		default:
			start := p.pos
			for p.pos < len(p.src) && class[p.src[p.pos]] == clsAtom {
				p.pos++
			}
			n = p.node()
			n.Value = p.src[start:p.pos]
		}
		if len(stack) == 0 {
			root = n
		} else {
			p.items = append(p.items, n)
		}
	}
	p.skipSpace()
	if p.pos < len(p.src) {
		return nil, p.errAt(p.line, p.col(p.pos), ErrTrailing,
			"unexpected %q after the end of the expression", p.src[p.pos])
	}
	return root, nil
}

// quoted reads a '…' or "…" string starting at p.pos, with xend's escapes:
// \\ \' \" \n \t \r \a \b \v \f, octal \NNN and hex \xHH. An unknown escape
// keeps its backslash, so a Windows-style path survives.
func (p *parser) quoted(q byte) (string, error) {
	line, col := p.line, p.col(p.pos)
	p.pos++
	start := p.pos
	// Fast path: no escape, no newline.
	for i := start; i < len(p.src); i++ {
		c := p.src[i]
		if c == q {
			p.pos = i + 1
			return p.src[start:i], nil
		}
		if c == '\\' || c == '\n' {
			break
		}
	}
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == q:
			p.pos++
			return b.String(), nil
		case c == '\n':
			b.WriteByte(c)
			p.pos++
			p.line++
			p.lineStart = p.pos
		case c == '\\' && p.pos+1 < len(p.src):
			p.pos++
			p.escape(&b)
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return "", p.errAt(line, col, ErrUnclosed, "string is never closed (missing %c)", q)
}

func (p *parser) escape(b *strings.Builder) {
	c := p.src[p.pos]
	if r, ok := simpleEscapes[c]; ok {
		b.WriteByte(r)
		p.pos++
		return
	}
	switch {
	case c >= '0' && c <= '7':
		end := p.pos
		for end < len(p.src) && end < p.pos+3 && p.src[end] >= '0' && p.src[end] <= '7' {
			end++
		}
		if v, err := strconv.ParseUint(p.src[p.pos:end], 8, 16); err == nil && v <= 0xff {
			b.WriteByte(byte(v))
			p.pos = end
			return
		}
	case c == 'x' && p.pos+2 < len(p.src):
		if v, err := strconv.ParseUint(p.src[p.pos+1:p.pos+3], 16, 8); err == nil {
			b.WriteByte(byte(v))
			p.pos += 3
			return
		}
	}
	b.WriteByte('\\')
}

var simpleEscapes = map[byte]byte{
	'\\': '\\', '\'': '\'', '"': '"', 'n': '\n', 't': '\t', 'r': '\r',
	'a': '\a', 'b': '\b', 'v': '\v', 'f': '\f',
}
