package xmcfg

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"unicode/utf8"
)

// MaxSize is the largest input read, 10 MiB, libvirt's own bound
// (MAX_CONFIG_FILE_SIZE, xm-config.md §1.2). A guest config is a few
// hundred bytes; the bound keeps a wrong file (a disk image, /dev/zero) from
// being read whole.
const MaxSize = 10 << 20

// MaxDepth bounds list nesting. The reader descends recursively, so the
// bound keeps a hostile "[[[[…" from growing the stack; no xm key nests
// lists at all.
const MaxDepth = 64

// MemorySource is the Source of text that comes from no file, libvirt's
// name for it (§1.2).
const MemorySource = "memory conf"

// Entry is one assignment "Name = Value".
type Entry struct {
	Name  string
	Value Value
	Pos   Pos // of the name
}

// Config is a file's assignments in file order, duplicates included;
// comments and blank lines are not kept.
type Config struct {
	Source  string // for messages: the file path, or MemorySource
	Entries []Entry
}

// Lookup returns the value of the first entry named name, by exact,
// case-sensitive match. libvirt uses the first of duplicate names, xm the
// last; the converter follows libvirt (§1.3, §1.4).
func (c *Config) Lookup(name string) (Value, bool) {
	for i := range c.Entries {
		if c.Entries[i].Name == name {
			return c.Entries[i].Value, true
		}
	}
	return Value{}, false
}

// ReadFile reads and parses the file at path; messages name the path.
func ReadFile(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}

// Read parses what r yields, reading no more than MaxSize+1 bytes of it.
// source names the input in messages; "" means MemorySource.
func Read(r io.Reader, source string) (*Config, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) { // it names the file already
			return nil, err
		}
		if source == "" {
			source = MemorySource
		}
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	return Parse(data, source)
}

// Parse parses src; source names it in messages ("" means MemorySource).
// Strings in the result share no memory with src.
func Parse(src []byte, source string) (*Config, error) {
	if len(src) > MaxSize { // refuse before copying it all
		src = src[:MaxSize+1]
	}
	return ParseString(string(src), source)
}

// ParseString is Parse on a string; values share the string's memory.
func ParseString(src, source string) (*Config, error) {
	if source == "" {
		source = MemorySource
	}
	if len(src) > MaxSize {
		return nil, &SyntaxError{Source: source, Pos: posOf(src, MaxSize), Err: ErrTooLarge,
			Detail: fmt.Sprintf("more than %d bytes (10 MiB), the most libvirt reads", MaxSize)}
	}
	// libvirt copies strings with strndup, so a NUL would cut a value
	// short unseen; no config file has one for a good reason.
	if i := strings.IndexByte(src, 0); i >= 0 {
		return nil, &SyntaxError{Source: source, Pos: posOf(src, i), Err: ErrNUL,
			Detail: "not a text file?"}
	}
	p := parser{src: src, source: source, line: 1}
	entries, err := p.file()
	if err != nil {
		return nil, err
	}
	return &Config{Source: source, Entries: entries}, nil
}

// posOf computes the position of offset off from scratch, for errors found
// before or outside the scan.
func posOf(src string, off int) Pos {
	p := parser{src: src, line: 1}
	for p.off < off {
		c := src[p.off]
		if c == '\r' && p.off+1 == off && off < len(src) && src[off] == '\n' {
			break // off is the LF of a CR LF, on the CR's line
		}
		if c == '\n' || c == '\r' {
			p.newline()
			continue
		}
		p.off++
	}
	return Pos{Offset: off, Line: p.line, Col: off - p.lineStart + 1}
}

// parser is a recursive-descent reader of libvirt's grammar (§1.2) over
// one string. Lines are counted as the scan passes them, which happens
// only between statements, inside lists and in """ strings.
type parser struct {
	src       string
	source    string
	off       int // next byte
	line      int // 1-based line of off
	lineStart int // offset of the first byte of that line
}

func (p *parser) pos() Pos {
	return Pos{Offset: p.off, Line: p.line, Col: p.off - p.lineStart + 1}
}

func (p *parser) errAt(at Pos, err error, detail string, args ...any) *SyntaxError {
	if len(args) > 0 {
		detail = fmt.Sprintf(detail, args...)
	}
	return &SyntaxError{Source: p.source, Pos: at, Err: err, Detail: detail}
}

func (p *parser) more() bool { return p.off < len(p.src) }

// at reports whether the next byte is c.
func (p *parser) at(c byte) bool { return p.off < len(p.src) && p.src[p.off] == c }

// newline passes the line end at p.off: LF, CR, or CR LF as one.
func (p *parser) newline() {
	c := p.src[p.off]
	p.off++
	if c == '\r' && p.at('\n') {
		p.off++
	}
	p.line++
	p.lineStart = p.off
}

func (p *parser) skipBlanks() {
	for p.off < len(p.src) && (p.src[p.off] == ' ' || p.src[p.off] == '\t') {
		p.off++
	}
}

func (p *parser) skipBlanksAndEOL() {
	for p.off < len(p.src) {
		switch p.src[p.off] {
		case ' ', '\t':
			p.off++
		case '\n', '\r':
			p.newline()
		default:
			return
		}
	}
}

func (p *parser) skipComment() {
	for p.off < len(p.src) && p.src[p.off] != '\n' && p.src[p.off] != '\r' {
		p.off++
	}
}

// file := { statement separator }. Like libvirt's, it reads a statement
// whenever input is left, so input made only of white space is "expecting a
// name" while empty input is zero entries (§1.2, whitespace quirk).
func (p *parser) file() ([]Entry, error) {
	// Every entry has an '=', so their count bounds the entries, and one
	// allocation replaces the half dozen of growing the slice, which were
	// most of what a small file cost. The cap keeps a file of '='s from
	// reserving gigabytes.
	entries := make([]Entry, 0, min(strings.Count(p.src, "="), 512))
	for p.more() {
		e, ok, err := p.statement()
		if err != nil {
			return nil, err
		}
		if ok {
			entries = append(entries, e)
		}
		if err := p.separator(); err != nil {
			return nil, err
		}
	}
	return entries, nil
}

// statement reads a comment (ok false) or NAME = VALUE [comment].
func (p *parser) statement() (e Entry, ok bool, err error) {
	p.skipBlanksAndEOL()
	if p.at('#') {
		p.skipComment()
		return e, false, nil
	}
	e.Pos = p.pos()
	if e.Name, err = p.name(); err != nil {
		return e, false, err
	}
	p.skipBlanks()
	if !p.at('=') {
		return e, false, p.errAt(p.pos(), ErrAssign, "found %s after the name %q%s",
			p.found(), e.Name, p.assignHint())
	}
	p.off++
	p.skipBlanks()
	if e.Value, err = p.value(0); err != nil {
		return e, false, err
	}
	p.skipBlanks()
	if p.at('#') {
		p.skipComment()
	}
	return e, true, nil
}

// separator := end | EOL {blank|EOL} | ";" {blank|EOL}, after blanks.
func (p *parser) separator() error {
	p.skipBlanks()
	if !p.more() {
		return nil
	}
	switch p.src[p.off] {
	case '\n', '\r':
		p.skipBlanksAndEOL()
	case ';':
		p.off++
		p.skipBlanksAndEOL()
	default:
		return p.errAt(p.pos(), ErrSeparator, "found %s after the value%s", p.found(), p.junkHint())
	}
	return nil
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// name := ALPHA { ALPHA | DIGIT | "_" }, ASCII only.
func (p *parser) name() (string, error) {
	start := p.off
	if !p.more() || !isAlpha(p.src[p.off]) {
		hint := ""
		switch {
		case p.at('_') || p.more() && isDigit(p.src[p.off]):
			hint = " (a name starts with an ASCII letter)"
		case strings.HasPrefix(p.src[p.off:], "\xef\xbb\xbf"):
			hint = " (a UTF-8 byte order mark: save the file without one)"
		}
		return "", p.errAt(p.pos(), ErrName, "found %s%s", p.found(), hint)
	}
	for p.off < len(p.src) {
		c := p.src[p.off]
		if !isAlpha(c) && !isDigit(c) && c != '_' {
			break
		}
		p.off++
	}
	return p.src[start:p.off], nil
}

// value := string | integer | list, after blanks.
func (p *parser) value(depth int) (Value, error) {
	p.skipBlanks()
	if !p.more() {
		return Value{}, p.errAt(p.pos(), ErrValue, "found end of input")
	}
	switch c := p.src[p.off]; {
	case c == '"' || c == '\'':
		return p.str()
	case c == '[':
		return p.list(depth)
	case isDigit(c) || c == '-' || c == '+':
		return p.integer()
	}
	return Value{}, p.errAt(p.pos(), ErrValue, "%s", p.notAValue())
}

// str reads '…', "…" or """…""". Nothing is unescaped (§1.2): a backslash
// is a byte like any other, so it cannot protect a quote.
func (p *parser) str() (Value, error) {
	start := p.pos()
	if strings.HasPrefix(p.src[p.off:], `"""`) {
		// libvirt takes this branch only when 7 bytes remain, so that an
		// empty """""" at the very end of the input reads as "" plus junk;
		// xm-config.md §1.2 lets us read it as the empty string instead.
		body := p.off + 3
		n := strings.Index(p.src[body:], `"""`)
		if n < 0 {
			return Value{}, p.errAt(start, ErrString, `the """ string opened here is never closed`)
		}
		end := body + n
		for p.off = body; p.off < end; {
			if c := p.src[p.off]; c == '\n' || c == '\r' {
				p.newline()
				continue
			}
			p.off++
		}
		p.off = end + 3
		return Value{Kind: KindString, Str: p.src[body:end], Pos: start}, nil
	}
	q := p.src[p.off]
	body := p.off + 1
	i := body
	for i < len(p.src) && p.src[i] != q && p.src[i] != '\n' && p.src[i] != '\r' {
		i++
	}
	if i == len(p.src) || p.src[i] != q {
		what := "the end of the line"
		if i == len(p.src) {
			what = "the end of input"
		}
		return Value{}, p.errAt(start, ErrString,
			"no closing %c before %s (only \"\"\" strings may span lines)", q, what)
	}
	p.off = i + 1
	return Value{Kind: KindString, Str: p.src[body:i], Pos: start}, nil
}

// integer := [+|-] DIGIT {DIGIT}, decimal. libvirt lets an overflow wrap;
// we refuse it, as a wrapped memory size is worse than none.
func (p *parser) integer() (Value, error) {
	start := p.pos()
	v := Value{Kind: KindInt, Pos: start}
	switch p.src[p.off] {
	case '-':
		v.Neg = true
		p.off++
	case '+':
		p.off++
	}
	if !p.more() || !isDigit(p.src[p.off]) {
		return Value{}, p.errAt(start, ErrNumber, "found %s after the sign", p.found())
	}
	overflow := false
	for p.off < len(p.src) && isDigit(p.src[p.off]) {
		d := uint64(p.src[p.off] - '0')
		if v.Num > (1<<64-1-d)/10 {
			overflow = true
		}
		v.Num = v.Num*10 + d
		p.off++
	}
	if overflow || v.Neg && v.Num > 1<<63 {
		return Value{}, p.errAt(start, ErrIntRange, "%s does not fit in 64 bits", p.src[start.Offset:p.off])
	}
	return v, nil
}

// list := "[" { ws } [ value { ws } { "," { ws } value { ws } } [ "," { ws } ] ] "]",
// in libvirt's order of checks, so each bad list gets libvirt's message.
func (p *parser) list(depth int) (Value, error) {
	start := p.pos()
	if depth >= MaxDepth {
		return Value{}, p.errAt(start, ErrTooDeep, "more than %d lists inside each other", MaxDepth)
	}
	p.off++
	v := Value{Kind: KindList, Pos: start}
	p.skipBlanksAndEOL()
	if p.more() && !p.at(']') {
		item, err := p.value(depth + 1)
		if err != nil {
			return Value{}, err
		}
		v.Items = append(v.Items, item)
		p.skipBlanksAndEOL()
	}
	for p.more() && !p.at(']') {
		if !p.at(',') {
			return Value{}, p.errAt(p.pos(), ErrListSep, "found %s where a ',' or ']' should be%s",
				p.found(), p.listHint())
		}
		p.off++
		p.skipBlanksAndEOL()
		if p.at(']') {
			break
		}
		item, err := p.value(depth + 1)
		if err != nil {
			return Value{}, err
		}
		v.Items = append(v.Items, item)
		p.skipBlanksAndEOL()
	}
	if !p.at(']') {
		return Value{}, p.errAt(start, ErrListClose, "the list opened here reaches the end of input")
	}
	p.off++
	return v, nil
}

// found describes the input at p.off for a message.
func (p *parser) found() string {
	if !p.more() {
		return "end of input"
	}
	c := p.src[p.off]
	switch {
	case c == '\n' || c == '\r':
		return "end of line"
	case c < utf8.RuneSelf:
		return fmt.Sprintf("%q", rune(c))
	}
	r, size := utf8.DecodeRuneInString(p.src[p.off:])
	if r == utf8.RuneError && size <= 1 {
		return fmt.Sprintf("byte %#x", c)
	}
	return fmt.Sprintf("%q", r)
}

// word returns the identifier starting at p.off, if any.
func (p *parser) word() string {
	i := p.off
	for i < len(p.src) && (isAlpha(p.src[i]) || isDigit(p.src[i]) || p.src[i] == '_') {
		i++
	}
	return p.src[p.off:i]
}

const notEvaluated = "; an xm config is read, never run: only string, integer and list literals are accepted"

// notAValue says what starts at p.off, and why it is not a value.
func (p *parser) notAValue() string {
	c := p.src[p.off]
	w := p.word()
	after := p.src[p.off+len(w):]
	switch {
	case w == "True" || w == "False" || w == "None":
		return fmt.Sprintf("found %s, which libvirt refuses (xm would ignore it)%s", w, notEvaluated)
	case w != "" && !isDigit(c) && (strings.HasPrefix(after, `"`) || strings.HasPrefix(after, "'")):
		return fmt.Sprintf("found %s%c…: string prefixes such as r, u and b are not accepted", w, after[0])
	case w != "" && !isDigit(c) && strings.HasPrefix(strings.TrimLeft(after, " \t"), "("):
		return fmt.Sprintf("found a call of %s(…)%s", w, notEvaluated)
	case w != "" && !isDigit(c):
		return fmt.Sprintf("found the name %s%s", w, notEvaluated)
	}
	hint := notEvaluated
	switch c {
	case '.':
		hint = " (floats are not accepted)"
	case '(':
		hint = " (tuples and parenthesised expressions are not accepted)"
	case '{':
		hint = " (dicts are not accepted)"
	case '\\':
		hint = " (a backslash does not continue a line; only a list may span lines)"
	case '#':
		hint = " (comments are not accepted inside a list)"
	case '\n', '\r':
		hint = " (the value must be on the line of its '=')"
	}
	return "found " + p.found() + hint
}

// junkHint says why the text at p.off cannot follow a value.
func (p *parser) junkHint() string {
	c := p.src[p.off]
	prev := byte(0)
	if p.off > 0 {
		prev = p.src[p.off-1]
	}
	switch {
	case c == '\'' && strings.HasSuffix(p.src[:p.off], "''"):
		return ` ('''…''' strings are not accepted; use """…""")`
	case c == '"' || c == '\'':
		return " (adjacent strings are not joined; one value per name)"
	case isDigit(prev) && (isAlpha(c) || c == '.' || c == '_'):
		return " (only decimal integers are accepted: no hex, octal, float or long literal)"
	case strings.IndexByte("+-*/%&|^<>=!~@(.[", c) >= 0:
		return " (an expression)" + notEvaluated
	case isAlpha(c) || c == '_':
		return " (two statements on one line need a ';' between them)"
	}
	return ""
}

func (p *parser) assignHint() string {
	switch {
	case p.at('[') || p.at('.'):
		return " (only plain names can be assigned)"
	case p.more() && strings.IndexByte("+-*/%&|^<>!", p.src[p.off]) >= 0:
		return " (only plain '=' assignments are accepted)"
	}
	return ""
}

func (p *parser) listHint() string {
	if p.at('#') {
		return " (comments are not accepted inside a list)"
	}
	return ""
}
