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
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"xvirsh/backend"
	"xvirsh/sexpr"
)

// DefaultSocket is where xend listens on a unix socket unless its config
// says otherwise.
const DefaultSocket = "/var/lib/xend/xend-socket"

// DefaultMaxReply bounds what one reply may hold. A detail listing of
// 10,000 domains is about 15 MB; anything far beyond that is not xend.
const DefaultMaxReply = 256 << 20

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

	transport *http.Transport
	http      *http.Client
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
	dialer := &net.Dialer{Timeout: timeout}
	tr := &http.Transport{
		// Whatever the URL says, every request goes to this one xend; no
		// proxy from the environment may redirect it.
		Proxy: nil,
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, address)
		},
		// xend closes the connection after each reply unless asked not to;
		// reusing one would race with that close, and a POST cannot be
		// retried safely. One connection per request, as libvirt does.
		DisableKeepAlives:      true,
		DisableCompression:     true,
		ResponseHeaderTimeout:  timeout,
		MaxResponseHeaderBytes: 64 << 10,
	}
	return &Client{
		network:   network,
		address:   address,
		timeout:   timeout,
		MaxReply:  DefaultMaxReply,
		transport: tr,
		// The request context already carries the deadline; the client's
		// own timeout is a second bound should a layer ignore the context.
		http: &http.Client{Transport: tr, Timeout: timeout + time.Second},
	}, nil
}

// Close releases idle resources; the Client makes no further requests.
func (c *Client) Close() error {
	c.transport.CloseIdleConnections()
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
}

// get fetches path (with its query) and returns the parsed S-expression.
func (c *Client) get(ctx context.Context, path, query string) (*sexpr.Node, error) {
	e := &Error{Method: http.MethodGet, Path: path}
	r, err := c.do(ctx, e, query, nil)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(r.body)) == 0 {
		e.Status, e.Msg = r.status, "empty reply where an S-expression was expected"
		return nil, e
	}
	n, err := sexpr.Parse(r.body)
	if err != nil {
		e.Status, e.Msg, e.Err = r.status, "malformed S-expression in the reply: "+err.Error(), err
		return nil, e
	}
	return n, nil
}

// post sends op with form to path. The reply body, when there is one, is
// returned unparsed: most ops answer with nothing.
func (c *Client) post(ctx context.Context, path, op string, form url.Values) (*reply, error) {
	e := &Error{Method: http.MethodPost, Path: path, Op: op}
	return c.do(ctx, e, "", encodeForm(op, form))
}

func (c *Client) do(ctx context.Context, e *Error, query string, body []byte) (*reply, error) {
	reqCtx, cancel := context.WithTimeoutCause(ctx, c.timeout, errRequestTimeout)
	defer cancel()

	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	u := "http://" + hostHeader + e.Path
	if query != "" {
		u += "?" + query
	}
	req, err := http.NewRequestWithContext(reqCtx, e.Method, u, rd)
	if err != nil {
		e.Msg, e.Err = "bad request: "+err.Error(), err
		return nil, e
	}
	req.Host = hostHeader
	h := req.Header
	h.Set("Accept-Encoding", "identity")
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	// An empty User-Agent is not sent. Without it xend always answers in
	// S-expressions, whatever else the request carries.
	h.Set("User-Agent", "")

	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.transportError(e, ctx, reqCtx, err, false)
	}
	defer resp.Body.Close()
	e.Status = resp.StatusCode

	data, err := readBody(resp, c.MaxReply)
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			e.Msg = fmt.Sprintf("reply cut short: got %d of %d bytes (truncated)", len(data), resp.ContentLength)
			e.Err = err
			return nil, e
		}
		e.Status = 0
		return nil, c.transportError(e, ctx, reqCtx, err, true)
	}
	if int64(len(data)) > c.MaxReply {
		e.Msg = fmt.Sprintf("reply larger than %d bytes; refusing to read it", c.MaxReply)
		return nil, e
	}
	if isHTML(resp.Header.Get("Content-Type"), data) {
		e.Msg = "xend answered with an HTML page instead of an S-expression"
		return nil, e
	}
	return check(e, len(body), data)
}

// readBody reads at most limit+1 bytes, into one buffer sized from
// Content-Length when the server sent it: a 10,000-domain listing is
// megabytes, and growing a slice by doubling would copy it several times.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
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
func check(e *Error, sent int, body []byte) (*reply, error) {
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
	case e.Status == http.StatusNotFound:
		if strings.HasPrefix(e.Path, "/xend/domain/") && e.Path != "/xend/domain/" {
			e.Msg, e.Err = backend.ErrNotFound.Error(), backend.ErrNotFound
		} else {
			e.Msg = "no such resource on xend"
		}
	case e.Status == http.StatusRequestEntityTooLarge:
		e.Msg = fmt.Sprintf("request of %d bytes is over xend's limit of %d bytes (Request entity too large)", sent, MaxBody)
	case e.Status == http.StatusNotAcceptable:
		e.Msg = "xend rejected the request as invalid (missing or repeated op)"
	case e.Status == http.StatusNotImplemented:
		e.Msg, e.Err = orDefault(oneLine(text), "operation not implemented"), backend.ErrUnsupported
	case strings.Contains(text, "xend.err"):
		e.Msg = xendErrMessage(body)
		e.Err = xendErrSentinel(e.Msg)
	default:
		e.Msg = orDefault(oneLine(text), http.StatusText(e.Status))
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
		if msg := strings.Join(parts, " "); msg != "" {
			return msg
		}
	}
	return orDefault(oneLine(string(body)), "xend.err")
}

// oneLine keeps an error body readable in a one-line message.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
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
