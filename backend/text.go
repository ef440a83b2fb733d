package backend

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Wait writes how long something was waited for the way an operator reads
// it: "30 s", "1.5 s", "300 ms".
func Wait(d time.Duration) string {
	d = d.Round(time.Millisecond)
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + " s"
}

// Printable makes text that came from a host (an xend error, a reason
// phrase, a file name) safe to put on a terminal: control characters and
// bytes that are not UTF-8 are written as Go escapes (\x1b, \u0085), so a
// hostile server cannot clear the screen, retitle the window or hide text
// behind a carriage return. Printable text is returned as it is.
func Printable(s string) string { return printable(s, false) }

// PrintableLines is Printable keeping line breaks and tabs, for messages
// of several lines made here (an XML error with its line and caret) that
// may quote text from a host.
func PrintableLines(s string) string { return printable(s, true) }

func printable(s string, lines bool) string {
	keep := func(r rune) bool { return lines && (r == '\n' || r == '\t') }
	clean := true
	for _, r := range s {
		if (r == utf8.RuneError || unicode.IsControl(r) || isBidi(r)) && !keep(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case keep(r):
			b.WriteRune(r)
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x80 && unicode.IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.IsControl(r) || isBidi(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isBidi reports the Unicode formatting characters that reorder what a
// terminal shows (the "Trojan Source" overrides and isolates).
func isBidi(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f
}
