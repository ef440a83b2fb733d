package commands

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// XMLSyntaxError is a file that is not one well-formed XML document, told
// the way virsh shows libxml2's parser errors: where (line), what, then
// the line itself and a caret under the column:
//
//	error: (domain_definition):4: invalid characters between </memory and >
//	</domain>
//	^
type XMLSyntaxError struct {
	Line, Col int // 1-based; Col counts bytes, as libxml2's caret does
	Msg       string
	Text      string // the line, or a window of it around Col
	CaretAt   int    // 0-based position of the caret in Text
}

func (e *XMLSyntaxError) Error() string {
	s := fmt.Sprintf("(domain_definition):%d: %s", e.Line, e.Msg)
	if e.Text == "" && e.CaretAt == 0 {
		return s
	}
	return s + "\n" + e.Text + "\n" + strings.Repeat("-", e.CaretAt) + "^"
}

// caretWindow is how much of a long line is shown before the caret.
const caretWindow = 72

// checkXMLSyntax returns an *XMLSyntaxError unless data is one
// well-formed XML document. It runs before the converter sees the file,
// whose parser (etree) reports a line at best; nothing is read leniently
// that the converter would not reject anyway.
func checkXMLSyntax(data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	// As etree reads it (the converter's parser): a declared encoding
	// passes through unconverted.
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	depth, roots := 0, 0
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if roots == 0 {
				return syntaxAt(data, len(data), "Document is empty")
			}
			return nil
		}
		if err != nil {
			var se *xml.SyntaxError
			msg := err.Error()
			if errors.As(err, &se) {
				msg = se.Msg
			}
			at := int(dec.InputOffset())
			if at > 0 && at <= len(data) && data[at-1] == '<' {
				// The decoder stopped after the '<' that began the bad
				// markup; libxml2's caret points at it.
				at--
			}
			return syntaxAt(data, at, msg)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if roots++; roots > 1 {
					return syntaxAt(data, int(off), "Extra content at the end of the document")
				}
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth > 0 || len(bytes.TrimSpace(t)) == 0 {
				continue
			}
			at := int(off) + bytes.Index(t, bytes.TrimSpace(t)[:1])
			if roots == 0 {
				return syntaxAt(data, at, "Start tag expected, '<' not found")
			}
			return syntaxAt(data, at, "Extra content at the end of the document")
		}
	}
}

// syntaxAt builds the error for byte offset off of data.
func syntaxAt(data []byte, off int, msg string) *XMLSyntaxError {
	off = min(max(off, 0), len(data))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	end := bytes.IndexByte(data[start:], '\n')
	if end < 0 {
		end = len(data)
	} else {
		end += start
	}
	// An error found at a line end belongs to that line, as libxml2 shows.
	line := bytes.Count(data[:off], []byte("\n")) + 1
	text, caret := string(data[start:end]), off-start
	text = strings.TrimSuffix(text, "\r")
	if caret > caretWindow {
		cut := caret - caretWindow
		text, caret = text[cut:], caretWindow
	}
	if len(text) > 2*caretWindow {
		text = text[:2*caretWindow]
	}
	return &XMLSyntaxError{Line: line, Col: off - start + 1, Msg: msg, Text: text, CaretAt: caret}
}
