package xmlconv

import (
	"errors"
	"fmt"
	"strings"
)

// ErrBadUUID is wrapped by every UUID parse failure.
var ErrBadUUID = errors.New("invalid UUID")

// ParseUUID accepts 32 hex digits in either case, with '-' or ' ' allowed
// between byte pairs (so dashless, dashed and spaced forms all read) and
// white space around, and returns the canonical lowercase 8-4-4-4-12 form.
// libvirt fails such input without saying why; we name the problem.
func ParseUUID(s string) (string, error) {
	// xend's records hold the canonical form: returned as it is, without
	// building it again (every listed domain's UUID comes through here).
	if IsCanonicalUUID(s) {
		return s, nil
	}
	t := strings.TrimSpace(s)
	var hex [32]byte
	n := 0
	for i := 0; i < len(t); {
		c := t[i]
		if c == '-' || c == ' ' {
			i++
			continue
		}
		if n == 32 {
			return "", fmt.Errorf("%w '%s': more than 32 hex digits", ErrBadUUID, s)
		}
		if i+1 >= len(t) || !isHex(c) || !isHex(t[i+1]) {
			return "", fmt.Errorf("%w '%s': expected a pair of hex digits at offset %d", ErrBadUUID, s, i)
		}
		hex[n], hex[n+1] = lower(c), lower(t[i+1])
		n += 2
		i += 2
	}
	if n != 32 {
		return "", fmt.Errorf("%w '%s': %d hex digits, want 32", ErrBadUUID, s, n)
	}
	h := string(hex[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32], nil
}

// IsCanonicalUUID reports whether s is already the form ParseUUID
// returns, lowercase 8-4-4-4-12.
func IsCanonicalUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := range len(s) {
		switch c := s[i]; i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}
