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
	ErrTooMany    = errors.New("more nodes than allowed")
)

// SyntaxError locates a problem in the input, 1-based, like
// text/scanner's Position: Filename is set when the input came from a file
// (ParseFile).
type SyntaxError struct {
	Filename  string
	Line, Col int
	Msg       string
	Err       error
}

func (e *SyntaxError) Error() string {
	if e.Filename != "" {
		return fmt.Sprintf("%s:%d:%d: %s", e.Filename, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
}
func (e *SyntaxError) Unwrap() error { return e.Err }

// Parse reads exactly one S-expression, with optional white space around
// it. Unlike libvirt's reader, which keeps backslashes in quoted strings and
// silently closes what is left open, it unescapes strings the way xend does
// and reports unbalanced input: a value read back must be the value written.
func Parse(data []byte) (*Node, error) { return ParseString(string(data)) }

// ParseFile is Parse on the contents of a file: a SyntaxError names it.
func ParseFile(filename string, data []byte) (*Node, error) {
	n, err := Parse(data)
	var se *SyntaxError
	if errors.As(err, &se) {
		se.Filename = filename
	}
	return n, err
}

// ParseString is Parse on a string; atoms share the input's memory, and
// bare atoms of the same text may share one node: to change a parsed tree,
// replace nodes (Set, Delete, a new Atom) rather than assigning a Value.
//
// It reads twice: a first pass checks the syntax and counts the nodes and
// each list's length, so the second can put the whole tree in one block of
// nodes and one of child pointers. Allocation, not scanning, is what a
// tree reader spends its time on.
func ParseString(src string) (*Node, error) { return ParseLimit(src, -1) }

// ParseLimit is ParseString refusing, before it builds anything, an input
// of more than maxNodes nodes (no limit when negative). A tree costs some
// fifty bytes a node however few bytes of input made each one, so a reader
// of untrusted input bounds its memory with this, not with the input size.
func ParseLimit(src string, maxNodes int) (*Node, error) {
	// Every list opens with '(': an upper bound that sizes the list
	// lengths once instead of growing them by copying.
	p := parser{src: src, lens: make([]int32, 0, strings.Count(src, "("))}
	nodes, err := p.scan()
	if err != nil {
		return nil, err
	}
	if maxNodes >= 0 && nodes > maxNodes {
		return nil, &SyntaxError{Line: 1, Col: 1, Msg: fmt.Sprintf("%d nodes, more than the %d allowed", nodes, maxNodes), Err: ErrTooMany}
	}
	return p.build(nodes), nil
}

type parser struct {
	src  string
	pos  int
	lens []int32 // each list's length, in the order the lists open
}

// errAt reports a problem at byte offset off. Only errors need a line and
// column, so the scanning loops do not count lines.
func (p *parser) errAt(off int, err error, format string, args ...any) *SyntaxError {
	line := 1 + strings.Count(p.src[:off], "\n")
	col := off - (strings.LastIndexByte(p.src[:off], '\n') + 1) + 1
	return &SyntaxError{Line: line, Col: col, Msg: fmt.Sprintf(format, args...), Err: err}
}

// Byte classes, looked up once per byte in the hot loops.
const (
	clsAtom  = 0
	clsSpace = 1
	clsParen = 2
)

// class is a literal rather than a table filled by code, which every
// command would run at start-up, parsing or not.
var class = [256]uint8{
	' ': clsSpace, '\t': clsSpace, '\n': clsSpace, '\r': clsSpace, '\f': clsSpace, '\v': clsSpace,
	'(': clsParen, ')': clsParen,
}

// scan checks the syntax of the one expression in p.src, records every
// list's length in p.lens and returns the number of nodes. The position
// lives in a local, not in p, so that it stays in a register.
func (p *parser) scan() (int, error) {
	src := p.src
	pos := 0
	for pos < len(src) && class[src[pos]] == clsSpace {
		pos++
	}
	if pos >= len(src) {
		return 0, p.errAt(pos, ErrEmpty, "empty input: no S-expression")
	}
	// open holds, for each open list, its index in p.lens and the offset
	// of its '(' for the error when it is never closed.
	var open []struct{ list, at int }
	cur := -1 // index in p.lens of the innermost open list
	nodes := 0
	for {
		for pos < len(src) && class[src[pos]] == clsSpace {
			pos++
		}
		if pos >= len(src) {
			return 0, p.errAt(open[len(open)-1].at, ErrUnbalanced,
				"list opened here is never closed (missing ')')")
		}
		switch c := src[pos]; c {
		case '(':
			if len(open) >= MaxDepth {
				return 0, p.errAt(pos, ErrTooDeep, "lists nested deeper than %d", MaxDepth)
			}
			if cur >= 0 {
				p.lens[cur]++
			}
			nodes++
			cur = len(p.lens)
			open = append(open, struct{ list, at int }{cur, pos})
			p.lens = append(p.lens, 0)
			pos++
			continue
		case ')':
			if cur < 0 {
				return 0, p.errAt(pos, ErrUnbalanced, "unexpected ')'")
			}
			pos++
			open = open[:len(open)-1]
			cur = -1
			if len(open) > 0 {
				cur = open[len(open)-1].list
			}
		case '\'', '"':
			end, ok := skipQuoted(src, pos)
			if !ok {
				return 0, p.errAt(pos, ErrUnclosed, "string is never closed (missing %c)", c)
			}
			pos = end
			nodes++
			if cur >= 0 {
				p.lens[cur]++
			}
		default:
			for pos < len(src) && class[src[pos]] == clsAtom {
				pos++
			}
			nodes++
			if cur >= 0 {
				p.lens[cur]++
			}
		}
		if cur < 0 {
			break
		}
	}
	for pos < len(src) && class[src[pos]] == clsSpace {
		pos++
	}
	if pos < len(src) {
		return 0, p.errAt(pos, ErrTrailing,
			"unexpected %q after the end of the expression", src[pos])
	}
	return nodes, nil
}

// skipQuoted returns the offset just past the quoted string at pos.
func skipQuoted(src string, pos int) (int, bool) {
	q := src[pos]
	for i := pos + 1; i < len(src); i++ {
		switch src[i] {
		case q:
			return i + 1, true
		case '\\':
			i++
		}
	}
	return 0, false
}

// build makes the tree of an input scan has accepted, so it meets no
// error; the node count and list lengths come from scan. Each list's kids
// are a run of one shared pointer block, handed out in the order the lists
// open, so an open list is just the index of its next free slot.
//
// Bare atoms are shared: a record repeats the same keys and small values
// ((dev …), (mode w), (backend 0)) over and over, and one node for each
// spelling is most of what the reader saves in memory. Nodes come from
// slabs, so the atoms not made cost nothing.
func (p *parser) build(count int) *Node {
	var ptrs []*Node
	if count > 1 {
		ptrs = make([]*Node, count-1)
	}
	a := alloc{left: count}
	src := p.src
	pos := 0
	var next []int // for each open list: the ptrs slot its next kid goes in
	handed := 0    // ptrs slots given to the lists opened so far
	lists := 0
	var first *Node
	for {
		for class[src[pos]] == clsSpace {
			pos++
		}
		var n *Node
		switch c := src[pos]; c {
		case '(':
			pos++
			n = a.node()
			k := int(p.lens[lists])
			lists++
			n.Kids = noKids
			if k > 0 {
				n.Kids = ptrs[handed : handed+k : handed+k]
			}
			if len(next) > 0 {
				ptrs[next[len(next)-1]] = n
				next[len(next)-1]++
			}
			next = append(next, handed)
			handed += k
		case '\'', '"':
			n = a.node()
			p.pos = pos
			n.Value = p.quoted(c)
			pos = p.pos
		default:
			start := pos
			for pos < len(src) && class[src[pos]] == clsAtom {
				pos++
			}
			n = a.atom(src[start:pos])
		}
		if first == nil {
			first = n
		}
		if n.Kids == nil {
			if len(next) == 0 {
				return n // the whole input is one atom
			}
			ptrs[next[len(next)-1]] = n
			next[len(next)-1]++
		}
		// Close the lists that end here.
		for {
			for class[src[pos]] == clsSpace {
				pos++
			}
			if src[pos] != ')' {
				break
			}
			pos++
			next = next[:len(next)-1]
			if len(next) == 0 {
				return first
			}
		}
	}
}

// alloc hands out the nodes of one parse from slabs, at most left in all,
// and shares bare atoms through a small direct-mapped cache.
type alloc struct {
	slab  []Node
	left  int // nodes the rest of the input may still need
	cache [256]*Node
}

const slabSize = 1024

func (a *alloc) node() *Node {
	if len(a.slab) == 0 {
		a.slab = make([]Node, min(a.left, slabSize))
	}
	n := &a.slab[0]
	a.slab = a.slab[1:]
	a.left--
	return n
}

// atom returns the node of a bare atom, shared with an earlier atom of the
// same text when the cache still holds one. Only short atoms are shared:
// long ones (paths, UUIDs) rarely repeat.
func (a *alloc) atom(v string) *Node {
	if len(v) > 16 {
		n := a.node()
		n.Value = v
		return n
	}
	h := (uint(len(v)) * 31) ^ uint(v[0])*7 ^ uint(v[len(v)-1])*131
	if len(v) > 2 {
		h ^= uint(v[len(v)/2]) * 17
	}
	slot := &a.cache[h&255]
	if c := *slot; c != nil && c.Value == v {
		a.left--
		return c
	}
	n := a.node()
	n.Value = v
	*slot = n
	return n
}

// quoted reads a '…' or "…" string starting at p.pos, with xend's escapes:
// \\ \' \" \n \t \r \a \b \v \f, octal \NNN and hex \xHH. An unknown escape
// keeps its backslash, so a Windows-style path survives.
func (p *parser) quoted(q byte) string {
	p.pos++
	start := p.pos
	// Fast path: no escape, so the value is a slice of the input.
	for i := start; i < len(p.src); i++ {
		c := p.src[i]
		if c == q {
			p.pos = i + 1
			return p.src[start:i]
		}
		if c == '\\' {
			break
		}
	}
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == q:
			p.pos++
			return b.String()
		case c == '\\' && p.pos+1 < len(p.src):
			p.pos++
			p.escape(&b)
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return b.String() // unreachable: scan has seen the closing quote
}

func (p *parser) escape(b *strings.Builder) {
	c := p.src[p.pos]
	if r, ok := simpleEscape(c); ok {
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

// simpleEscape is the byte a one-letter escape \c stands for. A switch,
// where a map would be built at every start-up for the few commands that
// read an escaped string.
func simpleEscape(c byte) (byte, bool) {
	switch c {
	case '\\', '\'', '"':
		return c, true
	case 'n':
		return '\n', true
	case 't':
		return '\t', true
	case 'r':
		return '\r', true
	case 'a':
		return '\a', true
	case 'b':
		return '\b', true
	case 'v':
		return '\v', true
	case 'f':
		return '\f', true
	}
	return 0, false
}
