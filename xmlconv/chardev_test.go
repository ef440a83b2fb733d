package xmlconv

import (
	"strings"
	"testing"

	"github.com/beevik/etree"
)

// txCompact prints an element on one line, attributes single-quoted.
func txCompact(t *testing.T, el *etree.Element) string {
	t.Helper()
	if el == nil {
		return "<nil>"
	}
	doc := etree.NewDocument()
	doc.WriteSettings.AttrSingleQuote = true
	doc.SetRoot(el.Copy())
	doc.Unindent()
	s, err := doc.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestToXMLCharDevForms covers every string form xend uses for HVM serial
// and parallel ports, each as a serial and as a parallel port.
func TestToXMLCharDevForms(t *testing.T) {
	for _, tc := range []struct {
		form string
		want string // inner XML, before <target>
	}{
		{"pty", ""},
		{"null", ""},
		{"vc", ""},
		{"stdio", ""},
		{"/dev/ttyS0", "<source path='/dev/ttyS0'/>"},
		{"file:/var/log/guest:serial.log", "<source path='/var/log/guest:serial.log'/>"},
		{"pipe:/run/guest.pipe", "<source path='/run/guest.pipe'/>"},
		{"tcp:192.0.2.7:7000", "<source mode='connect' host='192.0.2.7' service='7000'/><protocol type='raw'/>"},
		{"tcp::7001,server,nowait", "<source mode='bind' service='7001'/><protocol type='raw'/>"},
		{"telnet:0.0.0.0:7002,nowait,server", "<source mode='bind' host='0.0.0.0' service='7002'/><protocol type='telnet'/>"},
		{"udp:192.0.2.8:7003", "<source mode='connect' host='192.0.2.8' service='7003'/>"},
		{"udp:192.0.2.8:7003@:7004", "<source mode='bind' service='7004'/><source mode='connect' host='192.0.2.8' service='7003'/>"},
		{"udp::7003@0.0.0.0:7004", "<source mode='bind' host='0.0.0.0' service='7004'/><source mode='connect' service='7003'/>"},
		{"unix:/run/guest.sock,server,nowait", "<source mode='bind' path='/run/guest.sock'/>"},
		{"unix:/run/guest.sock", "<source mode='connect' path='/run/guest.sock'/>"},
		{"dev:/dev/ttyS2", "<source path='/dev/ttyS2'/>"},
	} {
		typ := tc.form
		switch {
		case strings.HasPrefix(typ, "/"):
			typ = "dev"
		case strings.HasPrefix(typ, "telnet"):
			typ = "tcp"
		default:
			typ, _, _ = strings.Cut(typ, ":")
		}
		for _, kind := range []string{"serial", "parallel"} {
			t.Run(kind+"/"+tc.form, func(t *testing.T) {
				root := txDoc(t, txConvert(t, txHVM("("+kind+" '"+tc.form+"')", ""), Options{}))
				want := "<" + kind + " type='" + typ + "'>" + tc.want + "<target port='0'/></" + kind + ">"
				if got := txCompact(t, root.FindElement("devices/"+kind)); got != want {
					t.Errorf("(%s %s):\n got %s\nwant %s", kind, tc.form, got, want)
				}
			})
		}
	}
}

func TestToXMLSerialList(t *testing.T) {
	root := txDoc(t, txConvert(t, txHVM("(serial (none /dev/ttyS1 none 'tcp:h:1') (pty))", ""), Options{TTY: "/dev/pts/9"}))
	var got []string
	for _, s := range root.FindElements("devices/serial") {
		got = append(got, txCompact(t, s))
	}
	want := []string{
		"<serial type='dev'><source path='/dev/ttyS1'/><target port='1'/></serial>",
		"<serial type='tcp'><source mode='connect' host='h' service='1'/><protocol type='raw'/><target port='3'/></serial>",
		"<serial type='pty'><target port='4'/></serial>", // the tty is the first port's
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("serials:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	// the console mirrors the first serial port, port number included
	if c := txCompact(t, root.FindElement("devices/console")); c != "<console type='dev'><source path='/dev/ttyS1'/><target type='serial' port='1'/></console>" {
		t.Errorf("console %s", c)
	}
}

func TestToXMLPVIgnoresSerial(t *testing.T) {
	root := txDoc(t, txConvert(t, txPV(""), Options{}))
	if root.FindElement("devices/serial") != nil {
		t.Error("PV guest got a serial port")
	}
	if c := txCompact(t, root.FindElement("devices/console")); c != "<console type='pty'><target type='xen' port='0'/></console>" {
		t.Errorf("PV console %s", c)
	}
}

// mapping.md §7.2.1: a bare B/s is kilobytes, bits divide by 8 rounding down.
func TestToXMLVifRate(t *testing.T) {
	for _, tc := range []struct {
		rate string
		want uint64
	}{
		{"10240KB/s", 10240}, {"10MB/s", 10240}, {"1GB/s", 1048576}, {"100Mb/s", 12800},
		{"8Kb/s", 1}, {"512B/s", 512}, {"2048B/s", 2048}, {"1b/s", 0}, {"10MB/s@50ms", 10240},
		{"0KB/s", 0},
	} {
		got, err := txParseVifRate(tc.rate)
		if err != nil || got != tc.want {
			t.Errorf("rate %s: got %d, %v; want %d", tc.rate, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "KB/s", "10kB/s", "10 MB/s", "10MB", "10TB/s", "1.5MB/s"} {
		if _, err := txParseVifRate(bad); err == nil {
			t.Errorf("rate %q accepted", bad)
		}
	}
}

func TestToXMLIntegers(t *testing.T) {
	for _, tc := range []struct {
		in           string
		v            int64
		digits, full bool
	}{
		{"42", 42, true, true}, {"0x1f", 31, true, true}, {"017", 15, true, true},
		{"512M", 512, true, false}, {" -3", -3, true, true}, {"08", 0, true, false},
		{"0x", 0, true, false}, {"", 0, false, false}, {"abc", 0, false, false},
		{"99999999999999999999", 1<<63 - 1, true, true},
	} {
		v, d, f := txScanInt(tc.in)
		if v != tc.v || d != tc.digits || f != tc.full {
			t.Errorf("txScanInt(%q) = %d, %v, %v; want %d, %v, %v", tc.in, v, d, f, tc.v, tc.digits, tc.full)
		}
	}
}
