package xmcfg

import "math"

// Kind tells which literal a Value holds.
type Kind uint8

const (
	KindString Kind = iota + 1
	KindInt
	KindList
)

func (k Kind) String() string {
	switch k {
	case KindString:
		return "string"
	case KindInt:
		return "integer"
	case KindList:
		return "list"
	}
	return "invalid"
}

// Value is one literal: a string, an integer or a list of values.
//
// An integer keeps its magnitude and whether its literal had a '-': libvirt
// files every literal with a '-' (even -0) as signed and every other as
// unsigned, and its unsigned lookups refuse the signed class (§1.2, §1.4).
type Value struct {
	Kind  Kind
	Str   string  // KindString: the bytes between the quotes, unescaped
	Num   uint64  // KindInt: the magnitude
	Neg   bool    // KindInt: the literal had a '-'
	Items []Value // KindList
	Pos   Pos     // where the literal starts; zero for values built in Go
}

// Str makes a string value.
func Str(s string) Value { return Value{Kind: KindString, Str: s} }

// Int makes an integer value; only a negative n is of the signed class.
func Int(n int64) Value {
	if n < 0 {
		return Value{Kind: KindInt, Num: uint64(-(n + 1)) + 1, Neg: true}
	}
	return Value{Kind: KindInt, Num: uint64(n)}
}

// Uint makes an unsigned integer value.
func Uint(n uint64) Value { return Value{Kind: KindInt, Num: n} }

// List makes a list value.
func List(items ...Value) Value { return Value{Kind: KindList, Items: items} }

// Strs makes a list of strings, the shape of disk, vif, pci and vfb.
func Strs(ss ...string) Value {
	items := make([]Value, len(ss))
	for i, s := range ss {
		items[i] = Str(s)
	}
	return List(items...)
}

// Int64 returns an integer value as an int64; ok is false for other kinds
// and for magnitudes an int64 cannot hold.
func (v Value) Int64() (n int64, ok bool) {
	if v.Kind != KindInt {
		return 0, false
	}
	if v.Neg {
		if v.Num > 1<<63 {
			return 0, false
		}
		return -int64(v.Num-1) - 1, true
	}
	if v.Num > math.MaxInt64 {
		return 0, false
	}
	return int64(v.Num), true
}

// Equal reports whether a and b hold the same literal, positions aside.
func Equal(a, b Value) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case KindString:
		return a.Str == b.Str
	case KindInt:
		return a.Num == b.Num && a.Neg == b.Neg
	case KindList:
		if len(a.Items) != len(b.Items) {
			return false
		}
		for i := range a.Items {
			if !Equal(a.Items[i], b.Items[i]) {
				return false
			}
		}
		return true
	}
	return true
}
