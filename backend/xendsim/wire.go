package xendsim

import (
	"bufio"
	"net/http"
	"strconv"
	"strings"

	"xvirsh/backend/xendrules"
	"xvirsh/sexpr"
)

// response is one reply as xend would write it. net/http cannot send it
// faithfully (it canonicalises header names to Content-Type, adds its own
// Content-Length and allows no custom reason phrase), so the handler writes
// these bytes itself on the hijacked connection.
type response struct {
	status   int
	reason   string // "" means xend's standard phrase
	ctype    string // "" when there is no body
	body     []byte
	location string
}

const (
	ctypeSXP   = xendrules.ContentTypeSXP
	ctypePlain = xendrules.ContentTypePlain
	ctypeHTML  = "text/html"
)

// sxpReply is a value printed by sxp.show (xend-protocol.md §4.3).
func sxpReply(status int, n *sexpr.Node) *response {
	return &response{status: status, ctype: ctypeSXP, body: []byte(xendrules.Show(n))}
}

func emptyReply(status int) *response { return &response{status: status} }

// textReply is one of xend's text/plain error pages.
func textReply(status int, reason, text string) *response {
	return &response{status: status, reason: reason, ctype: ctypePlain, body: []byte(text)}
}

// xendErr is a synchronous op that raised: 500, reason "Request failed:
// OP", body (xend.err 'message').
func xendErr(op, msg string) *response {
	reason := xendrules.Reason(500)
	if op != "" {
		reason = xendrules.ReasonRequestFailed(op)
	}
	return &response{status: 500, reason: reason, ctype: ctypeSXP,
		body: []byte(xendrules.Show(sexpr.List(sexpr.Atom("xend.err"), sexpr.Atom(msg))))}
}

func (r *response) reasonPhrase() string {
	if r.reason != "" {
		return r.reason
	}
	return xendrules.Reason(r.status)
}

// write sends the reply with xend's header spelling: only the first letter
// capitalised (Content-type, Content-length), Content-length on every reply
// but HEAD's, Connection: keep-alive only when the client asked for it.
func (r *response) write(w *bufio.Writer, head, keepAlive bool) error {
	w.WriteString("HTTP/1.1 ")
	w.WriteString(strconv.Itoa(r.status))
	w.WriteByte(' ')
	w.WriteString(headerSafe(r.reasonPhrase()))
	w.WriteString("\r\n")
	if r.ctype != "" {
		w.WriteString("Content-type: " + r.ctype + "\r\n")
	}
	if !head {
		w.WriteString("Content-length: " + strconv.Itoa(len(r.body)) + "\r\n")
	}
	if r.location != "" {
		w.WriteString("Location: " + headerSafe(r.location) + "\r\n")
	}
	w.WriteString("Pragma: no-cache\r\nCache-control: no-cache\r\nExpires: -1\r\n")
	if keepAlive {
		w.WriteString("Connection: keep-alive\r\n")
	}
	w.WriteString("\r\n")
	if !head {
		w.Write(r.body)
	}
	return w.Flush()
}

// writeStd is the fallback for a ResponseWriter that cannot be hijacked
// (httptest.ResponseRecorder, HTTP/2): same status and body, Go's header
// spelling and reason phrases.
func (r *response) writeStd(w http.ResponseWriter, head bool) {
	h := w.Header()
	if r.ctype != "" {
		h.Set("Content-Type", r.ctype)
	}
	h.Set("Content-Length", strconv.Itoa(len(r.body)))
	if r.location != "" {
		h.Set("Location", r.location)
	}
	h.Set("Pragma", "no-cache")
	h.Set("Cache-Control", "no-cache")
	h.Set("Expires", "-1")
	w.WriteHeader(r.status)
	if !head {
		w.Write(r.body)
	}
}

// headerSafe keeps a value that echoes client input (a domain name in a
// Location, an op in a reason) from breaking the header block.
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 {
			return ' '
		}
		return r
	}, s)
}
