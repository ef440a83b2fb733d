package xmlconv

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"xvirsh/xmlconv/xmcfg"
)

// xmToXML reads cfg text and converts it at version v.
func xmToXML(t *testing.T, cfg string, v int) (string, error) {
	t.Helper()
	c, err := xmcfg.ParseString(cfg, xmcfg.MemorySource)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return XMToXML(c, Options{Version: v})
}

// xmFromXML converts XML to the bytes of an xm file at version v.
func xmFromXML(t *testing.T, xml string, v int) string {
	t.Helper()
	c, err := ToXM([]byte(xml), v)
	if err != nil {
		t.Fatalf("ToXM: %v\n%s", err, xml)
	}
	b, err := c.Marshal()
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	return string(b)
}

// TestXMRoundTrip: for every fixture in testdata/xm (NAME-vN.cfg, made
// at format N), cfg -> XML -> cfg -> XML gives the same XML (issue 9).
func TestXMRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("testdata/xm/*.cfg")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range files {
		base := strings.TrimSuffix(filepath.Base(f), ".cfg")
		v, err := strconv.Atoi(base[strings.LastIndex(base, "-v")+2:])
		if err != nil {
			t.Fatalf("%s: no -vN in the name", f)
		}
		t.Run(base, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			x1, err := xmToXML(t, string(src), v)
			if err != nil {
				t.Fatal(err)
			}
			c2 := xmFromXML(t, x1, v)
			x2, err := xmToXML(t, c2, v)
			if err != nil {
				t.Fatalf("%v\n%s", err, c2)
			}
			if x1 != x2 {
				t.Errorf("X1 != X2\ncfg2:\n%s\nX1:\n%s\nX2:\n%s", c2, x1, x2)
			}
		})
	}
}

// TestXMRead checks what a user sees of single keys (xm-config.md §3).
func TestXMRead(t *testing.T) {
	const hvm = "name = \"g\"\nbuilder = \"hvm\"\nkernel = \"/l\"\n"
	const pv = "name = \"g\"\n"
	for _, tc := range []struct {
		name, cfg string
		v         int
		want      []string
		not       []string
	}{
		{"defaults pv", pv, 4, []string{"<memory unit='KiB'>131072</memory>", "<on_crash>restart</on_crash>",
			"<clock offset='utc' adjustment='reset'/>", "<console type='pty'>", "<target type='xen' port='0'/>", "<type>linux</type>"}, nil},
		{"features default on", hvm, 2, []string{"<acpi/>", "<apic/>", "<pae/>", "<clock offset='utc' adjustment='reset'/>"}, []string{"<hap"}},
		{"hap off v4 clock", hvm + "hap = 0\nrtc_timeoffset = 10\n", 4,
			[]string{"<hap state='off'/>", "<clock offset='variable' adjustment='10' basis='utc'/>"}, nil},
		{"boot unknown letter is hd", hvm + "boot = \"dz\"\n", 4, []string{"<boot dev='cdrom'/>\n    <boot dev='hd'/>"}, nil},
		{"vcpu_avail", pv + "vcpus = 4\nvcpu_avail = 5\n", 4, []string{"<vcpu current='2'>4</vcpu>"}, nil},
		{"vcpu_avail 0 is all", pv + "vcpus = 4\nvcpu_avail = 0\n", 4, []string{"<vcpu>4</vcpu>"}, nil},
		{"maxvcpus", pv + "maxvcpus = 4\nvcpus = 2\n", 4, []string{"<vcpu current='2'>4</vcpu>"}, nil},
		{"maxmem below memory clamps", pv + "memory = 512\nmaxmem = 256\n", 4, []string{"<currentMemory unit='KiB'>262144</currentMemory>"}, nil},
		{"root and extra", pv + "root = \"/dev/xvda2\"\nextra = \"ro\"\n", 4, []string{"<cmdline>root=/dev/xvda2 ro</cmdline>"}, nil},
		{"root only", pv + "root = \"/dev/xvda2\"\n", 4, []string{"<cmdline>root=/dev/xvda2</cmdline>"}, nil},
		{"empty bootloader kept", pv + "bootloader = \"\"\n", 4, []string{"<bootloader/>"}, nil},
		{"bare B/s rate is KB", pv + "vif = [ \"mac=00:16:3e:00:00:01,bridge=br0,rate=512B/s\" ]\n", 4, []string{"<outbound average='512'/>"}, nil},
		{"vif without = dropped", pv + "vif = [ \"\", \"mac=00:16:3e:00:00:01,bridge\" ]\n", 4, nil, []string{"<interface"}},
		{"netfront", hvm + "vif = [ \"mac=00:16:3e:00:00:01,bridge=br0,type=netfront\" ]\n", 4, []string{"<model type='netfront'/>"}, nil},
		{"rw mode is writable", pv + "disk = [ \"file:/x.img,xvda,rw\" ]\n", 4, nil, []string{"<readonly/>"}},
		{"two-field disk skipped", pv + "disk = [ \"file:/x.img,xvda\" ]\n", 4, nil, []string{"<disk"}},
		{"pv disk bus xen", pv + "disk = [ \"phy:/dev/x,hda,w\" ]\n", 4, []string{"<target dev='hda' bus='xen'/>"}, nil},
		{"no prefix is phy", hvm + "disk = [ \"/x.img,hda,w\" ]\n", 4, []string{"<disk type='block' device='disk'>", "<source dev='/x.img'/>"}, nil},
		{"cdrom key only v1", hvm + "cdrom = \"/i.iso\"\n", 2, nil, []string{"/i.iso"}},
		{"old pv keys ignored from v3", pv + "vnc = 1\n", 3, nil, []string{"<graphics"}},
		{"old pv keys before v3", pv + "vnc = 1\n", 2, []string{"<graphics type='vnc' port='-1' autoport='yes'/>"}, nil},
		{"vfb autoport only with vncunused=1", pv + "vfb = [ \"type=vnc,vnclisten=0.0.0.0\" ]\n", 4, []string{"autoport='no'"}, nil},
		{"vfb sdl anywhere", pv + "vfb = [ \"vnc=1,type=sdl,display=:0\" ]\n", 4, []string{"<graphics type='sdl' display=':0'/>"}, nil},
		{"serial empty is none", hvm + "serial = \"\"\n", 4, nil, []string{"<serial"}},
		{"hvm console mirrors serial", hvm + "serial = \"/dev/ttyS0\"\n", 4, []string{"<console type='dev'>"}, nil},
		{"uuid dashless", pv + "uuid = \"c7a5fdb2cdaf9455926ad65c16db1809\"\n", 4, []string{"<uuid>c7a5fdb2-cdaf-9455-926a-d65c16db1809</uuid>"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := xmToXML(t, tc.cfg, tc.v)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in\n%s", w, got)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(got, w) {
					t.Errorf("unexpected %q in\n%s", w, got)
				}
			}
		})
	}
}

// TestXMReadErrors: a bad value fails the file with a message that says
// what (xm-config.md §4.1).
func TestXMReadErrors(t *testing.T) {
	const hvm = "name = \"g\"\nbuilder = \"hvm\"\nkernel = \"/l\"\n"
	const pv = "name = \"g\"\n"
	for _, tc := range []struct{ cfg, want string }{
		{"memory = 1\n", "config value name was missing"},
		{"name = 1\n", "config value name was not a string"},
		{"name = \"g\"\nbuilder = \"hvm\"\n", "config value kernel was missing"},
		{pv + "uuid = 1\n", "config value uuid not a string"},
		{pv + "uuid = \"abc\"\n", "abc not parseable"},
		{pv + "memory = \"512M\"\n", "config value memory was malformed"},
		{pv + "memory = -1\n", "config value memory was malformed"},
		{pv + "on_reboot = \"coredump-destroy\"\n", "unexpected value coredump-destroy for on_reboot"},
		{pv + "cpus = \"0-x\"\n", "Failed to parse bitmap '0-x'"},
		{pv + "disk = \"phy:/dev/x,xvda,w\"\n", "expected a string list for 'disk' parameter"},
		{pv + "disk = [ \"tap:tapdisk:aio:/img,xvda,w\" ]\n", "Unknown driver type tapdisk:aio:/img"},
		{pv + "vif = [ \"mac=00:16:3e:00:00:zz\" ]\n", "malformed mac address '00:16:3e:00:00:zz'"},
		{pv + "vif = [ \"bridge=" + strings.Repeat("b", 50) + ",mac=00:16:3e:00:00:01\" ]\n", "too big for destination"},
		{pv + "vif = [ \"bridge=br0,rate=10kB/s\" ]\n", "Invalid rate '10kB/s' specified"},
		{pv + "vif = [ \"bridge=br0,ip=::1\" ]\n", "IPv4"},
		{pv + "pci = [ \"01:13.0\" ]\n", "pci '01:13.0'"},
		{pv + "pci = [ \"00000:01:13.0\" ]\n", "Domain 00000 too big for destination"},
		{pv + "vfb = [ \"type=vnc,vncdisplay=x\" ]\n", "invalid vncdisplay value 'x'"},
		{hvm + "soundhw = \"sb16,gus\"\n", "unknown sound model 'gus'"},
		{hvm + "serial = \"bogus:x\"\n", "serial 'bogus:x'"},
		{hvm + "serial = [ \"pty\", 1 ]\n", "serial port 1"},
		{hvm + "usbdevice = [ \"tablet\" ]\n", "config value usbdevice was malformed"},
		{pv + "vcpus = 0\n", "vcpus 0 out of range"},
	} {
		_, err := xmToXML(t, tc.cfg, 4)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.cfg, err, tc.want)
		}
	}
}

// TestXMWriteVersions: what the writer puts in the file per xend config
// format (xm-config.md §2, §7).
func TestXMWriteVersions(t *testing.T) {
	const hvmXML = `<domain type='xen'><name>h</name><uuid>c7a5fdb2-cdaf-9455-926a-d65c16db1809</uuid>
<memory>1025</memory><vcpu>1</vcpu><os><type>hvm</type><loader>/l</loader><boot dev='cdrom'/></os>
<features><pae/><hap state='off'/></features><clock offset='utc'/>
<devices><disk type='block' device='disk'><source dev='/dev/x'/><target dev='hda'/></disk>
<disk type='file' device='cdrom'><source file='/i.iso'/><target dev='hdc'/><readonly/></disk>
<disk type='file' device='floppy'><source file='/f.img'/><target dev='fda'/></disk>
<interface type='bridge'><mac address='00:16:3E:00:00:01'/><source bridge='br0'/><script path='my-script'/><target dev='vif3.0'/></interface>
<graphics type='vnc' port='5901' autoport='no'/></devices></domain>`
	const pvXML = `<domain type='xen'><name>p</name><uuid>c7a5fdb2-cdaf-9455-926a-d65c16db1809</uuid>
<memory>524288</memory><vcpu current='1'>2</vcpu><os><type>linux</type><kernel>/k</kernel><cmdline>ro</cmdline></os>
<clock offset='localtime'/><devices><graphics type='vnc' autoport='yes' listen='0.0.0.0'/></devices></domain>`
	for _, tc := range []struct {
		name, xml string
		v         int
		want, not []string
	}{
		{"hvm v1", hvmXML, 1, []string{`cdrom = "/i.iso"`, `disk = [ "phy:/dev/x,ioemu:hda,w" ]`, "type=ioemu", "vncdisplay = 1", "maxmem = 2\n"},
			[]string{"hap", "viridian", "rtc_timeoffset", "fda", "vif3.0"}},
		{"hvm v2", hvmXML, 2, []string{`"file:/i.iso,hdc:cdrom,r"`, "script=vif-bridge,type=ioemu", `serial = "none"`, `parallel = "none"`},
			[]string{"hap", "viridian", "my-script", "cdrom ="}},
		{"hvm serial list with a gap", strings.Replace(hvmXML, "</devices>", "<serial type='pty'><target port='1'/></serial></devices>", 1), 4,
			[]string{`serial = [ "none", "pty" ]`}, nil},
		{"hvm v3", hvmXML, 3, []string{"hap = 0", "viridian = 0", "type=ioemu"}, []string{"rtc_timeoffset"}},
		{"hvm v4", hvmXML, 4, []string{"hap = 0", "rtc_timeoffset = 0", "localtime = 0", "pae = 1\nacpi = 0\napic = 0"}, []string{"type=ioemu"}},
		{"pv v2 old keys", pvXML, 2, []string{"vnc = 1", "vncunused = 1", `vnclisten = "0.0.0.0"`, "vcpu_avail = 1", `extra = "ro"`, "localtime = 1"}, []string{"vfb", "serial", "builder"}},
		{"pv v4 vfb without port", strings.Replace(pvXML, "autoport='yes'", "port='0' autoport='no'", 1), 4,
			[]string{`vfb = [ "type=vnc,vncunused=0,vnclisten=0.0.0.0" ]`}, nil},
		{"pv v3 vfb", pvXML, 3, []string{`vfb = [ "type=vnc,vncunused=1,vnclisten=0.0.0.0" ]`}, []string{"vnc ="}},
		// Only the SEXPR formatter refuses a managed device (§3.12).
		{"pv managed pci", strings.Replace(pvXML, "</devices>", `<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0001' bus='0x0c' slot='0x1b' function='0x2'/></source></hostdev></devices>`, 1), 4,
			[]string{`pci = [ "0001:0c:1b.2" ]`}, nil},
		{"hvm busless tablet", strings.Replace(hvmXML, "</devices>", "<input type='tablet'/></devices>", 1), 4,
			[]string{"usb = 1", `usbdevice = "tablet"`}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := xmFromXML(t, tc.xml, tc.v)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in\n%s", w, got)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(got, w) {
					t.Errorf("unexpected %q in\n%s", w, got)
				}
			}
		})
	}
}

// TestXMWriteErrors: clocks a format cannot carry are refused (§3.7), and
// a value no quote can hold is refused when the file is written (§1.5).
func TestXMWriteErrors(t *testing.T) {
	base := func(os, clock string) string {
		return `<domain type='xen'><name>g</name><memory>524288</memory><vcpu>1</vcpu><os>` + os +
			`</os>` + clock + `<devices/></domain>`
	}
	hvm := "<type>hvm</type><loader>/l</loader>"
	for _, tc := range []struct {
		xml  string
		v    int
		want string
	}{
		{base(hvm, "<clock offset='variable' adjustment='5'/>"), 2, "unsupported clock offset='variable'"},
		{base(hvm, "<clock offset='utc' adjustment='reset'/>"), 4, "unsupported clock adjustment='reset'"},
		{base("<type>linux</type>", "<clock offset='timezone' timezone='Europe/Paris'/>"), 4, "unsupported clock offset='timezone'"},
	} {
		if _, err := ToXM([]byte(tc.xml), tc.v); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("v%d %s: got %v, want %q", tc.v, tc.xml, err, tc.want)
		}
	}
	c, err := ToXM([]byte(`<domain type='xen'><name>a'b"c"""</name><memory>524288</memory><vcpu>1</vcpu><os><type>linux</type></os><devices/></domain>`), 4)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Marshal(); err == nil {
		t.Error("a name with both quotes and a triple quote was written")
	}
}

// TestXMWriteListEntries: a disk, vif or vfb value that the readers would
// split or cut is refused with an error naming the key (xm-config.md §4.2
// "value not writable"; §3.9, §3.11, §3.13), and so are two IPs on one vif
// (§3.11 F step 2); what does read back, '=' in a value and values at the
// vif limits, is written and survives XML -> xm -> XML.
func TestXMWriteListEntries(t *testing.T) {
	pv := func(dev string) string { return string(pvDomain(dev)) }
	nic := func(inner string) string {
		return pv(`<interface type='bridge'><mac address='00:16:3e:00:00:01'/><source bridge='br0'/>` + inner + `</interface>`)
	}
	vfb := func(attrs string) string { return pv(`<graphics type='vnc' autoport='yes' ` + attrs + `/>`) }
	for _, tc := range []struct {
		name, xml, want string // want: "" writes and reads back
	}{
		{"disk source with ','", pv(`<disk type='file'><source file='/img/a,b.img'/><target dev='xvda'/></disk>`), `"disk": value cannot be written: source 'file:/img/a,b.img'`},
		{"disk source with '='", pv(`<disk type='file'><source file='/img/a=b.img'/><target dev='xvda'/></disk>`), ""},
		{"vif script with ','", pv(`<interface type='ethernet'><mac address='00:16:3e:00:00:09'/><script path='/etc/xen/scripts/vif-x,y'/></interface>`), `"vif": value cannot be written: script '/etc/xen/scripts/vif-x,y'`},
		{"vif script with '='", pv(`<interface type='ethernet'><mac address='00:16:3e:00:00:09'/><script path='/s/vif=x'/></interface>`), ""},
		{"vif bridge with ','", pv(`<interface type='bridge'><source bridge='br0,x'/></interface>`), `"vif": value cannot be written: bridge 'br0,x'`},
		{"vif IPv6", nic(`<ip address='2001:db8:aaaa:bbbb::1'/>`), `"vif": value cannot be written: ip '2001:db8:aaaa:bbbb::1' is not an IPv4`},
		{"vif short IPv6", nic(`<ip address='2001:db8::1'/>`), `ip '2001:db8::1' is not an IPv4`},
		{"vif two IPs", nic(`<ip address='192.0.2.1'/><ip address='192.0.2.2'/>`), "Driver does not support setting multiple IP addresses"},
		{"vif model of 10", nic(`<model type='virtio-net'/>`), `"vif": value cannot be written: model 'virtio-net' is longer than the 9 bytes`},
		{"vif model of 9", nic(`<model type='virtionet'/>`), ""},
		{"vif vifname of 50", nic(`<target dev='` + strings.Repeat("n", 50) + `'/>`), "vifname '" + strings.Repeat("n", 50) + "' is longer than the 49 bytes"},
		{"vif vifname of 49", nic(`<target dev='` + strings.Repeat("n", 49) + `'/>`), ""},
		{"vfb passwd with ','", vfb(`passwd='a,b'`), `"vfb": value cannot be written: vncpasswd 'a,b'`},
		{"vfb passwd with '='", vfb(`passwd='a=b'`), ""},
		{"vfb passwd saying type=sdl", vfb(`passwd='type=sdl'`), `"vfb": value cannot be written: entry 'type=vnc,vncunused=1,vncpasswd=type=sdl' holds 'type=sdl'`},
		{"vfb over 1023 bytes", vfb(`keymap='` + strings.Repeat("k", 1000) + `'`), "is longer than 1023 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ToXM([]byte(tc.xml), 4)
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("got %v, want %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b, err := c.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			x1, err := xmToXML(t, string(b), 4)
			if err != nil {
				t.Fatalf("%v\n%s", err, b)
			}
			if x2, err := xmToXML(t, xmFromXML(t, x1, 4), 4); err != nil || x1 != x2 {
				t.Errorf("X1 != X2 (%v)\n%s\n%s", err, x1, x2)
			}
			for _, v := range []string{"a=b.img", "vif=x", "virtionet", strings.Repeat("n", 49) + "'", "passwd='a=b'"} {
				if strings.Contains(tc.xml, v) && !strings.Contains(x1, v) {
					t.Errorf("%q lost:\n%s\n%s", v, b, x1)
				}
			}
		})
	}
}

// TestSplitVifLimits: each vif item keeps a value up to its length limit
// (xm-config.md §3.11); one byte more fails the entry when another item
// follows and is cut when it is the last item.
func TestSplitVifLimits(t *testing.T) {
	for _, tc := range []struct {
		key  string
		max  int // -1: unlimited
		what string
	}{
		{"mac", 17, "MAC address"}, {"bridge", 49, "Bridge"}, {"model", 9, "Model"},
		{"type", 9, "Type"}, {"vifname", 49, "Vifname"}, {"ip", 15, "IP"}, {"rate", 49, "rate"},
		{"script", -1, "Script"},
	} {
		t.Run(tc.key, func(t *testing.T) {
			n := tc.max
			if n < 0 {
				n = 4096
			}
			fits := strings.Repeat("v", n)
			items, ok, err := splitVif(tc.key + "=" + fits + ",x=y")
			if err != nil || !ok || items[tc.key] != fits {
				t.Fatalf("%d bytes, not last: %v %v %v", n, items, ok, err)
			}
			if tc.max < 0 {
				return
			}
			long := fits + "w"
			_, _, err = splitVif(tc.key + "=" + long + ",x=y")
			if want := tc.what + " " + long + " too big for destination"; err == nil || err.Error() != want {
				t.Errorf("%d bytes, not last: %v, want %s", n+1, err, want)
			}
			items, ok, err = splitVif("x=y," + tc.key + "=" + long)
			if err != nil || !ok || items[tc.key] != fits {
				t.Errorf("%d bytes, last: %v %v %v, want it cut to %d", n+1, items, ok, err, n)
			}
		})
	}
}
