package xendsim

import (
	"bufio"
	"bytes"
	"net"
	"strconv"
	"sync"
	"unsafe"

	"xvirsh/backend"
	"xvirsh/backend/xendhttp"
	"xvirsh/backend/xendrules"
	"xvirsh/sexpr"
)

// response is one reply as xend would write it: its reason phrase and
// header spelling are xend's, not the standard ones (§1.4).
type response struct {
	status   int
	reason   string // "" means xend's standard phrase
	ctype    string // "" when there is no body
	body     string
	buf      *bytes.Buffer // the body instead, printed by the host into a pooled buffer (replyBuffer)
	location string
}

const (
	ctypeSXP   = xendrules.ContentTypeSXP
	ctypePlain = xendrules.ContentTypePlain
	ctypeHTML  = "text/html"
)

// sxpReply is a value printed by sxp.show (xend-protocol.md §4.3).
func sxpReply(status int, n *sexpr.Node) *response {
	return &response{status: status, ctype: ctypeSXP, body: xendrules.Show(n)}
}

func emptyReply(status int) *response { return &response{status: status} }

// textReply is one of xend's text/plain error pages.
func textReply(status int, reason, text string) *response {
	return &response{status: status, reason: reason, ctype: ctypePlain, body: text}
}

// xendErr is a synchronous op that raised: 500, reason "Request failed:
// OP", body (xend.err 'message').
func xendErr(op, msg string) *response {
	reason := xendrules.Reason(500)
	if op != "" {
		reason = xendrules.ReasonRequestFailed(op)
	}
	return &response{status: 500, reason: reason, ctype: ctypeSXP,
		body: xendrules.Show(sexpr.List(sexpr.Atom("xend.err"), sexpr.Atom(msg)))}
}

func (r *response) reasonPhrase() string {
	if r.reason != "" {
		return r.reason
	}
	return xendrules.Reason(r.status)
}

// write sends the reply with xend's header spelling: only the first letter
// capitalised (Content-type, Content-length), Content-length on every reply
// but HEAD's, Connection: keep-alive only when the client asked for it
// (§1.4). The reply on a kept connection stays in w until the connection's
// reader next waits for the client (flushBefore): requests a client sent
// together (pipelined) are answered in one write, not one each.
func (r *response) write(w *bufio.Writer, head, keepAlive bool) error {
	// Appended to in place, not through Header.Add: the fields stay on
	// the stack.
	var fields [8]xendhttp.Field
	h := xendhttp.Header(fields[:0])
	if r.ctype != "" {
		h = append(h, xendhttp.Field{Name: "Content-type", Value: r.ctype})
	}
	body := r.body
	if r.buf != nil {
		// Given back once written: nothing holds the bytes after.
		defer releaseReply(r.buf)
		body = unsafe.String(unsafe.SliceData(r.buf.Bytes()), r.buf.Len())
	}
	if !head {
		h = append(h, xendhttp.Field{Name: "Content-length", Value: strconv.Itoa(len(body))})
	}
	if r.location != "" {
		h = append(h, xendhttp.Field{Name: "Location", Value: r.location})
	}
	h = append(h, xendhttp.Field{Name: "Pragma", Value: "no-cache"},
		xendhttp.Field{Name: "Cache-control", Value: "no-cache"},
		xendhttp.Field{Name: "Expires", Value: "-1"})
	if keepAlive {
		h = append(h, xendhttp.Field{Name: "Connection", Value: "keep-alive"})
	}
	xendhttp.WriteResponse(w, r.status, r.reasonPhrase(), h)
	if !head {
		if len(body) > w.Available() {
			// A listing's megabytes go out in one write, not a
			// buffer's worth at a time.
			w.Flush()
			w.Write(unsafe.Slice(unsafe.StringData(body), len(body)))
		} else {
			w.WriteString(body)
		}
	}
	if keepAlive {
		_, err := w.Write(nil) // bufio's sticky error, if any
		return err
	}
	return w.Flush()
}

// text is the body, a copy when it is in a buffer.
func (r *response) text() string {
	if r.buf != nil {
		return r.buf.String()
	}
	return r.body
}

// Records and listings are printed into buffers kept from one reply to the
// next: a string built per reply was most of what the simulator allocated
// while serving a listing (a kilobyte per record, megabytes per detail
// listing), and its garbage collections mark the whole host each time.
// Listings have a pool of their own, so that a listing's megabytes are
// not handed to a record and a listing does not grow a record's kilobyte.
var (
	replyBuffers   = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 1024)) }}
	listingBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}
)

func replyBuffer() *bytes.Buffer   { return replyBuffers.Get().(*bytes.Buffer) }
func listingBuffer() *bytes.Buffer { return listingBuffers.Get().(*bytes.Buffer) }

// releaseReply gives b back to the pool its size says it came from.
func releaseReply(b *bytes.Buffer) {
	big := b.Cap() > 64<<10
	b.Reset()
	if big {
		listingBuffers.Put(b)
	} else {
		replyBuffers.Put(b)
	}
}

// flushBefore is a connection's reader that sends what its writer holds
// before it waits for the client: a reply is never held back while the
// client may be waiting for it.
// It also tells the host of each read from the client (backend.Arrivals).
type flushBefore struct {
	c net.Conn
	w *bufio.Writer
	a *backend.Arrivals
}

func (f flushBefore) Read(p []byte) (int, error) {
	if f.w.Buffered() > 0 {
		if err := f.w.Flush(); err != nil {
			return 0, err
		}
	}
	n, err := f.c.Read(p)
	if n > 0 {
		f.a.More()
	}
	return n, err
}
