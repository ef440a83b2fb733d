// Package xendsim serves xend's HTTP interface (spec xend-protocol.md) over
// any backend.Xend, normally the in-memory fake host. It answers as xend
// 3.4 does, quirks included: xend's header spelling and reason phrases,
// (xend.err '…') with 500, 404 for an unknown domain or path part, 406 and
// 501 for a missing or unknown op, 413 over 10,000 bytes, HTML for
// browser-like requests, one connection per request, requests without a
// Host header. The facts it answers from (op table, form rules, printer,
// reader, texts) live in package xendrules, shared with the fake host and
// the client. It is how the xend client is tested end to end and how the
// shell runs against "a real xend" on one machine.
package xendsim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"xvirsh/backend"
	"xvirsh/backend/xendhttp"
	"xvirsh/backend/xendrules"
	"xvirsh/sexpr"
)

// MaxBody is xend's request body limit; larger bodies get 413.
const MaxBody = xendrules.MaxBody

// drainLimit is how much of an oversized body is read and thrown away
// before answering 413, so that a client still writing its request reads
// the answer instead of a broken pipe.
const drainLimit = 1 << 20

// Timeouts on a connection: how long a keep-alive client may stay idle,
// and how long one request or reply may take to cross the wire.
const (
	idleTimeout = 5 * time.Second
	ioTimeout   = 30 * time.Second
)

// Handler serves a host the way xend serves its own domains.
type Handler struct {
	host      backend.Xend
	intercept func(*Request, net.Conn) bool
}

// Request is one request as the simulator read it.
type Request = xendhttp.Request

// NewHandler serves host the way xend serves its own domains.
func NewHandler(host backend.Xend) *Handler { return &Handler{host: host} }

// Intercept hands f every request before the simulator answers it: a
// test's way to make xend misbehave at one moment. f may change the
// request (a header, say) and return false to have it answered as usual,
// or return true when it has dealt with the request itself on conn, and
// the connection is then closed without a word from the simulator. Call
// it before Serve.
func (h *Handler) Intercept(f func(r *Request, conn net.Conn) bool) { h.intercept = f }

// serve answers one request and says whether the connection may stay open.
func (h *Handler) serve(ctx context.Context, local net.Addr, r *Request) (*response, bool) {
	keep := r.Header.HasToken("Connection", "keep-alive")
	if r.ContentLength > MaxBody {
		// xend refuses before reading; draining lets the client finish
		// writing and read the 413.
		io.CopyN(io.Discard, r.Body, drainLimit)
		return emptyReply(413), false
	}
	args := form{}
	parseQS(r.RawQuery, args)
	if r.ContentLength > 0 {
		body := make([]byte, r.ContentLength)
		if _, err := io.ReadFull(r.Body, body); err != nil {
			return textReply(400, "", "Bad request: body shorter than its Content-Length"), false
		}
		if isForm(r.Header.Get("Content-Type")) {
			bodyArgs := form{}
			parseQS(string(body), bodyArgs)
			for k, v := range bodyArgs {
				args[k] = v
			}
		}
	} else if r.ContentLength < 0 {
		// xend reads a body only when Content-Length says how long it is
		// (§1.3); whatever else was sent is left unread, so the
		// connection ends.
		keep = false
	}
	req := &request{Request: r, c: ctx, local: local, args: args, h: h}
	resp := req.deleteBroken()
	if resp == nil {
		resp = req.route()
	}
	if !useSXP(r) && resp.status < 300 {
		resp = htmlPage(r, resp)
	}
	return resp, keep
}

// isForm: xend decodes a body as a form only when its media type says
// it is one (§1.3); parameters after the type do not matter.
func isForm(ctype string) bool {
	mt, _, _ := strings.Cut(ctype, ";")
	mt = strings.TrimSpace(mt)
	return strings.EqualFold(mt, "application/x-www-form-urlencoded") || strings.EqualFold(mt, "multipart/form-data")
}

// useSXP is xend's choice of reply format: S-expressions for a request
// with no User-Agent, or no Accept, or an Accept naming application/sxp;
// HTML pages for everything else, i.e. browsers and clients sending
// Accept: */*.
func useSXP(r *Request) bool {
	if len(r.Header.Values("User-Agent")) == 0 || len(r.Header.Values("Accept")) == 0 {
		return true
	}
	return strings.Contains(strings.Join(r.Header.Values("Accept"), ","), ctypeSXP)
}

// escapeHTML is html.EscapeString. The html package is not linked: its
// init builds a replacer at every start of xvirsh, for pages that only a
// browser pointed at xend-sim asks for.
func escapeHTML(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

func htmlPage(r *Request, resp *response) *response {
	var b strings.Builder
	b.WriteString("<html><head><title>Xen</title></head><body>\n")
	path := r.Path
	if p, err := url.PathUnescape(path); err == nil {
		path = p
	}
	fmt.Fprintf(&b, "<h1>%s</h1>\n", escapeHTML(path))
	if body := resp.text(); len(body) > 0 {
		text := body
		if n, err := sexpr.ParseString(body); err == nil {
			text = n.Pretty()
		}
		fmt.Fprintf(&b, "<pre>%s</pre>\n", escapeHTML(text))
	}
	b.WriteString("</body></html>\n")
	return &response{status: resp.status, reason: resp.reason, ctype: ctypeHTML,
		body: b.String(), location: resp.location}
}

// request is one request in flight, with its decoded arguments and the
// host's config format, fetched once when first needed.
type request struct {
	*Request
	c      context.Context
	local  net.Addr // the listener's address, for Location
	args   form
	h      *Handler
	format int
}

func (q *request) ctx() context.Context { return q.c }

// configFormat is the host's xend_config_format; a host that does not say
// is format 1, as libvirt assumed.
func (q *request) configFormat() int {
	if q.format != 0 {
		return q.format
	}
	q.format = 4
	if n, err := q.h.host.Node(q.ctx()); err == nil {
		if v, ok := n.GetOK("xend_config_format"); ok {
			if f, err := xendrules.PyInt(v); err == nil && f >= 1 {
				q.format = int(f)
			}
		} else {
			q.format = 1
		}
	}
	return q.format
}

// pathParts is the path as xend's walk sees it: split on /, empty parts
// dropped, each part unquoted when it unquotes cleanly. route and
// deleteBroken both read it, so they agree on which domain a path names.
func (q *request) pathParts() []string {
	var parts []string
	for _, p := range strings.Split(q.Path, "/") {
		if p == "" {
			continue
		}
		if u, err := url.PathUnescape(p); err == nil {
			p = u
		}
		parts = append(parts, p)
	}
	return parts
}

// route walks the path like xend: drop the leading /, split on /, unquote
// each part, treat an empty part as "this directory". A part that names
// nothing is a 404 "Not found: PART" whatever the method; the method is
// checked by the resource the walk ends at.
func (q *request) route() *response {
	parts := q.pathParts()
	switch {
	case len(parts) == 0:
		return q.leaf(func() *response { return q.dir(sexpr.List(sexpr.Atom("ls"), sexpr.Atom("xend"))) })
	case parts[0] != "xend":
		return notFound(parts[0])
	case len(parts) == 1:
		return q.leaf(func() *response {
			return q.dir(sexpr.List(sexpr.Atom("ls"), sexpr.Atom("node"), sexpr.Atom("domain")))
		})
	case parts[1] == "node" && len(parts) == 2:
		return q.leaf(q.node)
	case parts[1] == "node":
		return notFound(parts[2])
	case parts[1] == "domain" && len(parts) == 2:
		return q.leaf(q.domainDir)
	case parts[1] == "domain":
		return q.domain(parts[2], parts[3:])
	}
	return notFound(parts[1])
}

// leaf serves the resource a walk ended at, if the method is one xend
// renders.
func (q *request) leaf(serve func() *response) *response {
	switch q.Method {
	case "GET", "HEAD", "POST":
		return serve()
	}
	return textReply(501, "", xendrules.MethodNotSupported(q.Method))
}

func notFound(part string) *response { return textReply(404, "", xendrules.NotFound(part)) }

// dir serves a directory that has no ops of its own.
func (q *request) dir(listing *sexpr.Node) *response {
	if q.Method == "POST" {
		op, bad := q.op()
		if bad != nil {
			return bad
		}
		return notImplemented(op)
	}
	return sxpReply(200, listing)
}

// op is the single op of a POST; anything else is xend's 406, whose empty
// answer still goes through the S-expression printer and so carries
// Content-type: application/sxp (SrvBase.perform returns ”).
func (q *request) op() (string, *response) {
	ops := q.args["op"]
	if len(ops) != 1 {
		return "", &response{status: 406, reason: xendrules.ReasonInvalidRequest, ctype: ctypeSXP}
	}
	return ops[0], nil
}

// notImplemented is perform's answer to an op with no handler: the text is
// both reason and body, and the text/plain it sets is overridden by the
// application/sxp of the empty result printed after it.
func notImplemented(op string) *response {
	msg := xendrules.OpNotImplemented(op)
	return &response{status: 501, reason: msg, ctype: ctypeSXP, body: msg}
}

func (q *request) node() *response {
	if q.Method == "POST" {
		return q.dir(nil)
	}
	n, err := q.h.host.Node(q.ctx())
	if err != nil {
		return q.hostError("", "", err)
	}
	return sxpReply(200, n)
}

// hostError turns a host failure into xend's answer for it: 404 for an
// unknown domain, 500 with (xend.err '…') for everything else.
func (q *request) hostError(op, ref string, err error) *response {
	if errors.Is(err, backend.ErrNotFound) {
		return q.noSuchDomain(ref)
	}
	return xendErr(op, err.Error())
}

// noSuchDomain is the 404 page for an unknown domain reference.
func (q *request) noSuchDomain(ref string) *response {
	return textReply(404, "", xendrules.NoSuchDomain(q.configFormat(), ref))
}

// location is a URL as xend builds it: the Host header's host name and
// the listener's own port, which a unix listener believes is 8080
// (xend-protocol.md §1.6).
func (q *request) location(path string) string {
	host := q.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "" {
		host = "localhost"
	}
	port := "8000"
	switch a := q.local.(type) {
	case *net.UnixAddr:
		port = "8080"
	case *net.TCPAddr:
		port = fmt.Sprint(a.Port)
	}
	return "http://" + net.JoinHostPort(host, port) + path
}
