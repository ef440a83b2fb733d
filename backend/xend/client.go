// Package xend is a client of a real xend's HTTP interface: S-expressions
// over HTTP/1.1, on xend's unix socket or its TCP port (spec
// xend-protocol.md §1-3). It speaks the way libvirt did, which is what xend
// was written for: one connection per request, the Host header
// localhost:8000, form-encoded POST bodies and no Accept or User-Agent
// header (with both present and no application/sxp in Accept, xend answers
// with HTML pages for browsers).
//
// Every request is bounded twice: by a deadline (the Client's timeout) and
// by the size of the reply it is willing to read. A reply cut short is an
// error, never half a result.
package xend

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
	"unsafe"

	"xvirsh/backend"
	"xvirsh/backend/internal/hugeheap"
	"xvirsh/backend/xendhttp"
	"xvirsh/sexpr"
)

// DefaultSocket is where xend listens on a unix socket unless its config
// says otherwise.
const DefaultSocket = "/var/lib/xend/xend-socket"

// DefaultMaxReply bounds what one reply may hold. A detail listing of
// 10,000 domains is about 15 MB; anything far beyond that is not xend.
// libvirt itself stopped at 256 KiB (xend-protocol.md §1.4).
const DefaultMaxReply = 32 << 20

// minBytesPerNode is how dense xend's replies can be: its tightest record
// field, (vcpus 1), is three nodes in ten bytes with the separator, and
// real records average six bytes a node. A parsed node costs some fifty
// bytes however few made it, so a reply denser than this, which is not
// xend's, is refused before it is built: what a reply costs stays within
// about twenty times its size. nodeSlack keeps tiny replies (a list of
// one-letter names) clear of the rule.
const (
	minBytesPerNode = 3
	nodeSlack       = 1024
)

// hostHeader is what libvirt always sends, whatever the transport: xend
// only uses it to build Location URLs, which clients ignore.
const hostHeader = "localhost:8000"

// Client talks to one xend. It is safe for concurrent use.
type Client struct {
	network string
	address string
	timeout time.Duration
	// MaxReply is the largest reply body read; larger replies are errors.
	MaxReply int64

	// Every request has a connection of its own, as libvirt's did,
	// except a listing's record fetches: those are pipelined over
	// connections kept open (xend keeps one when asked,
	// xend-protocol.md §1.4; pipeline.go), since at thousands of
	// domains a dial per record was most of the time.
	wire       *wire
	parseLimit func(string, int) (*sexpr.Node, error) // sexpr.ParseLimit; a test swaps in a slow one
}

var _ backend.Xend = (*Client)(nil)

// New returns a client of the xend listening on network ("unix" or "tcp")
// at address (a socket path, or HOST:PORT). It does not connect: the first
// request does, so that a dead daemon is reported by the command that
// needed it. timeout bounds every request from dial to the last byte of the
// reply; zero or less means one minute.
func New(network, address string, timeout time.Duration) (*Client, error) {
	switch network {
	case "unix", "tcp":
	default:
		return nil, fmt.Errorf("xend: unknown network %q (want unix or tcp)", network)
	}
	if address == "" {
		return nil, fmt.Errorf("xend: empty %s address", network)
	}
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	return &Client{
		network:    network,
		address:    address,
		timeout:    timeout,
		MaxReply:   DefaultMaxReply,
		wire:       &wire{network: network, address: address},
		parseLimit: sexpr.ParseLimit,
	}, nil
}

// getConns is how many of a listing's connections stay open: a listing
// uses pipeConns, and the rest is room for listings at once (a Client is
// safe for concurrent use). getIdle is how long one stays unused, well
// inside xend's own patience with an idle connection.
const (
	getConns = 8
	getIdle  = 2 * time.Second
)

// Close releases idle resources; the Client makes no further requests.
func (c *Client) Close() error {
	c.wire.close()
	return nil
}

// addr names the daemon in messages, e.g. "unix:/var/lib/xend/xend-socket".
func (c *Client) addr() string {
	if c.network == "unix" {
		return "unix:" + c.address
	}
	return c.address
}

// reply is a successful exchange: 200-202 and no error in the body.
type reply struct {
	status int
	body   []byte
	tree   *sexpr.Node // the parsed body, when asked for
}

// get fetches path (with its query) and returns the parsed S-expression.
func (c *Client) get(ctx context.Context, path, query string) (*sexpr.Node, error) {
	e := &Error{Method: "GET", Path: path}
	r, err := c.do(ctx, e, query, nil, true)
	if err != nil {
		return nil, err
	}
	return r.tree, nil
}

// post sends op with form to path. The reply body, when there is one, is
// returned unparsed: most ops answer with nothing.
func (c *Client) post(ctx context.Context, path, op string, form url.Values) (*reply, error) {
	e := &Error{Method: "POST", Path: path, Op: op}
	return c.do(ctx, e, "", encodeForm(op, form), false)
}

// do makes one exchange. Everything it does, dial to parse, happens within
// the request's deadline, and nothing the server says is trusted: a
// redirect is refused, not followed; a reply is read only up to MaxReply,
// and refused unread when its Content-Length says more; it is parsed only
// when no denser than xend's own, so its cost stays a small multiple of its
// size.
func (c *Client) do(ctx context.Context, e *Error, query string, body []byte, parse bool) (*reply, error) {
	return c.exchange(ctx, e, query, body, parse, nil)
}

// doStream is do for a GET whose successful reply is handed to read as it
// arrives, rather than read whole and parsed into a tree.
func (c *Client) doStream(ctx context.Context, e *Error, query string, read func(*briefScanner) error) (*reply, error) {
	return c.exchange(ctx, e, query, nil, false, read)
}

func (c *Client) exchange(ctx context.Context, e *Error, query string, body []byte, parse bool, read func(*briefScanner) error) (*reply, error) {
	e.start = time.Now()
	reqCtx, cancel := context.WithTimeoutCause(ctx, c.timeout, errRequestTimeout)
	defer cancel()

	target := e.Path
	if query != "" {
		target += "?" + query
	}
	if err := checkTarget(target); err != nil {
		e.Msg, e.Err = "bad request: "+err.Error(), err
		return nil, e
	}
	resp, err := c.wire.roundTrip(reqCtx, &wireReq{method: e.Method, target: target, body: body})
	if err != nil {
		return nil, c.transportError(e, ctx, reqCtx, err, false)
	}
	defer resp.Close()
	return c.answer(ctx, reqCtx, e, resp.Response, len(body), parse, read)
}

// answer is what exchange makes of a reply whose head has been read:
// every rule of do, from the status to the parse. sent is the size of
// the request's body, for the message of a 413.
func (c *Client) answer(ctx, reqCtx context.Context, e *Error, resp *xendhttp.Response, sent int, parse bool, read func(*briefScanner) error) (*reply, error) {
	e.Status = resp.StatusCode

	if e.Status >= 300 && e.Status < 400 {
		// xend never redirects. Following one would send the request
		// elsewhere, and a POST turned into a GET would read as success.
		e.Msg = fmt.Sprintf("xend at %s answered %s with a redirect to %q; a redirect is not followed",
			c.addr(), backend.Printable(resp.Status()), backend.Printable(resp.Header.Get("Location")))
		e.Status = 0
		return nil, e
	}
	if n := resp.ContentLength; n > c.MaxReply {
		e.Msg = fmt.Sprintf("xend at %s sent a reply of %d bytes, over the limit of %d; it was not read", c.addr(), n, c.MaxReply)
		e.Status = 0
		return nil, e
	}
	if read != nil && e.Status >= 200 && e.Status <= 202 && !strings.Contains(strings.ToLower(resp.Header.Get("Content-Type")), "html") {
		return nil, c.readStream(ctx, reqCtx, e, resp, read)
	}
	data, err := readBody(resp, c.MaxReply)
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			e.Msg = c.truncated(int64(len(data)), resp.ContentLength)
			e.Status, e.Err = 0, err
			return nil, e
		}
		e.Status = 0
		return nil, c.transportError(e, ctx, reqCtx, err, true)
	}
	if int64(len(data)) > c.MaxReply {
		e.Msg = fmt.Sprintf("xend at %s sent a reply of more than %d bytes; it was not read whole", c.addr(), c.MaxReply)
		e.Status = 0
		return nil, e
	}
	if isHTML(resp.Header.Get("Content-Type"), data) {
		e.Msg = "xend answered with an HTML page instead of an S-expression"
		return nil, e
	}
	r, err := check(e, c.addr(), sent, data, resp.Reason)
	if err != nil || !parse {
		return r, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		e.Msg = "empty reply where an S-expression was expected"
		return nil, e
	}
	if r.tree, err = c.parse(ctx, reqCtx, e, data); err != nil {
		return nil, err
	}
	return r, nil
}

// truncated says a reply ended before its end: got bytes of size, or of
// a chunked reply's unknown size.
func (c *Client) truncated(got, size int64) string {
	if size < 0 {
		return fmt.Sprintf("xend at %s cut its reply short after %d bytes (truncated)", c.addr(), got)
	}
	return fmt.Sprintf("xend at %s cut its reply short: got %d of %d bytes (truncated)", c.addr(), got, size)
}

// checkTarget refuses a path or query that would not stay one
// request-target on the wire: a space or control character would end it
// or start a header.
func checkTarget(t string) error {
	for i := 0; i < len(t); i++ {
		if c := t[i]; c <= ' ' || c == 0x7f {
			return fmt.Errorf("invalid character %q in request path", c)
		}
	}
	return nil
}

// parse reads the reply as one S-expression, within the request's
// deadline: a parse still running then is left to finish on its own (its
// cost is bounded by the size and density limits) and the caller gets the
// timeout.
func (c *Client) parse(parent, reqCtx context.Context, e *Error, data []byte) (*sexpr.Node, error) {
	type result struct {
		n   *sexpr.Node
		err error
	}
	done := make(chan result, 1)
	go func() {
		// The body is never written again, so the tree's atoms may share
		// its bytes instead of a copy.
		src := unsafe.String(unsafe.SliceData(data), len(data))
		n, err := c.parseLimit(src, len(data)/minBytesPerNode+nodeSlack)
		done <- result{n, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-reqCtx.Done():
		e.Status = 0
		return nil, c.transportError(e, parent, reqCtx, reqCtx.Err(), true)
	}
	switch {
	case errors.Is(r.err, sexpr.ErrTooMany):
		e.Msg = fmt.Sprintf("xend at %s sent a reply of %d bytes holding more nodes than xend's records ever do (one per %d bytes); it was not parsed",
			c.addr(), len(data), minBytesPerNode)
		e.Status, e.Err = 0, r.err
		return nil, e
	case r.err != nil:
		e.Msg, e.Err = "malformed S-expression in the reply: "+r.err.Error(), r.err
		return nil, e
	}
	return r.n, nil
}

// heapPerListedByte is about how much heap a listing command builds for
// each byte of the listing's reply: a 10,000-domain list --all through
// xend-sim allocates 12.6 MB, and its one listing reply (the running
// third) is 2 MB, the rest coming in as names and single records.
const heapPerListedByte = 3

// readStream hands a successful reply to read as it arrives, holding it
// to what do holds a reply to: MaxReply bytes, xend's density, an HTML
// page or xend.err anywhere in it reported as such, the deadline.
func (c *Client) readStream(parent, reqCtx context.Context, e *Error, resp *xendhttp.Response, read func(*briefScanner) error) error {
	// The reply's readers and scanner in one allocation: a listing reads
	// thousands of replies.
	st := &struct {
		lr io.LimitedReader
		cr countReader
		s  briefScanner
	}{lr: io.LimitedReader{R: resp.Body, N: c.MaxReply + 1}}
	cr := &st.cr
	cr.r = &st.lr
	// A record is a kilobyte or two, read through a reader of the pool (a
	// listing reads thousands); a listing is megabytes, read through a
	// window of 64 KiB. Nothing read keeps a reference to the buffer:
	// what the scanner keeps, it copies.
	var br *bufio.Reader
	if n := resp.ContentLength; n >= 0 && n < smallReply {
		br = smallReaders.Get().(*bufio.Reader)
		br.Reset(cr)
		defer func() {
			br.Reset(nil)
			smallReaders.Put(br)
		}()
	} else {
		br = bufio.NewReaderSize(cr, 64<<10)
		// A listing this big is the start of a command that builds
		// several times its text in records and rows, all live until
		// they are printed.
		hugeheap.Expect(resp.ContentLength * heapPerListedByte)
	}
	head, _ := br.Peek(64)
	if len(bytes.TrimSpace(head)) == 0 {
		if _, err := br.Peek(1); err != nil && err != io.EOF {
			e.Status = 0
			return c.transportError(e, parent, reqCtx, err, true)
		}
		if len(head) < 64 {
			e.Msg = "empty reply where an S-expression was expected"
			return e
		}
	}
	if isHTML("", head) {
		e.Msg = "xend answered with an HTML page instead of an S-expression"
		return e
	}
	s := &st.s
	*s = briefScanner{r: br, cr: cr, size: resp.ContentLength}
	err := read(s)
	var (
		se *syntaxError
		sh *shapeErr
	)
	switch {
	case cr.n > c.MaxReply:
		e.Msg = fmt.Sprintf("xend at %s sent a reply of more than %d bytes; it was not read whole", c.addr(), c.MaxReply)
		e.Status = 0
	case errors.Is(err, io.ErrUnexpectedEOF):
		e.Msg = c.truncated(cr.n, resp.ContentLength)
		e.Status, e.Err = 0, err
	case errors.Is(err, errXendErr) || err == nil && cr.seen:
		e.Msg = orDefault(s.errMsg, "xend.err in a reply that otherwise succeeded")
		e.Err = xendErrSentinel(e.Msg)
	case err == nil:
		return nil
	case errors.Is(err, sexpr.ErrTooMany):
		size := fmt.Sprintf("%d bytes", resp.ContentLength)
		if resp.ContentLength < 0 {
			size = fmt.Sprintf("%d bytes or more", cr.n)
		}
		e.Msg = fmt.Sprintf("xend at %s sent a reply of %s holding more nodes than xend's records ever do (one per %d bytes); it was not parsed",
			c.addr(), size, minBytesPerNode)
		e.Status, e.Err = 0, err
	case errors.As(err, &se):
		e.Msg, e.Err = "malformed S-expression in the reply: "+se.msg, err
	case errors.As(err, &sh):
		return &Error{Method: "GET", Path: sh.where, Msg: fmt.Sprintf("unexpected reply: want %s, got %s", sh.want, sh.got)}
	default:
		e.Status = 0
		return c.transportError(e, parent, reqCtx, err, true)
	}
	return e
}

// smallReply is the size of a reply read through a pooled reader.
const smallReply = 4 << 10

var smallReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, smallReply) }}

// readBody reads at most limit+1 bytes, into one buffer sized from
// Content-Length when the server sent it: a 10,000-domain listing is
// megabytes, and growing a slice by doubling would copy it several times.
func readBody(resp *xendhttp.Response, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	if n := resp.ContentLength; n > 0 && n <= limit {
		buf.Grow(int(n) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	return buf.Bytes(), err
}

func isHTML(ctype string, body []byte) bool {
	if strings.Contains(strings.ToLower(ctype), "html") {
		return true
	}
	head := bytes.ToLower(bytes.TrimSpace(body[:min(len(body), 64)]))
	return bytes.HasPrefix(head, []byte("<html")) || bytes.HasPrefix(head, []byte("<!doctype html"))
}

// check applies xend's and libvirt's success rules (spec §1.5): 200-202 is
// success unless the body carries xend.err, or is a 202 saying "failed"
// (threaded ops report failure inside a success status).
func check(e *Error, addr string, sent int, body []byte, phrase string) (*reply, error) {
	switch {
	case e.Status >= 200 && e.Status <= 202:
		if bytes.Contains(body, []byte("xend.err")) {
			e.Msg = xendErrMessage(body)
			e.Err = xendErrSentinel(e.Msg)
			return nil, e
		}
		if e.Status == 202 && bytes.Contains(body, []byte("failed")) {
			e.Msg = oneLine(string(body))
			return nil, e
		}
		return &reply{status: e.Status, body: body}, nil
	}
	text := string(body)
	switch {
	case e.Status == 404:
		if strings.HasPrefix(e.Path, "/xend/domain/") && e.Path != "/xend/domain/" {
			e.Msg, e.Err = backend.ErrNotFound.Error(), backend.ErrNotFound
		} else {
			e.Msg = "no such resource on xend"
		}
	case e.Status == 413:
		e.Msg = fmt.Sprintf("xend at %s refused a request of %d bytes: over xend's limit of %d bytes (Request entity too large)", addr, sent, MaxBody)
	case e.Status == 406:
		e.Msg = "xend rejected the request as invalid (missing or repeated op)"
	case e.Status == 501:
		e.Msg, e.Err = orDefault(oneLine(text), orDefault(oneLine(phrase), "operation not implemented")), backend.ErrUnsupported
	case strings.Contains(text, "xend.err"):
		e.Msg = xendErrMessage(body)
		e.Err = xendErrSentinel(e.Msg)
	default:
		e.Msg = orDefault(oneLine(text), orDefault(oneLine(phrase), xendhttp.StatusText(e.Status)))
	}
	return nil, e
}

// xendErrMessage extracts the text of (xend.err 'text'), falling back to
// the raw body when it does not parse.
func xendErrMessage(body []byte) string {
	n, err := sexpr.Parse(body)
	if err == nil && n.Head() == "xend.err" {
		var parts []string
		for _, a := range n.Args() {
			if a.IsList() {
				parts = append(parts, a.String())
			} else {
				parts = append(parts, a.Value)
			}
		}
		if msg := oneLine(strings.Join(parts, " ")); msg != "" {
			return msg
		}
	}
	return orDefault(oneLine(string(body)), "xend.err")
}

// oneLine keeps text from the server readable in a one-line message, and
// harmless on a terminal: white space runs become one space, other
// control characters are escaped, and it is cut at 300 bytes.
func oneLine(s string) string {
	if len(s) > 1200 {
		s = s[:1200]
	}
	s = backend.Printable(strings.Join(strings.Fields(s), " "))
	if len(s) > 300 {
		s = strings.ToValidUTF8(s[:300], "") + "…"
	}
	return s
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// encodeForm builds op=OP&k=v… with every byte that is not an unreserved
// URL character percent-encoded, as libvirt 2014 did: xend's Python form
// parser splits on both & and ;, and turns + into a space, so nothing is
// left to its interpretation. op comes first, the rest in key order.
func encodeForm(op string, form url.Values) []byte {
	var b bytes.Buffer
	b.WriteString("op=")
	escapeTo(&b, op)
	keys := make([]string, 0, len(form))
	for k := range form {
		if k != "op" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range form[k] {
			b.WriteByte('&')
			escapeTo(&b, k)
			b.WriteByte('=')
			escapeTo(&b, v)
		}
	}
	return b.Bytes()
}

func escapeTo(b *bytes.Buffer, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
}
