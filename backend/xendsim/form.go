package xendsim

import "strings"

// form is xend's view of request arguments: each key maps to a list of
// values, in the order they came.
type form map[string][]string

func (f form) first(key string) string {
	if v := f[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// without returns a copy of f lacking key.
func (f form) without(key string) map[string][]string {
	out := make(map[string][]string, len(f))
	for k, v := range f {
		if k != key {
			out[k] = v
		}
	}
	return out
}

// parseQS decodes a query string or form body the way xend's Python 2
// cgi.parse_qs(…, keep_blank_values=True) does: pairs split on & and on ;,
// + is a space, %XX is decoded when XX is hex and kept as is otherwise, a
// pair with no = has an empty value. Raw spaces, quotes and parentheses,
// which old libvirt sent unencoded, pass through unchanged.
func parseQS(s string, into form) {
	// A listing sends thousands of requests with one pair each
	// ("detail=1"): pairs are cut off s in place, not split into slices.
	for s != "" {
		i := strings.IndexAny(s, "&;")
		pair := s
		if i < 0 {
			s = ""
		} else {
			pair, s = s[:i], s[i+1:]
		}
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		name = pyUnquote(strings.ReplaceAll(name, "+", " "))
		value = pyUnquote(strings.ReplaceAll(value, "+", " "))
		into[name] = append(into[name], value)
	}
}

func pyUnquote(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
