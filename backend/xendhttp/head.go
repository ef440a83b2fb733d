// Package xendhttp reads and writes the little of HTTP/1.1 that xend's
// API is made of (spec xend-protocol.md §1.2-1.4): a request line or a
// status line, header fields, a body framed by Content-Length, by chunks
// or by the end of the connection, and keep-alive. The xend client and the
// simulator both speak it; neither needs the rest of net/http (TLS,
// HTTP/2, proxies, cookies, redirects), whose package initialisation alone
// cost a one-shot command more than a millisecond.
//
// Everything read is bounded: a head by a byte budget the caller gives, a
// chunk-size line and the trailers by fixed limits. Malformed input is an
// error wrapping ErrMalformed, never a panic; a connection that ends early
// is io.ErrUnexpectedEOF. Deadlines are the caller's, set on its net.Conn.
package xendhttp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrMalformed is wrapped by every error about input that is not HTTP.
var ErrMalformed = errors.New("malformed HTTP")

// ErrHeaderTooLarge is a head over the caller's byte or line budget.
var ErrHeaderTooLarge = errors.New("HTTP header too large")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
}

// Field is one header line, its name spelled as it came or is to go:
// xend writes Content-length, not Content-Length (§1.4).
type Field struct {
	Name, Value string
}

// Header is a head's fields in order. Names compare without regard to
// case; a name may repeat.
type Header []Field

// Get is the first value of name, "" when there is none.
func (h Header) Get(name string) string {
	v, _ := h.Lookup(name)
	return v
}

// Lookup is Get that also says whether name is there at all: an empty
// User-Agent is not the same as none to xend (§1.2).
func (h Header) Lookup(name string) (string, bool) {
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			return f.Value, true
		}
	}
	return "", false
}

// Values is every value of name, in order.
func (h Header) Values(name string) []string {
	var vs []string
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			vs = append(vs, f.Value)
		}
	}
	return vs
}

// Add appends a field.
func (h *Header) Add(name, value string) { *h = append(*h, Field{name, value}) }

// Set replaces every field of name with one.
func (h *Header) Set(name, value string) {
	h.Del(name)
	h.Add(name, value)
}

// Del removes every field of name.
func (h *Header) Del(name string) {
	out := (*h)[:0]
	for _, f := range *h {
		if !strings.EqualFold(f.Name, name) {
			out = append(out, f)
		}
	}
	*h = out
}

// HasToken says whether a comma-separated list in any field of name holds
// token, e.g. Connection: keep-alive.
func (h Header) HasToken(name, token string) bool {
	for _, f := range h {
		if !strings.EqualFold(f.Name, name) {
			continue
		}
		for v := f.Value; v != ""; {
			var tok string
			tok, v, _ = strings.Cut(v, ",")
			if strings.EqualFold(strings.TrimSpace(tok), token) {
				return true
			}
		}
	}
	return false
}

// head is a start line and the fields after it.
type head struct {
	start  string
	header Header
	fields [8]Field // header's first array: xend's heads have six or seven
}

// readHead reads a start line and header fields up to the blank line,
// holding them to budget bytes and maxLines fields. Blank lines before
// the start line, which a client may leave after a body, are skipped
// (and counted). The start line is handed to check as soon as it is
// read, so that a peer that does not speak HTTP is told apart from one
// that stopped halfway. A connection closed before the first byte is
// io.EOF; one closed inside the head is io.ErrUnexpectedEOF.
func readHead(br *bufio.Reader, budget, maxLines int, check func(string) error) (*head, error) {
	h := &head{}
	h.header = h.fields[:0]
	for {
		line, err := readLine(br, &budget)
		if err == io.ErrUnexpectedEOF {
			if line == nil {
				return nil, io.EOF
			}
			if cerr := check(string(line)); cerr != nil {
				return nil, cerr
			}
		}
		if err != nil {
			return nil, err
		}
		if len(line) > 0 {
			h.start = string(line)
			if err := check(h.start); err != nil {
				return nil, err
			}
			break
		}
	}
	// The field lines are copied into one buffer and made one string,
	// which the fields are cut from: a listing reads thousands of heads,
	// and a string a field was most of what reading one allocated.
	var scratch [1024]byte
	text := scratch[:0]
	type span struct{ from, name, to int } // a line, its name text[from:name]
	var spanBuf [8]span
	spans := spanBuf[:0]
	var folded []string // a folded field's whole value, by line; nil when none is
	for {
		line, err := readLine(br, &budget)
		if err != nil {
			return nil, err
		}
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			// An obsolete folded line continues the field before it.
			if len(spans) == 0 || hasCTL(line) {
				return nil, malformed("continuation line %q before any field", clip(line))
			}
			for len(folded) < len(spans) {
				folded = append(folded, "")
			}
			last := spans[len(spans)-1]
			prev := folded[len(spans)-1]
			if prev == "" {
				prev = strings.TrimSpace(string(text[last.name+1 : last.to]))
			}
			folded[len(spans)-1] = strings.TrimSpace(prev + " " + string(bytes.TrimSpace(line)))
			continue
		}
		if len(spans) >= maxLines {
			return nil, fmt.Errorf("%w: more than %d header lines", ErrHeaderTooLarge, maxLines)
		}
		name, value, ok := bytes.Cut(line, []byte{':'})
		if !ok || len(name) == 0 || !isToken(name) || hasCTL(value) {
			// A control character in a value is how a reply smuggles
			// escapes to a terminal; net/http refused it too.
			return nil, malformed("header line %q", clip(line))
		}
		from := len(text)
		text = append(text, line...)
		spans = append(spans, span{from, from + len(name), len(text)})
	}
	all := string(text)
	for i, sp := range spans {
		f := Field{Name: all[sp.from:sp.name], Value: strings.TrimSpace(all[sp.name+1 : sp.to])}
		if i < len(folded) && folded[i] != "" {
			f.Value = folded[i]
		}
		h.header = append(h.header, f)
	}
	return h, nil
}

// readLine reads one line without its CRLF or bare LF, taking its length
// from budget. A line that the connection ends before its LF is
// io.ErrUnexpectedEOF; the bytes read so far come with it (nil when
// there were none). The line may be br's buffer: it is good until the
// next read from br.
func readLine(br *bufio.Reader, budget *int) ([]byte, error) {
	var line []byte
	for {
		frag, err := br.ReadSlice('\n')
		*budget -= len(frag)
		if *budget < 0 {
			return nil, ErrHeaderTooLarge
		}
		if err == bufio.ErrBufferFull {
			line = append(line, frag...)
			continue
		}
		if line == nil {
			// ReadSlice's own bytes, good until the next read: every
			// caller is done with a line before it reads again, and a
			// copy per line was a fifth of a request's allocations.
			line = frag
		} else {
			line = append(line, frag...)
		}
		if err == io.EOF {
			if len(line) == 0 {
				line = nil
			}
			return line, io.ErrUnexpectedEOF
		}
		if err != nil {
			return line, err
		}
		line = line[:len(line)-1]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		if line == nil {
			line = []byte{}
		}
		return line, nil
	}
}

// isToken is RFC 9110's token, what a field name is made of.
func isToken(b []byte) bool {
	for _, c := range b {
		if c <= ' ' || c >= 0x7f || notToken[c] {
			return false
		}
	}
	return true
}

// notToken marks the separators RFC 9110 leaves out of a token.
var notToken = [128]bool{'"': true, '(': true, ')': true, ',': true, '/': true, ':': true, ';': true,
	'<': true, '=': true, '>': true, '?': true, '@': true, '[': true, '\\': true, ']': true, '{': true, '}': true}

// hasCTL: b holds a control character other than a tab.
func hasCTL(b []byte) bool {
	for _, c := range b {
		if c < ' ' && c != '\t' || c == 0x7f {
			return true
		}
	}
	return false
}

// clip keeps quoted input in an error message short.
func clip(b []byte) string {
	if len(b) > 64 {
		return string(b[:64]) + "…"
	}
	return string(b)
}

// writeField writes one "Name: value" line. A value is the caller's, but a
// CR or LF in it would start a new field, so control characters become
// spaces.
func writeField(w *bufio.Writer, name, value string) {
	w.WriteString(name)
	w.WriteString(": ")
	for i := 0; i < len(value); i++ {
		c := value[i]
		if c < ' ' && c != '\t' || c == 0x7f {
			c = ' '
		}
		w.WriteByte(c)
	}
	w.WriteString("\r\n")
}
