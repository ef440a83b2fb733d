package xmcfg

import (
	"slices"
	"strconv"
	"strings"
)

// Set gives name the value v. The first entry of that name keeps its place
// and takes v, as in libvirt's writer (§1.5), so setting the keys in the
// §1.6 order, as the xm codec does, gives the canonical file; a new name is
// appended. Later entries of the name are dropped: xm would take the last
// one, libvirt the first, and after Set both must see v.
func (c *Config) Set(name string, v Value) {
	same := func(e Entry) bool { return e.Name == name }
	i := slices.IndexFunc(c.Entries, same)
	if i < 0 {
		c.Entries = append(c.Entries, Entry{Name: name, Value: v})
		return
	}
	c.Entries[i].Value = v
	rest := slices.DeleteFunc(c.Entries[i+1:], same)
	c.Entries = c.Entries[:i+1+len(rest)]
}

// Delete removes every entry of the name.
func (c *Config) Delete(name string) {
	c.Entries = slices.DeleteFunc(c.Entries, func(e Entry) bool { return e.Name == name })
}

// Marshal writes the entries, one "NAME = VALUE" line each, in order.
// It checks every entry before writing any, so a value that cannot be
// written costs the whole file, never half of it.
func (c *Config) Marshal() ([]byte, error) {
	var b []byte
	for _, e := range c.Entries {
		if !validName(e.Name) {
			return nil, &WriteError{Key: e.Name, Detail: "not a name: an ASCII letter, then letters, digits and '_'"}
		}
		b = append(b, e.Name...)
		b = append(b, " = "...)
		var err error
		if b, err = appendValue(b, e.Value, 0); err != nil {
			err.(*WriteError).Key = e.Name
			return nil, err
		}
		b = append(b, '\n')
	}
	return b, nil
}

func validName(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlpha(c) && !isDigit(c) && c != '_' {
			return false
		}
	}
	return true
}

func appendValue(b []byte, v Value, depth int) ([]byte, error) {
	switch v.Kind {
	case KindString:
		return appendString(b, v.Str)
	case KindInt:
		if v.Neg {
			b = append(b, '-')
		}
		return strconv.AppendUint(b, v.Num, 10), nil
	case KindList:
		if depth >= MaxDepth {
			return nil, &WriteError{Detail: "lists nested too deeply to be read back"}
		}
		// libvirt: "[ " + items joined by ", " + " ]", on one line.
		b = append(b, "[ "...)
		for i, item := range v.Items {
			if i > 0 {
				b = append(b, ", "...)
			}
			var err error
			if b, err = appendValue(b, item, depth+1); err != nil {
				return nil, err
			}
		}
		return append(b, " ]"...), nil
	}
	return nil, &WriteError{Detail: "a value of no kind"}
}

// appendString quotes s with the first delimiter of §1.5 that fits. No
// delimiter takes escapes, so a value that none can hold is refused: one
// with a NUL, or one that needs """ and contains """ or ends in '"'.
// A CR sends a value to """ as an LF does (libvirt only checked LF and
// wrote a "…" string that cannot be read back).
func appendString(b []byte, s string) ([]byte, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return nil, &WriteError{Detail: "a string holds a NUL byte"}
	}
	multiline := strings.ContainsAny(s, "\n\r")
	var q string
	switch {
	case !multiline && !strings.Contains(s, `"`):
		q = `"`
	case !multiline && !strings.Contains(s, `'`):
		q = `'`
	case strings.Contains(s, `"""`):
		return nil, &WriteError{Detail: `a string that needs """ quotes holds """: ` + strconv.Quote(s)}
	case strings.HasSuffix(s, `"`):
		return nil, &WriteError{Detail: `a string that needs """ quotes ends in '"': ` + strconv.Quote(s)}
	default:
		q = `"""`
	}
	b = append(b, q...)
	b = append(b, s...)
	return append(b, q...), nil
}
