package xendhttp

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// Request is one request as read from a client.
type Request struct {
	Method string
	Target string // the request-target as sent
	Proto  string // e.g. "HTTP/1.1"
	// Path is Target's path, still escaped; RawQuery what followed the
	// first '?'. An absolute-form target (http://host/path) gives its path.
	Path     string
	RawQuery string
	Host     string // the Host field, or an absolute-form target's host
	Header   Header
	// ContentLength is the body's length from Content-Length: 0 without
	// one, -1 when the request has a body of no stated length (chunked,
	// or a Content-Length that does not parse), which xend does not read
	// (§1.3).
	ContentLength int64
	// Body reads at most ContentLength bytes; nothing when it is -1.
	Body io.Reader
}

// ReadRequest reads a request head from br, within budget bytes and
// maxLines fields. A client that closes the connection before sending
// anything is io.EOF.
func ReadRequest(br *bufio.Reader, budget, maxLines int) (*Request, error) {
	var method, target, proto string
	h, err := readHead(br, budget, maxLines, func(line string) error {
		var rest string
		var ok1, ok2 bool
		method, rest, ok1 = strings.Cut(line, " ")
		target, proto, ok2 = strings.Cut(rest, " ")
		if !ok1 || !ok2 || method == "" || !isToken([]byte(method)) || target == "" || !strings.HasPrefix(proto, "HTTP/1.") {
			return malformed("request line %q", clip([]byte(line)))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	r := &Request{Method: method, Target: target, Proto: proto, Header: h.header, Host: h.header.Get("Host")}
	path := target
	if i := strings.Index(target, "://"); i > 0 && !strings.HasPrefix(target, "/") {
		// absolute-form: the path starts after the authority.
		auth := target[i+3:]
		j := strings.IndexAny(auth, "/?")
		if j < 0 {
			j = len(auth)
		}
		r.Host, path = auth[:j], auth[j:]
		if path == "" || path[0] == '?' {
			path = "/" + path
		}
	} else if !strings.HasPrefix(target, "/") {
		return nil, malformed("request target %q", clip([]byte(target)))
	}
	r.Path, r.RawQuery, _ = strings.Cut(path, "?")
	for i := 0; i < len(target); i++ {
		if c := target[i]; c < ' ' || c == 0x7f {
			return nil, malformed("control character in request target %q", clip([]byte(target)))
		}
	}

	switch cl, has := h.header.Lookup("Content-Length"); {
	case isChunked(h.header):
		r.ContentLength = -1
	case has:
		n, err := strconv.ParseInt(strings.TrimSpace(cl), 10, 64)
		if err != nil || n < 0 {
			r.ContentLength = -1
		} else {
			r.ContentLength = n
		}
	}
	if r.ContentLength > 0 {
		r.Body = &fixedBody{r: br, n: r.ContentLength}
	} else {
		r.Body = eofReader{}
	}
	return r, nil
}

// WriteRequest writes a request head, fields in the order given, and
// body, and flushes. The target must be already escaped; one holding a
// space or a control character is refused rather than sent.
func WriteRequest(w *bufio.Writer, method, target string, h Header, body []byte) error {
	if err := BufferRequest(w, method, target, h, body); err != nil {
		return err
	}
	return w.Flush()
}

// BufferRequest is WriteRequest without the flush, for a client that
// sends several requests before it reads an answer (pipelining): they
// leave in as few writes as w's buffer allows.
func BufferRequest(w *bufio.Writer, method, target string, h Header, body []byte) error {
	for i := 0; i < len(target); i++ {
		if c := target[i]; c <= ' ' || c == 0x7f {
			return malformed("request target %q holds a space or control character", clip([]byte(target)))
		}
	}
	w.WriteString(method)
	w.WriteByte(' ')
	w.WriteString(target)
	w.WriteString(" HTTP/1.1\r\n")
	for _, f := range h {
		writeField(w, f.Name, f.Value)
	}
	w.WriteString("\r\n")
	_, err := w.Write(body)
	return err
}

func isChunked(h Header) bool {
	return h.HasToken("Transfer-Encoding", "chunked")
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
