package xmcfg

import (
	"errors"
	"strings"
	"testing"
)

func marshal1(t *testing.T, v Value) string {
	t.Helper()
	b, err := (&Config{Entries: []Entry{{Name: "k", Value: v}}}).Marshal()
	if err != nil {
		t.Fatalf("Marshal(%s): %v", literal(v), err)
	}
	return strings.TrimSuffix(strings.TrimPrefix(string(b), "k = "), "\n")
}

// xm-config.md §1.5: the first delimiter that fits, no escaping.
func TestMarshalQuoting(t *testing.T) {
	tests := []struct {
		v    Value
		want string
	}{
		{Str("guest"), `"guest"`},
		{Str(""), `""`},
		{Str("XenGuest2&test"), `"XenGuest2&test"`},
		{Str(`C:\new\"`), `'C:\new\"'`},
		{Str(`it's`), `"it's"`},
		{Str(`say "hi"`), `'say "hi"'`},
		{Str(`both ' and " x`), `"""both ' and " x"""`},
		{Str("two\nlines"), "\"\"\"two\nlines\"\"\""},
		{Str("cr\ronly"), "\"\"\"cr\ronly\"\"\""},
		{Str("\"quoted\"\nlines'"), "\"\"\"\"quoted\"\nlines'\"\"\""},
		{Int(0), "0"},
		{Int(-5), "-5"},
		{Uint(1<<64 - 1), "18446744073709551615"},
		{Int(-1 << 63), "-9223372036854775808"},
		{neg(0), "-0"},
		{Strs("phy:/dev/HostVG/XenGuest2,hda,w", "file:/root/boot.iso&test,hdc:cdrom,r"),
			`[ "phy:/dev/HostVG/XenGuest2,hda,w", "file:/root/boot.iso&test,hdc:cdrom,r" ]`},
		{Strs("one"), `[ "one" ]`},
		{List(), `[  ]`},
		{List(Int(1), List(Str("x")), Str(`a"`)), `[ 1, [ "x" ], 'a"' ]`},
	}
	for _, tt := range tests {
		v := tt.v
		got := marshal1(t, v)
		if got != tt.want {
			t.Errorf("%s written as %s, want %s", literal(v), got, tt.want)
			continue
		}
		c, err := ParseString("k = "+got, "")
		if err != nil || !Equal(c.Entries[0].Value, v) {
			t.Errorf("%s does not read back: %v", got, err)
		}
	}
}

// The writer refuses what would not read back, before writing anything,
// and names the key (§1.5 Target, §4.2).
func TestMarshalRefuses(t *testing.T) {
	deep := Str("x")
	for range MaxDepth + 1 {
		deep = List(deep)
	}
	tests := []struct {
		name  string
		key   string
		v     Value
		inMsg string
	}{
		{"triple quotes inside", "extra", Str("a\n\"\"\"b"), `holds """`},
		{"both quotes and triple quotes", "extra", Str(`'"""'`), `holds """`},
		{"needs triple, ends in a quote", "extra", Str("a\nb\""), `ends in '"'`},
		{"both quotes, ends in a quote", "extra", Str(`it's "x"`), `ends in '"'`},
		{"NUL", "name", Str("a\x00b"), "NUL"},
		{"NUL in a list", "disk", Strs("ok", "a\x00"), "NUL"},
		{"too deep", "x", deep, "nested"},
		{"empty name", "", Int(1), "not a name"},
		{"name with a digit first", "1a", Int(1), "not a name"},
		{"name with a dash", "on-crash", Int(1), "not a name"},
		{"name with a blank", "a b", Int(1), "not a name"},
		{"no kind", "x", Value{}, "no kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Config{}
			c.Set("name", Str("ok"))
			c.Set(tt.key, tt.v)
			b, err := c.Marshal()
			if !errors.Is(err, ErrUnwritable) || b != nil {
				t.Fatalf("Marshal = %q, %v; want nothing and ErrUnwritable", b, err)
			}
			var we *WriteError
			if !errors.As(err, &we) || we.Key != tt.key || !strings.Contains(err.Error(), tt.inMsg) {
				t.Fatalf("error %v: want key %q and %q in the message", err, tt.key, tt.inMsg)
			}
		})
	}
}

// The PV guest of xm-config.md §7.2, set key by key in the §1.6 order as
// the codec will, comes out as the file libvirt writes.
func TestMarshalSpecExample(t *testing.T) {
	c := &Config{}
	c.Set("name", Str("XenGuest1"))
	c.Set("uuid", Str("c7a5fdb0-cdaf-9455-926a-d65c16db1809"))
	c.Set("maxmem", Int(579))
	c.Set("memory", Int(394))
	c.Set("vcpus", Int(1))
	c.Set("bootloader", Str("/usr/bin/pygrub"))
	c.Set("localtime", Int(0))
	c.Set("on_poweroff", Str("destroy"))
	c.Set("on_reboot", Str("restart"))
	c.Set("on_crash", Str("restart"))
	c.Set("vfb", Strs("type=vnc,vncunused=0,vncdisplay=25,vnclisten=127.0.0.1,vncpasswd=123poi"))
	c.Set("disk", Strs("phy:/dev/HostVG/XenGuest1,xvda,w"))
	c.Set("vif", Strs("mac=00:16:3e:66:94:9c,bridge=br0,script=vif-bridge"))
	want := `name = "XenGuest1"
uuid = "c7a5fdb0-cdaf-9455-926a-d65c16db1809"
maxmem = 579
memory = 394
vcpus = 1
bootloader = "/usr/bin/pygrub"
localtime = 0
on_poweroff = "destroy"
on_reboot = "restart"
on_crash = "restart"
vfb = [ "type=vnc,vncunused=0,vncdisplay=25,vnclisten=127.0.0.1,vncpasswd=123poi" ]
disk = [ "phy:/dev/HostVG/XenGuest1,xvda,w" ]
vif = [ "mac=00:16:3e:66:94:9c,bridge=br0,script=vif-bridge" ]
`
	b, err := c.Marshal()
	if err != nil || string(b) != want {
		t.Fatalf("Marshal: %v\n%s\nwant\n%s", err, b, want)
	}
	// Shuffled, then sorted: the same file.
	shuffled := &Config{Entries: append([]Entry(nil), c.Entries...)}
	for i, j := 0, len(shuffled.Entries)-1; i < j; i, j = i+1, j-1 {
		shuffled.Entries[i], shuffled.Entries[j] = shuffled.Entries[j], shuffled.Entries[i]
	}
	shuffled.SortKeys()
	if b, _ := shuffled.Marshal(); string(b) != want {
		t.Fatalf("SortKeys:\n%s", b)
	}
}

func TestSortKeysHVM(t *testing.T) {
	c := &Config{}
	for _, k := range []string{"zz_custom", "soundhw", "serial", "parallel", "disk", "vnc", "sdl",
		"usbdevice", "device_model", "on_crash", "localtime", "rtc_timeoffset", "cdrom", "viridian",
		"hap", "apic", "acpi", "pae", "boot", "kernel", "builder", "cpus", "vcpus", "memory", "maxmem",
		"uuid", "name", "aa_custom"} {
		c.Entries = append(c.Entries, Entry{Name: k, Value: Int(1)})
	}
	c.SortKeys()
	var got []string
	for _, e := range c.Entries {
		got = append(got, e.Name)
	}
	want := "name uuid maxmem memory vcpus cpus builder kernel boot pae acpi apic hap viridian cdrom " +
		"rtc_timeoffset localtime on_crash device_model usbdevice sdl vnc disk parallel serial soundhw " +
		"zz_custom aa_custom"
	if strings.Join(got, " ") != want {
		t.Fatalf("order\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestSetAndDelete(t *testing.T) {
	c, err := ParseString("a = 1\nb = 2\na = 3\nc = 4\na = 5", "")
	if err != nil {
		t.Fatal(err)
	}
	c.Set("a", Str("x")) // in place; the later a's, which xm would take, go
	c.Set("d", Int(6))   // appended
	if show(c.Entries) != `a="x" b=2 c=4 d=6 ` {
		t.Fatalf("after Set: %s", show(c.Entries))
	}
	c.Delete("b")
	c.Delete("nothing")
	if b, err := c.Marshal(); err != nil || string(b) != "a = \"x\"\nc = 4\nd = 6\n" {
		t.Fatalf("after Delete: %q, %v", b, err)
	}
}

// Reading the fixtures, writing them and reading again gives the same
// entries, so a file xvirsh rewrites keeps every value.
func TestRewriteFixtures(t *testing.T) {
	for _, name := range []string{"hvm-guest.cfg", "pv-guest.cfg"} {
		c, err := ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		b, err := c.Marshal()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		back, err := Parse(b, "rewritten")
		if err != nil || !sameEntries(back.Entries, c.Entries) {
			t.Fatalf("%s: rewritten form does not read back (%v):\n%s", name, err, b)
		}
	}
}
