package xendhttp

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
)

// fixedBody is a body of n bytes: the connection ending sooner is a cut.
type fixedBody struct {
	r *bufio.Reader
	n int64
}

func (b *fixedBody) Read(p []byte) (int, error) {
	if b.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > b.n {
		p = p[:b.n]
	}
	n, err := b.r.Read(p)
	b.n -= int64(n)
	if err == io.EOF && b.n > 0 {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// Limits on what frames a chunked body: a chunk-size line with its
// extensions, and the trailer fields after the last chunk.
const (
	maxChunkLine    = 4 << 10
	maxTrailerBytes = 16 << 10
	maxTrailerLines = 100
)

// chunkedBody decodes Transfer-Encoding: chunked. Extensions are ignored
// and trailers read and dropped; the body ends after them, so that a kept
// connection is at the next reply.
type chunkedBody struct {
	r    *bufio.Reader
	n    int64 // left in the current chunk
	open bool  // inside a chunk, its CRLF not yet read
	err  error // sticky: io.EOF at the end, or why it failed
}

func (b *chunkedBody) Read(p []byte) (int, error) {
	if len(p) == 0 && b.err == nil {
		return 0, nil
	}
	for b.err == nil {
		if b.n > 0 {
			if int64(len(p)) > b.n {
				p = p[:b.n]
			}
			n, err := b.r.Read(p)
			b.n -= int64(n)
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			b.err = err
			if n > 0 || err != nil {
				return n, err
			}
			continue
		}
		if b.open {
			b.err = b.crlf()
			b.open = false
			continue
		}
		b.err = b.size()
	}
	return 0, b.err
}

// size reads a chunk-size line; a zero size ends the body after the
// trailers.
func (b *chunkedBody) size() error {
	budget := maxChunkLine
	line, err := readLine(b.r, &budget)
	switch {
	case err == ErrHeaderTooLarge:
		return malformed("chunk-size line over %d bytes", maxChunkLine)
	case err != nil:
		return err
	}
	if i := bytes.IndexByte(line, ';'); i >= 0 {
		line = line[:i]
	}
	line = bytes.TrimSpace(line)
	// Sixteen hex digits would overflow; a reply's size is bounded by
	// the reader long before anyway.
	if len(line) == 0 || len(line) > 15 {
		return malformed("chunk size %q", clip(line))
	}
	n, err := strconv.ParseInt(string(line), 16, 64)
	if err != nil || n < 0 {
		return malformed("chunk size %q", clip(line))
	}
	if n == 0 {
		if _, err := readHeadFields(b.r, maxTrailerBytes, maxTrailerLines); err != nil {
			return err
		}
		return io.EOF
	}
	b.n, b.open = n, true
	return nil
}

// crlf reads the line end after a chunk's data.
func (b *chunkedBody) crlf() error {
	budget := 2
	line, err := readLine(b.r, &budget)
	switch {
	case err == ErrHeaderTooLarge || err == nil && len(line) != 0:
		return malformed("chunk data longer than its size")
	case err != nil:
		return err
	}
	return nil
}

// readHeadFields reads fields up to a blank line, as in a head after its
// start line: a chunked body's trailers.
func readHeadFields(br *bufio.Reader, budget, maxLines int) (Header, error) {
	var h Header
	for {
		line, err := readLine(br, &budget)
		if err == ErrHeaderTooLarge {
			return nil, malformed("trailers over %d bytes", maxTrailerBytes)
		}
		if err != nil {
			return nil, err
		}
		if len(line) == 0 {
			return h, nil
		}
		if len(h) >= maxLines {
			return nil, malformed("more than %d trailer lines", maxLines)
		}
		name, value, _ := bytes.Cut(line, []byte{':'})
		h = append(h, Field{string(name), string(bytes.TrimSpace(value))})
	}
}
