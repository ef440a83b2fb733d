package xendhttp

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// Response is one reply as read from a server.
type Response struct {
	Proto      string // e.g. "HTTP/1.1"
	StatusCode int
	Reason     string // the reason phrase as the server wrote it
	Header     Header
	// ContentLength is the body's length, -1 when the reply does not
	// say (chunked, or read until the connection ends).
	ContentLength int64
	// Body reads the body as framed; a connection that ends inside it is
	// io.ErrUnexpectedEOF.
	Body io.Reader
	// KeepAlive: the server keeps the connection open after this reply.
	// xend does so only when asked, and then says Connection: keep-alive
	// (§1.4), so that is what it takes; a body that runs to the end of
	// the connection rules it out.
	KeepAlive bool
}

// Status is the status line after the protocol, e.g. "404 Not found".
func (r *Response) Status() string {
	if r.Reason == "" {
		return strconv.Itoa(r.StatusCode)
	}
	return strconv.Itoa(r.StatusCode) + " " + r.Reason
}

// maxInterim bounds the 1xx replies skipped before the real one.
const maxInterim = 8

// ReadResponse reads a reply head from br, within budget bytes and
// maxLines fields, and frames its body. head says the request was HEAD,
// whose reply has no body whatever it says. Interim 1xx replies are
// skipped.
func ReadResponse(br *bufio.Reader, budget, maxLines int, head bool) (*Response, error) {
	for range maxInterim {
		var r *Response
		h, err := readHead(br, budget, maxLines, func(line string) (err error) {
			r, err = parseStatus(line)
			return err
		})
		if err != nil {
			return nil, err
		}
		r.Header = h.header
		if r.StatusCode >= 100 && r.StatusCode < 200 && r.StatusCode != 101 {
			continue
		}
		if err := frame(r, br, head); err != nil {
			return nil, err
		}
		return r, nil
	}
	return nil, malformed("more than %d interim replies", maxInterim)
}

func parseStatus(line string) (*Response, error) {
	proto, rest, _ := strings.Cut(line, " ")
	code, reason, _ := strings.Cut(strings.TrimLeft(rest, " "), " ")
	if !strings.HasPrefix(proto, "HTTP/1.") || len(code) != 3 {
		return nil, malformed("status line %q", clip([]byte(line)))
	}
	n, err := strconv.Atoi(code)
	if err != nil || n < 100 {
		return nil, malformed("status line %q", clip([]byte(line)))
	}
	return &Response{Proto: proto, StatusCode: n, Reason: strings.TrimSpace(reason)}, nil
}

// frame decides how the body ends: no body for HEAD, 1xx, 204 and 304;
// chunks when Transfer-Encoding says so, whatever Content-Length says;
// else Content-Length; else the end of the connection.
func frame(r *Response, br *bufio.Reader, head bool) error {
	r.KeepAlive = r.Header.HasToken("Connection", "keep-alive") && !r.Header.HasToken("Connection", "close")
	switch {
	case head || r.StatusCode < 200 || r.StatusCode == 204 || r.StatusCode == 304:
		r.ContentLength, r.Body = 0, eofReader{}
		return nil
	case isChunked(r.Header):
		r.ContentLength, r.Body = -1, &chunkedBody{r: br}
		return nil
	}
	r.ContentLength = -1
	if cl, ok := r.Header.Lookup("Content-Length"); ok {
		n, err := strconv.ParseInt(strings.TrimSpace(cl), 10, 64)
		// Every Content-Length must say the same.
		for _, f := range r.Header {
			if strings.EqualFold(f.Name, "Content-Length") && strings.TrimSpace(f.Value) != strings.TrimSpace(cl) {
				err = ErrMalformed
			}
		}
		if err != nil || n < 0 {
			return malformed("Content-Length %q", clip([]byte(strings.Join(r.Header.Values("Content-Length"), ", "))))
		}
		r.ContentLength, r.Body = n, &fixedBody{r: br, n: n}
		return nil
	}
	r.Body, r.KeepAlive = untilEOF{br}, false
	return nil
}

// WriteResponse writes a status line and fields in the order given; the
// caller writes the body and flushes. reason is written as is: xend has
// its own phrases (§1.4). A control character in it would break the head
// and becomes a space.
func WriteResponse(w *bufio.Writer, status int, reason string, h Header) {
	w.WriteString("HTTP/1.1 ")
	w.WriteString(strconv.Itoa(status))
	w.WriteByte(' ')
	for i := 0; i < len(reason); i++ {
		c := reason[i]
		if c < ' ' || c == 0x7f {
			c = ' '
		}
		w.WriteByte(c)
	}
	w.WriteString("\r\n")
	for _, f := range h {
		writeField(w, f.Name, f.Value)
	}
	w.WriteString("\r\n")
}

// untilEOF is a body that runs to the end of the connection: its end is
// the reply's end, not a cut.
type untilEOF struct{ r *bufio.Reader }

func (u untilEOF) Read(p []byte) (int, error) { return u.r.Read(p) }
