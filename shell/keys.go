package shell

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	prompt "github.com/c-bata/go-prompt"
)

// splitKeys cuts one read from the terminal into the keys it holds.
// go-prompt decodes every read as a single key and inserts anything it does
// not recognise as text, so a pasted "list --all\r" (or expect's
// `send "list --all\r"`, which arrives in one write) would put the "\r" into
// the line instead of running it. Split, each line end becomes its own Enter
// key and pasted or scripted lines run one after another.
func splitKeys(b []byte) [][]byte {
	if len(b) == 0 || prompt.GetKey(b) != prompt.NotDefined {
		return [][]byte{b}
	}
	var keys [][]byte
	for i := 0; i < len(b); {
		n := keyLen(b[i:])
		if b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n' {
			// A CRLF pair is one line end, not an Enter plus a Ctrl-J.
			n = 2
			keys = append(keys, []byte{'\r'})
		} else {
			keys = append(keys, b[i:i+n])
		}
		i += n
	}
	return keys
}

// keyLen is the length of the key at the start of b (b is not empty).
func keyLen(b []byte) int {
	if c := b[0]; c != 0x1b && !isControl(c) {
		// A run of text: go-prompt inserts it as it is.
		n := 1
		for n < len(b) && b[n] != 0x1b && !isControl(b[n]) {
			n++
		}
		return n
	}
	best := 0
	for _, seq := range prompt.ASCIISequences {
		if len(seq.ASCIICode) > best && bytes.HasPrefix(b, seq.ASCIICode) {
			best = len(seq.ASCIICode)
		}
	}
	if b[0] != 0x1b || best > 1 {
		return max(best, 1)
	}
	// An escape sequence go-prompt does not know: keep it whole, so it is
	// ignored or inserted as one unit rather than as ESC plus loose text.
	switch {
	case len(b) == 1:
		return 1
	case b[1] == '[': // CSI: parameters and intermediates, then a final byte
		for n := 2; n < len(b); n++ {
			switch c := b[n]; {
			case c >= 0x40 && c <= 0x7e:
				return n + 1
			case c < 0x20 || c > 0x7e:
				return n
			}
		}
		return len(b)
	case b[1] == 'O' && len(b) >= 3: // SS3: one more byte
		return 3
	case b[1] == 0x7f || b[1] == 0x08: // Alt-Backspace
		return 2
	case isControl(b[1]) || b[1] >= 0x80:
		return 1
	default: // Alt plus a key
		return 2
	}
}

func isControl(c byte) bool { return c < 0x20 || c == 0x7f }

// keySplitter is a prompt.ConsoleParser that hands go-prompt one key per
// Read, queueing the rest of a multi-key read for the next calls.
type keySplitter struct {
	prompt.ConsoleParser

	mu      sync.Mutex
	pending [][]byte
	// carry is the start of a UTF-8 character cut by the end of a read (a
	// paste longer than go-prompt's 1024-byte reads); it waits for the rest.
	carry []byte
}

func (s *keySplitter) Read() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) == 0 {
		b, err := s.ConsoleParser.Read()
		if err != nil || len(b) == 0 {
			return b, err
		}
		b = append(s.carry, b...)
		cut := len(b) - incompleteTail(b)
		b, s.carry = b[:cut], bytes.Clone(b[cut:])
		if len(b) == 0 {
			return nil, errIncomplete
		}
		s.pending = splitKeys(b)
	}
	k := s.pending[0]
	s.pending = s.pending[1:]
	return k, nil
}

// WaitInput is ready at once while keys of an earlier read are queued.
func (s *keySplitter) WaitInput(timeout time.Duration) bool {
	s.mu.Lock()
	queued := len(s.pending) > 0
	s.mu.Unlock()
	if queued {
		return true
	}
	if w, ok := s.ConsoleParser.(prompt.InputWaiter); ok {
		return w.WaitInput(timeout)
	}
	time.Sleep(timeout)
	return false
}

// errIncomplete tells go-prompt's reader there is no whole key yet; like
// any read error it just polls again.
var errIncomplete = errors.New("incomplete character")

// incompleteTail is the length of an unfinished UTF-8 sequence at the end
// of b, or 0.
func incompleteTail(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if c := b[i]; c < 0x80 {
			return 0
		} else if utf8.RuneStart(c) {
			if utf8.FullRune(b[i:]) {
				return 0
			}
			return len(b) - i
		}
	}
	return 0
}

// pasteText is what a bracketed paste puts into the line. Its lines become
// commands separated by "; ", which is how the tokenizer reads a newline
// anyway, so pasting two lines shows both on the line and runs both on
// Enter, never before; line ends at the end are dropped, tabs are blanks.
func pasteText(s string) string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\t", " ").Replace(s)
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, strings.TrimRight(l, " "))
		}
	}
	return strings.Join(lines, "; ")
}
