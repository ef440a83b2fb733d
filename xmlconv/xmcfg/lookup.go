package xmcfg

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The typed lookups below are libvirt's accessors as the xm converter
// used them (§1.4, modern generation, which is the Target): each says how
// it treats an absent key, an integer, a string and a list, and fails with
// libvirt's message, placed at the value.

func (c *Config) fail(key string, v *Value, format string) error {
	e := &ValueError{Source: c.Source, Key: key, Msg: fmt.Sprintf(format, key)}
	if v != nil {
		e.Pos = v.Pos
	}
	return e
}

// Str returns a string value, or def when name is absent. An empty string
// is a value, not an absence: bootloader = "" is an empty bootloader.
func (c *Config) Str(name, def string) (string, error) {
	v, ok := c.Lookup(name)
	if !ok {
		return def, nil
	}
	if v.Kind != KindString {
		return "", c.fail(name, &v, "config value %s was malformed")
	}
	return v.Str, nil
}

// ReqStr returns a string value that must be there (name; kernel for HVM).
func (c *Config) ReqStr(name string) (string, error) {
	v, ok := c.Lookup(name)
	if !ok {
		return "", c.fail(name, nil, "config value %s was missing")
	}
	if v.Kind != KindString {
		return "", c.fail(name, &v, "config value %s was not a string")
	}
	return v.Str, nil
}

// OptStr returns a string value and whether name is set at all.
func (c *Config) OptStr(name string) (s string, ok bool, err error) {
	v, ok := c.Lookup(name)
	if !ok {
		return "", false, nil
	}
	if v.Kind != KindString {
		return "", false, c.fail(name, &v, "config value %s was not a string")
	}
	return v.Str, true, nil
}

// Bool reads a flag (pae, acpi, vnc, …). An integer is true when non-zero,
// but a literal with '-' is malformed; a string is true only when it is
// exactly "1", so "yes" and "true" are false, as in libvirt.
func (c *Config) Bool(name string, def bool) (bool, error) {
	v, ok := c.Lookup(name)
	if !ok {
		return def, nil
	}
	switch {
	case v.Kind == KindInt && !v.Neg:
		return v.Num != 0, nil
	case v.Kind == KindString:
		return v.Str == "1", nil
	}
	return false, c.fail(name, &v, "config value %s was malformed")
}

// UInt reads a count (memory, vcpus, vncdisplay, …). An integer literal
// with '-' is malformed. A string must be a whole decimal number, as C's
// strtoul with no trailing junk reads it ("512" yes, "512M" no); unlike
// strtoul a '-' is refused rather than wrapped around.
func (c *Config) UInt(name string, def uint64) (uint64, error) {
	v, ok := c.Lookup(name)
	if !ok {
		return def, nil
	}
	switch v.Kind {
	case KindInt:
		if !v.Neg {
			return v.Num, nil
		}
	case KindString:
		if n, neg, ok := parseCInt(v.Str); ok && !neg {
			return n, nil
		}
	}
	return 0, c.fail(name, &v, "config value %s was malformed")
}

// Int is UInt for the one key that may be negative, rtc_timeoffset: libvirt
// 0.9-1.2 accepted a negative offset and Xen means it (§1.4 Target).
func (c *Config) Int(name string, def int64) (int64, error) {
	v, ok := c.Lookup(name)
	if !ok {
		return def, nil
	}
	switch v.Kind {
	case KindInt:
		if n, ok := v.Int64(); ok {
			return n, nil
		}
	case KindString:
		if n, neg, ok := parseCInt(v.Str); ok {
			if s, ok := (Value{Kind: KindInt, Num: n, Neg: neg}).Int64(); ok {
				return s, nil
			}
		}
	}
	return 0, c.fail(name, &v, "config value %s was malformed")
}

// List returns the items of a list value and whether name is set. The
// caller decides what a non-string item means; libvirt mostly skips it.
func (c *Config) List(name string) ([]Value, bool, error) {
	v, ok := c.Lookup(name)
	if !ok {
		return nil, false, nil
	}
	if v.Kind != KindList {
		return nil, false, c.fail(name, &v, "config value %s is not a list")
	}
	return v.Items, true, nil
}

// parseCInt reads a decimal number the way strtoul/strtol with a full
// match do: leading C white space, one optional sign, digits, nothing
// after. The result is a magnitude and a sign.
func parseCInt(s string) (n uint64, neg bool, ok bool) {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false, false
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || neg && n > math.MaxInt64+1 {
		return 0, false, false
	}
	return n, neg, true
}
