package xmcfg

import (
	"errors"
	"strings"
	"testing"
)

const lookupSrc = `name = "guest"
uuid = 12
empty = ""
one = "1"
yes = "yes"
zero = 0
seven = 7
minus = -1
minus0 = -0
big = 18446744073709551615
str512 = "512"
strsp = " +512"
str512M = "512M"
strneg = "-60"
strempty = ""
lst = [ "a", 1 ]
kernel = [ "/boot/vmlinuz" ]
name = "second"
`

func lookupConfig(t *testing.T) *Config {
	t.Helper()
	c, err := ParseString(lookupSrc, "guest.cfg")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkErr wants libvirt's message, placed at the value when there is one.
func checkErr(t *testing.T, what string, err error, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Errorf("%s: unexpected error %v", what, err)
		}
		return
	}
	if !errors.Is(err, ErrValueAccess) || !strings.HasSuffix(err.Error(), want) || !strings.HasPrefix(err.Error(), "guest.cfg") {
		t.Errorf("%s: error %v, want guest.cfg…%s", what, err, want)
	}
}

func TestStrLookups(t *testing.T) {
	c := lookupConfig(t)
	tests := []struct {
		key, def, want, err string
	}{
		{"name", "", "guest", ""}, // the first of two wins, as in libvirt
		{"empty", "dflt", "", ""}, // an empty string is set, not absent
		{"absent", "dflt", "dflt", ""},
		{"seven", "", "", ":7:9: config value seven was malformed"},
		{"lst", "", "", ":16:7: config value lst was malformed"},
	}
	for _, tt := range tests {
		got, err := c.Str(tt.key, tt.def)
		checkErr(t, "Str "+tt.key, err, tt.err)
		if got != tt.want {
			t.Errorf("Str(%s) = %q, want %q", tt.key, got, tt.want)
		}
	}

	if s, err := c.ReqStr("name"); s != "guest" || err != nil {
		t.Errorf("ReqStr(name) = %q, %v", s, err)
	}
	_, err := c.ReqStr("absent")
	checkErr(t, "ReqStr absent", err, "guest.cfg: config value absent was missing")
	_, err = c.ReqStr("uuid")
	checkErr(t, "ReqStr uuid", err, ":2:8: config value uuid was not a string")
	_, err = c.ReqStr("kernel")
	checkErr(t, "ReqStr kernel", err, ":17:10: config value kernel was not a string")

	if s, ok, err := c.OptStr("empty"); s != "" || !ok || err != nil {
		t.Errorf("OptStr(empty) = %q, %v, %v", s, ok, err)
	}
	if s, ok, err := c.OptStr("absent"); s != "" || ok || err != nil {
		t.Errorf("OptStr(absent) = %q, %v, %v", s, ok, err)
	}
	_, _, err = c.OptStr("zero")
	checkErr(t, "OptStr zero", err, ":6:8: config value zero was not a string")
}

func TestBoolLookup(t *testing.T) {
	c := lookupConfig(t)
	tests := []struct {
		key       string
		def, want bool
		err       string
	}{
		{"absent", true, true, ""},
		{"absent", false, false, ""},
		{"zero", true, false, ""},
		{"seven", false, true, ""},
		{"big", false, true, ""},
		{"one", false, true, ""},   // exactly "1"
		{"yes", true, false, ""},   // any other text is false, as in libvirt
		{"empty", true, false, ""}, //
		{"minus", false, false, "config value minus was malformed"},
		{"minus0", false, false, "config value minus0 was malformed"}, // the signed class
		{"lst", false, false, "config value lst was malformed"},
	}
	for _, tt := range tests {
		got, err := c.Bool(tt.key, tt.def)
		checkErr(t, "Bool "+tt.key, err, tt.err)
		if got != tt.want {
			t.Errorf("Bool(%s, %v) = %v, want %v", tt.key, tt.def, got, tt.want)
		}
	}
}

func TestNumberLookups(t *testing.T) {
	c := lookupConfig(t)
	utests := []struct {
		key       string
		def, want uint64
		err       string
	}{
		{"absent", 128, 128, ""},
		{"seven", 0, 7, ""},
		{"big", 0, 1<<64 - 1, ""},
		{"str512", 0, 512, ""},                                  // an integer given as a string
		{"strsp", 0, 512, ""},                                   // strtoul skips blanks and takes a '+'
		{"str512M", 0, 0, "config value str512M was malformed"}, // no trailing junk
		{"strneg", 0, 0, "config value strneg was malformed"},
		{"strempty", 0, 0, "config value strempty was malformed"},
		{"minus", 0, 0, "config value minus was malformed"},
		{"minus0", 0, 0, "config value minus0 was malformed"},
		{"lst", 0, 0, "config value lst was malformed"},
	}
	for _, tt := range utests {
		got, err := c.UInt(tt.key, tt.def)
		checkErr(t, "UInt "+tt.key, err, tt.err)
		if got != tt.want {
			t.Errorf("UInt(%s) = %d, want %d", tt.key, got, tt.want)
		}
	}
	// Int is for rtc_timeoffset, where a negative offset is valid.
	itests := []struct {
		key       string
		def, want int64
		err       string
	}{
		{"absent", 0, 0, ""},
		{"minus", 0, -1, ""},
		{"minus0", 5, 0, ""},
		{"strneg", 0, -60, ""},
		{"seven", 0, 7, ""},
		{"big", 0, 0, "config value big was malformed"}, // beyond int64
		{"str512M", 0, 0, "config value str512M was malformed"},
		{"name", 0, 0, "config value name was malformed"},
	}
	for _, tt := range itests {
		got, err := c.Int(tt.key, tt.def)
		checkErr(t, "Int "+tt.key, err, tt.err)
		if got != tt.want {
			t.Errorf("Int(%s) = %d, want %d", tt.key, got, tt.want)
		}
	}
}

func TestListLookup(t *testing.T) {
	c := lookupConfig(t)
	items, ok, err := c.List("lst")
	if !ok || err != nil || !Equal(List(items...), List(Str("a"), Int(1))) {
		t.Errorf("List(lst) = %s, %v, %v", literal(List(items...)), ok, err)
	}
	if items, ok, err := c.List("absent"); items != nil || ok || err != nil {
		t.Errorf("List(absent) = %v, %v, %v", items, ok, err)
	}
	_, _, err = c.List("name")
	checkErr(t, "List name", err, ":1:8: config value name is not a list")
}

func TestValueInt64(t *testing.T) {
	for _, tt := range []struct {
		v    Value
		want int64
		ok   bool
	}{
		{Int(-1 << 63), -1 << 63, true},
		{Int(1<<63 - 1), 1<<63 - 1, true},
		{Uint(1 << 63), 0, false},
		{Value{Kind: KindInt, Num: 1<<63 + 1, Neg: true}, 0, false},
		{Str("1"), 0, false},
	} {
		if got, ok := tt.v.Int64(); got != tt.want || ok != tt.ok {
			t.Errorf("%s.Int64() = %d, %v", literal(tt.v), got, ok)
		}
	}
}
