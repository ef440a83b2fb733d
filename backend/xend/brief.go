package xend

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"xvirsh/backend"
	"xvirsh/sexpr"
)

// A listing needs a dozen fields of each record (backend.Brief), and a
// detail listing of 10,000 domains is megabytes, nine tenths of it
// devices. So its reply is read as it arrives from the socket and only
// those fields are kept: no buffer of the whole reply, no tree of it.
// The grammar is sexpr's (the same tokens, quotes and escapes: a quoted
// value with escapes is read by sexpr.ParseString itself); the bounds are
// the client's (MaxReply bytes, no more nodes than one per
// minBytesPerNode bytes read, the request's deadline).

var _ backend.BriefXend = (*Client)(nil)

// BriefDomains is Domains with each record cut to a brief one; names
// (xend 3.0.x's answer) come as atoms. An element of the listing that is
// not a (domain …) record, or a record too deeply nested to be read, is
// left out with a warning (backend.Warn), as Domains does: one broken
// element must not cost the listing of the others. What does not read as
// an S-expression at all fails the whole reply: where one element ends is
// then unknown.
func (c *Client) BriefDomains(ctx context.Context) ([]*sexpr.Node, error) {
	const path, want = "/xend/domain", "a list of (domain …) records or names"
	var items []*sexpr.Node
	// The warnings wait for the whole reply: as for the whole parse, a
	// reply that does not read, or is too dense for xend's, is that
	// before any element of it is the wrong shape.
	var warns []string
	bb := backend.NewBriefBuilder(0)
	err := c.getStream(ctx, path, "detail=1", func(s *briefScanner) error {
		if err := s.open(path+"?detail=1", want); err != nil {
			return err
		}
		for {
			tok, val, err := s.next()
			switch {
			case err != nil:
				return err
			case tok == tokClose:
				return s.end()
			case tok == tokAtom:
				items = append(items, sexpr.Atom(val))
			default:
				rec, head, err := s.record(bb)
				var deep *deepError
				switch {
				case errors.As(err, &deep):
					warns = append(warns, leftOut(rec, deep.Error()))
				case err != nil:
					return err
				case rec == nil:
					warns = append(warns, notRecord("("+head+" …)"))
				default:
					items = append(items, rec)
				}
			}
			if err := s.dense(); err != nil {
				return err
			}
		}
	})
	if err != nil {
		return nil, err
	}
	for _, w := range warns {
		backend.Warn(ctx, w)
	}
	return items, nil
}

// notRecord is the warning for an element of the detail listing that is
// not a (domain …) record: got is what it is.
func notRecord(got string) string {
	if len(got) > 80 {
		got = strings.ToValidUTF8(got[:80], "") + "…"
	}
	return fmt.Sprintf("xend's listing GET /xend/domain?detail=1 holds %s where a (domain …) record belongs; it is left out of the list",
		backend.Printable(got))
}

// leftOut is the warning for a record of the detail listing that cannot
// be used, for why: rec is what was read of it, for its name.
func leftOut(rec *sexpr.Node, why string) string {
	if name := rec.Get("name"); name != "" {
		return fmt.Sprintf("domain '%s' is left out of the list: its record in xend's listing %s", name, why)
	}
	return "a domain record in xend's listing is left out of the list: it " + why
}

// readBrief reads the reply to GET p, one (domain …) record, into *rec,
// built by bb.
func readBrief(p string, rec **sexpr.Node, bb *backend.BriefBuilder) func(*briefScanner) error {
	return func(s *briefScanner) error {
		if err := s.open(p, "a (domain …) record"); err != nil {
			return err
		}
		r, head, err := s.record(bb)
		var deep *deepError
		if errors.As(err, &deep) {
			return deep.syntax()
		}
		if err != nil {
			return err
		}
		if r == nil {
			return s.shape(p, "a (domain …) record", "("+head+" …)")
		}
		*rec = r
		return s.end()
	}
}

// getStream is get with the reply's body handed to read as it arrives,
// when xend answers with success; anything else (an error status, an
// HTML page) is read whole and reported as get reports it.
func (c *Client) getStream(ctx context.Context, path, query string, read func(*briefScanner) error) error {
	e := &Error{Method: "GET", Path: path}
	_, err := c.doStream(ctx, e, query, read)
	return err
}

// tokens of the reply
const (
	tokOpen = iota
	tokClose
	tokAtom
)

// briefScanner reads one reply's S-expression token by token.
type briefScanner struct {
	r      *bufio.Reader
	cr     *countReader
	nodes  int    // nodes read so far, kept or not, for the density bound
	size   int64  // the reply's Content-Length, -1 when not given
	xerr   bool   // the top-level list is (xend.err …)
	errMsg string // its text
	buf    []byte
	deep   *deepError // a list nested past sexpr.MaxDepth was skipped
}

// deepError is a record holding lists nested deeper than sexpr.MaxDepth:
// the limit the whole parse applies, met inside one record, which it
// fails alone. It is a syntax error to the reader of a single record.
type deepError struct{ at int64 }

func (e *deepError) Error() string {
	return fmt.Sprintf("has lists nested deeper than %d", sexpr.MaxDepth)
}

func (e *deepError) syntax() *syntaxError {
	return &syntaxError{fmt.Sprintf("at byte %d: lists nested deeper than %d", e.at, sexpr.MaxDepth)}
}

// countReader counts what was read and notices xend.err anywhere in it,
// which makes a 2xx reply a failure (xend-protocol.md §1.5).
type countReader struct {
	r    io.Reader
	n    int64
	tail [7]byte // the end of the last read, for a word cut in two
	ntl  int
	seen bool
}

var xendErrWord = []byte("xend.err")

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 && !c.seen {
		var join [14]byte
		k := copy(join[:], c.tail[:c.ntl])
		k += copy(join[k:], p[:min(n, 7)])
		c.seen = bytes.Contains(join[:k], xendErrWord) || bytes.Contains(p[:n], xendErrWord)
		c.ntl = copy(c.tail[:], p[max(0, n-7):n])
	}
	c.n += int64(n)
	return n, err
}

// syntaxError is a reply that is not one well-formed S-expression.
type syntaxError struct{ msg string }

func (e *syntaxError) Error() string { return e.msg }

func (s *briefScanner) fail(format string, args ...any) error {
	return &syntaxError{fmt.Sprintf("at byte %d: ", s.cr.n-int64(s.r.Buffered())) + fmt.Sprintf(format, args...)}
}

// next reads one token: '(' , ')' or an atom (its value unquoted).
func (s *briefScanner) next() (tok int, val string, err error) {
	tok, raw, err := s.nextRaw()
	return tok, string(raw), err
}

// nextRaw is next with an atom's value as bytes, valid until the next
// read.
func (s *briefScanner) nextRaw() (tok int, val []byte, err error) {
	c, err := s.skipSpace()
	if err != nil {
		return 0, nil, err
	}
	if c != ')' {
		s.nodes++
	}
	switch c {
	case '(':
		s.r.ReadByte()
		return tokOpen, nil, nil
	case ')':
		s.r.ReadByte()
		return tokClose, nil, nil
	case '\'', '"':
		raw, err := s.quoted(c)
		if err != nil {
			return 0, nil, err
		}
		if bytes.IndexByte(raw, '\\') < 0 {
			return tokAtom, raw[1 : len(raw)-1], nil
		}
		n, perr := sexpr.ParseString(string(raw))
		if perr != nil {
			return 0, nil, s.fail("%v", perr)
		}
		return tokAtom, []byte(n.Value), nil
	}
	raw, err := s.atom()
	return tokAtom, raw, err
}

// skipSpace peeks at the next byte that is not white space; the end of
// the input there is a reply cut short. It looks through what the reader
// holds rather than a byte at a time: a reply is mostly separators and
// atoms, and a call per byte was most of the client's time in a listing.
func (s *briefScanner) skipSpace() (byte, error) {
	for {
		b, _ := s.r.Peek(s.r.Buffered())
		for i, c := range b {
			if !isSpace(c) {
				s.r.Discard(i)
				return c, nil
			}
		}
		s.r.Discard(len(b))
		if _, err := s.r.Peek(1); err != nil {
			if err == io.EOF {
				return 0, s.fail("the reply ends inside the expression (missing ')')")
			}
			return 0, err
		}
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// atom reads the bytes up to white space or a parenthesis. The slice is
// valid until the next read: it is the reader's own buffer when the atom
// lies whole in it, as nearly every one does.
func (s *briefScanner) atom() ([]byte, error) {
	b, _ := s.r.Peek(s.r.Buffered())
	for i, c := range b {
		if isSpace(c) || c == '(' || c == ')' {
			s.r.Discard(i)
			return b[:i], nil
		}
	}
	s.buf = append(s.buf[:0], b...)
	s.r.Discard(len(b))
	for {
		c, err := s.r.ReadByte()
		if err == io.EOF {
			return s.buf, nil
		}
		if err != nil {
			return nil, err
		}
		if isSpace(c) || c == '(' || c == ')' {
			s.r.UnreadByte()
			return s.buf, nil
		}
		s.buf = append(s.buf, c)
	}
}

// quoted reads a quoted string, quotes included, backslashes kept.
func (s *briefScanner) quoted(q byte) ([]byte, error) {
	s.buf = s.buf[:0]
	c, _ := s.r.ReadByte()
	s.buf = append(s.buf, c)
	for {
		c, err := s.inQuoted(q)
		if err != nil {
			return nil, err
		}
		s.buf = append(s.buf, c)
		switch c {
		case q:
			return s.buf, nil
		case '\\':
			c, err := s.inQuoted(q)
			if err != nil {
				return nil, err
			}
			s.buf = append(s.buf, c)
		}
	}
}

// inQuoted reads one byte inside a string quoted with q, where the end of
// the input means the string is never closed.
func (s *briefScanner) inQuoted(q byte) (byte, error) {
	c, err := s.r.ReadByte()
	if err == io.EOF {
		return 0, s.fail("string is never closed (missing %c)", q)
	}
	return c, err
}

// skipList reads up to and including the ')' that closes a list whose
// '(' has been read, keeping nothing. It goes through what the reader
// holds in one loop, carrying its place in the grammar (inside a quoted
// string, after a backslash there, inside an atom) across refills; it
// counts the nodes it passes as next would, for the density bound, and
// fails where next would.
func (s *briefScanner) skipList() error {
	depth := 1
	var q byte // the quote of the string it is in, 0 outside one
	esc, inAtom := false, false
	for {
		b, _ := s.r.Peek(s.r.Buffered())
		if len(b) == 0 {
			if _, err := s.r.Peek(1); err != nil {
				if err != io.EOF {
					return err
				}
				if q != 0 {
					return s.fail("string is never closed (missing %c)", q)
				}
				return s.fail("the reply ends inside the expression (missing ')')")
			}
			continue
		}
		for i, c := range b {
			if q != 0 {
				switch {
				case esc:
					esc = false
				case c == '\\':
					esc = true
				case c == q:
					q = 0
				}
				continue
			}
			// Past the nesting limit nothing is counted: the whole
			// parse stops at the limit, and the record holding it is
			// refused, so none of it is ever built.
			counted := depth <= sexpr.MaxDepth
			switch {
			case c == '(':
				if depth >= sexpr.MaxDepth && s.deep == nil {
					// Going on costs nothing here (a count, not a
					// stack); the record holding it is refused at its
					// end, as it could not be parsed whole.
					s.deep = &deepError{at: s.cr.n - int64(s.r.Buffered()) + int64(i)}
				}
				if depth < sexpr.MaxDepth {
					s.nodes++
				}
				depth++
				inAtom = false
			case c == ')':
				depth--
				if depth == 0 {
					s.r.Discard(i + 1)
					return nil
				}
				inAtom = false
			case isSpace(c):
				inAtom = false
			case inAtom:
			case c == '\'' || c == '"':
				if counted {
					s.nodes++
				}
				q = c
			default:
				if counted {
					s.nodes++
				}
				inAtom = true
			}
		}
		s.r.Discard(len(b))
	}
}

// open reads the '(' the reply starts with; (xend.err '…') is read
// whole, for its message.
func (s *briefScanner) open(where, want string) error {
	tok, val, err := s.next()
	if err != nil {
		return err
	}
	if tok != tokOpen {
		return s.shape(where, want, val)
	}
	c, err := s.skipSpace()
	if err != nil || c == '(' || c == ')' {
		return err
	}
	// Peek at the head without taking it: xend.err is the only one that
	// changes how the rest is read.
	head, _ := s.r.Peek(min(s.r.Buffered(), len(xendErrWord)+1))
	if bytes.HasPrefix(head, xendErrWord) && (len(head) == len(xendErrWord) || isSpace(head[len(xendErrWord)]) || head[len(xendErrWord)] == ')') {
		s.xerr = true
		return s.errorBody()
	}
	return nil
}

// errorBody reads the rest of (xend.err …) into errMsg, as
// xendErrMessage does for a reply read whole.
func (s *briefScanner) errorBody() error {
	var parts []string
	for first := true; ; first = false {
		tok, val, err := s.next()
		switch {
		case err != nil:
			return err
		case tok == tokClose:
			s.errMsg = oneLine(joinWords(parts))
			return errXendErr
		case tok == tokOpen:
			if err := s.skipList(); err != nil {
				return err
			}
			parts = append(parts, "(…)")
		case !first:
			parts = append(parts, val)
		}
	}
}

var errXendErr = errors.New("xend.err")

func joinWords(ws []string) string {
	var b bytes.Buffer
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

// record reads a list whose '(' has been read: a (domain …) record comes
// back brief, built by bb; any other list is read to its end and comes
// back nil, with its head for the message.
//
// A (domain …) record holding lists nested deeper than sexpr.MaxDepth is
// read to its end all the same and comes back with a *deepError: what
// was read of it (its name), and the error that fails it alone. Any
// other list nested so deep is what it is to the whole parse, an error
// of the reply: nothing in it says what it was meant to be.
func (s *briefScanner) record(bb *backend.BriefBuilder) (rec *sexpr.Node, head string, err error) {
	s.deep = nil
	rec, head, err = s.record1(bb)
	switch {
	case err != nil || s.deep == nil:
	case rec != nil:
		err = s.deep
	default:
		err = s.deep.syntax()
	}
	s.deep = nil
	return rec, head, err
}

func (s *briefScanner) record1(bb *backend.BriefBuilder) (rec *sexpr.Node, head string, err error) {
	tok, val, err := s.nextRaw()
	switch {
	case err != nil:
		return nil, "", err
	case tok == tokClose:
		return nil, "", nil
	case tok == tokOpen:
		return nil, "", s.skipList2()
	case string(val) != "domain":
		return nil, string(val), s.skipList()
	}
	kids := bb.Start()
	hvm := false
	for {
		tok, _, err := s.nextRaw()
		switch {
		case err != nil:
			return nil, "", err
		case tok == tokClose:
			return bb.End(kids, hvm), "domain", nil
		case tok == tokAtom:
			continue
		}
		// A field: (key value …), (key (…) …) or a list without a key.
		key, more, err := s.head()
		if err != nil {
			return nil, "", err
		}
		if !more {
			continue
		}
		if key == "image" {
			isHVM, err := s.image()
			if err != nil {
				return nil, "", err
			}
			hvm = hvm || isHVM
			continue
		}
		if !backend.IsBriefKey(key) || hasItem(kids[1:], key) {
			if err := s.skipList(); err != nil {
				return nil, "", err
			}
			continue
		}
		tok, val, err := s.nextRaw()
		switch {
		case err != nil:
			return nil, "", err
		case tok == tokClose:
			kids = append(kids, bb.Bare(key))
			continue
		case tok == tokOpen:
			kids = append(kids, bb.Bare(key))
			if err := s.skipList(); err != nil {
				return nil, "", err
			}
		default:
			kids = append(kids, bb.KVBytes(key, val))
		}
		if err := s.skipList(); err != nil {
			return nil, "", err
		}
	}
}

// hasItem: one of items is (key …). Only the first of a key counts, as
// for a scalar lookup.
func hasItem(items []*sexpr.Node, key string) bool {
	for _, it := range items {
		if it.Kids[0].Value == key {
			return true
		}
	}
	return false
}

// head reads the head of a list whose '(' has been read. A list whose
// first item is itself a list is skipped whole and has no head; so is an
// empty one, and more is false for both: nothing of it is left to read.
func (s *briefScanner) head() (head string, more bool, err error) {
	c, err := s.skipSpace()
	if err != nil {
		return "", false, err
	}
	if c != ')' {
		s.nodes++
	}
	switch c {
	case ')':
		s.r.ReadByte()
		return "", false, nil
	case '(':
		s.r.ReadByte()
		return "", false, s.skipList2()
	case '\'', '"':
		s.nodes--
		_, val, err := s.next()
		return val, err == nil, err
	}
	raw, err := s.atom()
	if err != nil {
		return "", false, err
	}
	// Nothing is copied out of the buffer: the heads looked for are
	// constants.
	switch {
	case string(raw) == "image":
		return "image", true, nil
	case string(raw) == "hvm":
		return "hvm", true, nil
	}
	k, _ := backend.BriefKey(raw)
	return k, true, nil
}

// skipList2 skips a list whose '(' was read inside a list whose '(' was
// read: both close.
func (s *briefScanner) skipList2() error {
	if err := s.skipList(); err != nil {
		return err
	}
	return s.skipList()
}

// image reads the rest of (image …) and says whether it holds an
// (hvm …) with content, as summary's HasContent("image/hvm") does: the
// first (hvm …) decides.
func (s *briefScanner) image() (bool, error) {
	decided, hvm := false, false
	for {
		tok, _, err := s.next()
		switch {
		case err != nil:
			return false, err
		case tok == tokClose:
			return hvm, nil
		case tok == tokAtom:
			continue
		}
		kind, more, err := s.head()
		if err != nil {
			return false, err
		}
		if !more {
			continue
		}
		if !decided && kind == "hvm" {
			decided = true
			c, err := s.skipSpace()
			if err != nil {
				return false, err
			}
			hvm = c != ')'
		}
		if err := s.skipList(); err != nil {
			return false, err
		}
	}
}

// end checks that nothing but white space follows the expression.
func (s *briefScanner) end() error {
	for {
		c, err := s.r.ReadByte()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if !isSpace(c) {
			return s.fail("unexpected %q after the end of the expression", c)
		}
	}
}

// dense refuses a reply holding more nodes than xend's records ever do
// for its size (see minBytesPerNode), the rule the whole parse applies.
func (s *briefScanner) dense() error {
	size := s.cr.n
	if s.size >= 0 {
		// The whole parse measures the reply against its full length.
		size = s.size
	}
	if int64(s.nodes) > size/minBytesPerNode+nodeSlack {
		return sexpr.ErrTooMany
	}
	return nil
}

// shapeErr is a reply that parses but is not what the path answers.
type shapeErr struct{ where, want, got string }

func (e *shapeErr) Error() string { return e.got }

func (s *briefScanner) shape(where, want, got string) error {
	if len(got) > 80 {
		got = got[:80] + "…"
	}
	return &shapeErr{where, want, got}
}
