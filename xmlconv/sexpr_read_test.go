package xmlconv

import (
	"errors"
	"strings"
	"testing"

	"xvirsh/sexpr"
)

// txPV builds a minimal running PV (domain …) with extra keys.
func txPV(extra string) string {
	return `(domain (domid 2) (name pv) (uuid 2b2b2b2b-0000-4000-8000-000000000002)
		(memory 128) (image (linux (kernel /boot/vmlinuz))) ` + extra + `)`
}

func TestToXMLErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		opt       Options
		want      string
	}{
		{"root is not a domain", `(node (host x))`, Options{}, "not a domain S-expression: root is (node ...)"},
		{"root is an atom", `domain`, Options{}, `not a domain S-expression: got the atom "domain"`},
		{"root has no head", `((name x))`, Options{}, "the root list has no head"},
		{"missing name", `(domain (domid 1) (uuid 00000000000000000000000000000001))`, Options{}, "missing name"},
		{"empty name", `(vm (name '') (uuid 00000000000000000000000000000001))`, Options{}, "missing name"},
		{"missing uuid", `(domain (domid 1) (name x) (memory 64))`, Options{}, "missing uuid"},
		{"bad uuid", `(domain (domid 1) (name x) (uuid 1234-not-a-uuid))`, Options{}, "domain x: invalid UUID '1234-not-a-uuid'"},
		{"short uuid", `(domain (domid 1) (name x) (uuid 596a5d2171f48fb2e068e2386a5c413))`, Options{}, "invalid UUID"},
		{"malformed domid", `(domain (domid x7) (name x) (uuid 00000000000000000000000000000001))`, Options{}, "malformed domid 'x7'"},
		{"unsupported format", txPV(""), Options{Version: 5}, "unsupported xend config format 5"},
		{"no memory", `(vm (name x) (uuid 00000000000000000000000000000001) (image (linux (kernel /k))))`, Options{}, "missing memory"},
		{"no HVM loader", `(domain (domid 1) (name x) (uuid 00000000000000000000000000000001) (memory 64) (image (hvm (boot c))))`, Options{}, "missing HVM loader"},
		{"no kernel nor bootloader", `(domain (domid 1) (name x) (uuid 00000000000000000000000000000001) (memory 64) (image (linux (args x))))`, Options{}, "missing kernel & bootloader"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, err := sexpr.ParseString(tc.src)
			if err != nil {
				t.Fatalf("test input does not parse: %v", err)
			}
			out, err := ToXML(root, tc.opt)
			if err == nil {
				t.Fatalf("no error, want %q; output:\n%s", tc.want, out)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestToXMLNilAndEmpty(t *testing.T) {
	if _, err := ToXML(nil, Options{}); err == nil || !strings.Contains(err.Error(), "empty input") {
		t.Errorf("nil root: error %v, want empty input", err)
	}
	if _, err := ToXML(sexpr.Atom(""), Options{}); err == nil || !strings.Contains(err.Error(), "empty input") {
		t.Errorf("empty atom: error %v, want empty input", err)
	}
	if _, err := ToXML(sexpr.List(), Options{}); err == nil {
		t.Error("empty list: no error")
	}
}

// TestToXMLLenient covers records that libvirt rejects or mangles but that
// real xend produces; each is read into a usable domain.
func TestToXMLLenient(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		opt       Options
		want      []string
	}{
		{"vm root without domid in format 1", `(vm (name x) (uuid 00000000000000000000000000000001) (memory 64) (image (linux (kernel /k))))`,
			Options{Version: 1}, []string{"<domain type='xen'>"}},
		{"inactive view of a format 1 record", `(domain (name x) (uuid 00000000000000000000000000000001) (memory 64) (image (linux (kernel /k))))`,
			Options{Version: 1}, []string{"<domain type='xen'>"}},
		{"typeless vfb falls back to the image", txHVM("(vnc 1) (vncunused 1) (keymap sv)", "(device (vfb (vncunused 1) (location localhost:5900)))"),
			Options{}, []string{"<graphics type='vnc' port='-1' autoport='yes' keymap='sv'/>"}},
		{"empty bootloader is no bootloader", txPV("(bootloader) (bootloader_args)"),
			Options{}, []string{"<kernel>/boot/vmlinuz</kernel>"}},
		{"unknown sound cards are skipped", txHVM("(soundhw 'sb16,gus,es1370')", ""),
			Options{}, []string{"<sound model='sb16'/>\n    <sound model='es1370'/>"}},
		{"format 1 strips :cdrom", txHVM("", "(device (vbd (dev hdc:cdrom) (uname file:/x.iso) (mode r)))"),
			Options{Version: 1}, []string{"<disk type='file' device='cdrom'>", "<target dev='hdc' bus='ide'/>"}},
		{"empty PV cdrom drive", txPV("(device (vbd (dev xvdc:cdrom) (mode r)))"),
			Options{}, []string{"<disk type='file' device='cdrom'>\n      <target dev='xvdc' bus='xen'/>\n      <readonly/>"}},
		{"drbd resource is a block disk", txPV("(device (vbd (dev xvda) (uname drbd:r0) (mode w)))"),
			Options{}, []string{"<disk type='block' device='disk'>\n      <driver name='drbd'/>\n      <source dev='r0'/>"}},
		{"Xen 4 tapdisk uname", txPV("(device (tap2 (dev xvda) (uname tap2:tapdisk:vhd:/x.vhd) (mode w)))"),
			Options{}, []string{"<driver name='tap2' type='vhd'/>", "<source file='/x.vhd'/>"}},
		{"HVM fixed display in the image", txHVM("(vnc 1) (vncunused 0) (vncdisplay 3)", ""),
			Options{}, []string{"<graphics type='vnc' port='5903' autoport='no'/>"}},
		{"xend affinity lists", txPV("(vcpus 2) (cpus ((1 2 3) (1 2 3)))"),
			Options{}, []string{"<vcpu cpuset='1-3'>2</vcpu>"}},
		{"one affinity list", txPV("(vcpus 2) (cpus (0 2))"),
			Options{}, []string{"<vcpu cpuset='0,2'>2</vcpu>"}},
		{"empty affinity lists mean any cpu", txPV("(vcpus 2) (cpus (() ()))"),
			Options{}, []string{"<vcpu>2</vcpu>"}},
		{"differing affinity lists are no cpuset", txPV("(vcpus 2) (cpus ((1) (2)))"),
			Options{}, []string{"<vcpu>2</vcpu>"}},
		{"vcpu_avail wider than 64 bits", txPV("(vcpus 80) (vcpu_avail 0xffffffffffffffffff)"),
			Options{}, []string{"<vcpu current='72'>80</vcpu>"}},
		{"memory above maxmem is clamped", txPV("(maxmem 64) (memory 128)"),
			Options{}, []string{"<memory unit='KiB'>65536</memory>\n  <currentMemory unit='KiB'>65536</currentMemory>"}},
		{"numeric Xen device", txPV("(device (vbd (dev 51713) (uname phy:/dev/sdb1) (mode w))) (device (vbd (dev 268442112) (uname phy:/dev/sdc) (mode w)))"),
			Options{}, []string{"<target dev='xvda1' bus='xen'/>", "<target dev='xvdaa' bus='xen'/>"}},
		{"numeric IDE and SCSI devices", txHVM("", "(device (vbd (dev 5632:cdrom) (mode r))) (device (vbd (dev /dev/sda) (uname phy:/dev/sdb) (mode w)))"),
			Options{}, []string{"<target dev='hdc' bus='ide'/>", "<target dev='sda' bus='scsi'/>"}},
		{"octal and suffixed numbers", txPV("(maxmem 0x100) (vcpus 02abc)"),
			Options{}, []string{"<memory unit='KiB'>262144</memory>", "<vcpu>2</vcpu>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := txConvert(t, tc.src, tc.opt)
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestToXMLErrorKinds(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want error
	}{
		{`(node (x 1))`, ErrNotDomain},
		{`atom`, ErrNotDomain},
		{`(domain (domid 1) (uuid 00000000000000000000000000000001))`, ErrIncomplete},
		{`(domain (name x) (uuid 0000))`, ErrBadUUID},
	} {
		root, err := sexpr.ParseString(tc.src)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ToXML(root, Options{}); !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want one wrapping %v", tc.src, err, tc.want)
		}
	}
}

// TestToXMLUnknownValues: a record xend holds must always dump. A value the
// converter does not know drops that value (or device) with a warning
// that names the domain and the field; the rest of the domain is kept.
func TestToXMLUnknownValues(t *testing.T) {
	for _, tc := range []struct {
		name, src, warn, keep string
	}{
		{"unknown lifecycle", txPV("(on_crash explode)"), "unknown lifecycle type explode", "<on_crash>destroy</on_crash>"},
		{"coredump on poweroff", txPV("(on_poweroff coredump-destroy)"), "unknown lifecycle type coredump-destroy", "<on_poweroff>destroy</on_poweroff>"},
		{"tap unknown type", txPV("(device (tap (dev xvda) (uname tap:sync:/x.img)))"), "Unknown driver type sync:/x.img", "<driver name='tap'/>"},
		{"vfb unknown type", txPV("(device (vfb (type spice)))"), "unknown graphics type 'spice'", "<devices>"},
		{"serial unknown type", txHVM("(serial 'lpt:/dev/lp0')", ""), "unknown chr device type 'lpt'", "<devices/>"},
		{"serial libvirt type xend lacks", txHVM("(serial spicevmc)", ""), "unknown chr device type 'spicevmc'", "<devices/>"},
		{"serial tcp without port", txHVM("(serial tcp:localhost)", ""), "malformed char device string", "<devices/>"},
		{"parallel udp bad bind", txHVM("(parallel 'udp:h:1@h')", ""), "malformed char device string", "<devices/>"},
		{"serial file without path", txHVM("(serial file:)", ""), "malformed char device string 'file:': no path", "<devices/>"},
		{"parallel unix without path", txHVM("(parallel unix:,server)", ""), "malformed char device string 'unix:,server': no path", "<devices/>"},
		{"bad localtime", `(domain (domid 1) (name x) (uuid 00000000000000000000000000000001) (memory 64) (image (linux (kernel /k) (localtime yes))))`, "unknown localtime offset yes", "<clock offset='utc' adjustment='reset'/>"},
		{"cpus all clear", txPV("(vcpus 2) (cpus '0,^0')"), "Invalid value of 'cpumask': 0,^0", "<vcpu>2</vcpu>"},
		{"cpus garbage", txPV("(cpus 'a-b')"), "Invalid value of 'cpumask'", "<vcpu>1</vcpu>"},
		{"vbd without dev", txPV("(device (vbd (uname file:/x) (mode w)))"), "vbd has no dev", "<console type='pty'>"},
		{"vbd without uname", txPV("(device (vbd (dev xvda) (mode w)))"), "vbd xvda has no src", "<console type='pty'>"},
		{"uname without path", txPV("(device (vbd (dev xvda) (uname phy:) (mode w)))"), "vbd xvda has no src", "<console type='pty'>"},
		{"uname without driver", txPV("(device (vbd (dev xvda) (uname /x.img)))"), "missing driver name", "<console type='pty'>"},
		{"tap without type", txPV("(device (tap (dev xvda) (uname tap:/x.img)))"), "missing driver type", "<console type='pty'>"},
		{"bad mac", txPV("(device (vif (mac 00:16:3e:zz:00:01) (bridge xenbr0)))"), "malformed mac address '00:16:3e:zz:00:01'", "<interface type='bridge'>\n      <source bridge='xenbr0'/>"},
		{"mac too short", txPV("(device (vif (mac 00:16:3e:00:01) (script vif-route)))"), "malformed mac address", "<interface type='ethernet'>\n      <script path='vif-route'/>"},
		{"bad rate", txPV("(device (vif (mac 00:16:3e:00:00:01) (rate 10mb/s)))"), "Invalid rate '10mb/s' specified", "<mac address='00:16:3e:00:00:01'/>"},
		{"huge rate", txPV("(device (vif (mac 00:16:3e:00:00:01) (rate 99999999999999999999KB/s)))"), "Failed to parse rate", "<mac address='00:16:3e:00:00:01'/>"},
		{"pci without slot", txPV("(device (pci (dev (domain 0) (bus 0) (func 0))))"), "missing PCI slot", "<console type='pty'>"},
		{"pci bad bus", txPV("(device (pci (dev (domain 0) (bus 08) (slot 0) (func 0))))"), "cannot parse PCI bus '08'", "<console type='pty'>"},
		{"pci slot range", txPV("(device (pci (dev (domain 0) (bus 0) (slot 0x20) (func 0))))"), "PCI slot '0x20' out of range", "<console type='pty'>"},
		{"two vbds on one target", txPV("(device (vbd (dev xvda) (uname file:/a) (mode w))) (device (vbd (dev xvda:disk) (uname file:/b) (mode w)))"), "target 'xvda' duplicated for disk sources '/a' and '/b'", "<source file='/a'/>"},
		{"vif with nothing", txPV("(device (vif (type 0)))"), "has no settings, dropped", "<console type='pty'>"},
		{"unknown sound model", txHVM("(soundhw 'sb16,gus')", ""), "sound model 'gus'", "<sound model='sb16'/>"},
		{"NIC model not a name", txPV("(device (vif (mac 00:16:3e:00:00:01) (model 'e1000 x')))"), "NIC model 'e1000 x'", "<mac address='00:16:3e:00:00:01'/>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, err := sexpr.ParseString(tc.src)
			if err != nil {
				t.Fatalf("test input does not parse: %v", err)
			}
			var warns []string
			out, err := ToXML(root, Options{Warn: func(m string) { warns = append(warns, m) }})
			if err != nil {
				t.Fatalf("ToXML: %v, want a warning %q", err, tc.warn)
			}
			if len(warns) != 1 || !strings.Contains(warns[0], tc.warn) || !strings.HasPrefix(warns[0], "domain ") {
				t.Errorf("warnings %q, want one naming the domain and %q", warns, tc.warn)
			}
			if !strings.Contains(out, tc.keep) {
				t.Errorf("output lacks %q:\n%s", tc.keep, out)
			}
		})
	}
}
