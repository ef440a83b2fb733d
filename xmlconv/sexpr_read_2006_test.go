package xmlconv

import (
	"fmt"
	"strings"
	"testing"

	"github.com/beevik/etree"
)

// These tests pin down, one by one, what the 2006 xend_internal.c patch
// added to the SEXPR -> XML direction: HVM boot devices, floppies and the
// CD-ROM, the serial console, dashless UUIDs, and domains of any size.

// txHVM builds a minimal HVM (domain …) with extra image keys and devices.
func txHVM(image, devices string) string {
	return `(domain (domid 5) (name hvm) (uuid 5a5a5a5a-0000-4000-8000-000000000005)
		(memory 256) (maxmem 256) (vcpus 1)
		(image (hvm (kernel /usr/lib/xen/boot/hvmloader) ` + image + `)) ` + devices + `)`
}

func txDoc(t *testing.T, xml string) *etree.Element {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromString(xml); err != nil {
		t.Fatalf("output is not XML: %v\n%s", err, xml)
	}
	return doc.Root()
}

func TestToXMLBootDevice(t *testing.T) {
	for _, tc := range []struct{ boot, want string }{
		{"a", "fd"},
		{"c", "hd"},
		{"d", "cdrom"},
		{"n", "network"},
		{"cd", "hd cdrom"},
		{"dcan", "cdrom hd fd network"},
		{"cdnac", "hd cdrom network fd"}, // libvirt keeps four
		{"''", "hd"},                     // no order: the disk, as libvirt's XML parser has it
		{"czd", "hd cdrom"},              // unknown letters are skipped
		{"xyz", "hd"},                    // ... even all of them
		{"zcdnaz", "hd cdrom network fd"},
	} {
		t.Run(tc.boot, func(t *testing.T) {
			root := txDoc(t, txConvert(t, txHVM("(boot "+tc.boot+")", ""), Options{}))
			var got []string
			for _, b := range root.FindElements("os/boot") {
				got = append(got, b.SelectAttrValue("dev", ""))
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("(boot %s): got <boot dev> %q, want %q", tc.boot, got, tc.want)
			}
		})
	}
}

func TestToXMLFloppiesAndCdrom(t *testing.T) {
	image := `(boot a) (fda /img/boot.flp) (fdb '/img/second disk.flp') (cdrom /iso/os.iso)`
	vbd := `(device (vbd (dev 'hdc:cdrom') (uname 'file:/iso/vbd.iso') (mode r)))`
	type disk struct{ device, src, target, bus string }
	for _, tc := range []struct {
		name    string
		version int
		devices string
		want    []disk
	}{
		{"format 1 reads the cdrom inside the image", 1, "", []disk{
			{"cdrom", "/iso/os.iso", "hdc", "ide"},
			{"floppy", "/img/boot.flp", "fda", "fdc"},
			{"floppy", "/img/second disk.flp", "fdb", "fdc"},
		}},
		{"format 1 with both forms keeps one hdc", 1, vbd, []disk{
			{"cdrom", "/iso/vbd.iso", "hdc", "ide"},
			{"floppy", "/img/boot.flp", "fda", "fdc"},
			{"floppy", "/img/second disk.flp", "fdb", "fdc"},
		}},
		{"a floppy vbd wins over the image floppy", 2, `(device (vbd (dev fda) (uname file:/img/vbd.flp) (mode w)))`, []disk{
			{"disk", "/img/vbd.flp", "fda", "ide"},
			{"floppy", "/img/second disk.flp", "fdb", "fdc"},
		}},
		{"format 2 takes the hdc:cdrom vbd", 2, vbd, []disk{
			{"cdrom", "/iso/vbd.iso", "hdc", "ide"},
			{"floppy", "/img/boot.flp", "fda", "fdc"},
			{"floppy", "/img/second disk.flp", "fdb", "fdc"},
		}},
		{"format 4 takes the hdc:cdrom vbd", 4, vbd, []disk{
			{"cdrom", "/iso/vbd.iso", "hdc", "ide"},
			{"floppy", "/img/boot.flp", "fda", "fdc"},
			{"floppy", "/img/second disk.flp", "fdb", "fdc"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := txDoc(t, txConvert(t, txHVM(image, tc.devices), Options{Version: tc.version}))
			var got []disk
			for _, d := range root.FindElements("devices/disk") {
				got = append(got, disk{
					d.SelectAttrValue("device", ""),
					d.FindElement("source").SelectAttrValue("file", ""),
					d.FindElement("target").SelectAttrValue("dev", ""),
					d.FindElement("target").SelectAttrValue("bus", ""),
				})
				if d.SelectAttrValue("device", "") == "cdrom" && d.FindElement("readonly") == nil {
					t.Errorf("cdrom %v is not read-only", got[len(got)-1])
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("disks:\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestToXMLSerialPty(t *testing.T) {
	for _, opt := range []Options{{}, {TTY: "/dev/pts/4"}} {
		root := txDoc(t, txConvert(t, txHVM("(serial pty)", ""), opt))
		serial := root.FindElement("devices/serial")
		console := root.FindElement("devices/console")
		if serial == nil || console == nil {
			t.Fatalf("(serial pty) with %+v: want <serial> and <console>, got serial=%v console=%v", opt, serial, console)
		}
		for _, el := range []*etree.Element{serial, console} {
			if typ := el.SelectAttrValue("type", ""); typ != "pty" {
				t.Errorf("<%s type=%q>, want pty", el.Tag, typ)
			}
			if port := el.FindElement("target").SelectAttrValue("port", ""); port != "0" {
				t.Errorf("<%s> target port %q, want 0", el.Tag, port)
			}
			src := el.FindElement("source")
			switch {
			case opt.TTY == "" && src != nil:
				t.Errorf("<%s> has a source without a tty", el.Tag)
			case opt.TTY != "" && (src == nil || src.SelectAttrValue("path", "") != opt.TTY || el.SelectAttrValue("tty", "") != opt.TTY):
				t.Errorf("<%s> does not carry the tty %s", el.Tag, opt.TTY)
			}
		}
		if tt := console.FindElement("target").SelectAttrValue("type", ""); tt != "serial" {
			t.Errorf("console target type %q, want serial", tt)
		}
	}
	// (serial none) means no port at all, and so no console.
	root := txDoc(t, txConvert(t, txHVM("(serial none)", ""), Options{}))
	if root.FindElement("devices/serial") != nil || root.FindElement("devices/console") != nil {
		t.Error("(serial none) produced a serial port or console")
	}
}

func TestToXMLDashlessUUID(t *testing.T) {
	for _, in := range []string{
		"596a5d2171f48fb2e068e2386a5c413e",
		"596A5D2171F48FB2E068E2386A5C413E",
		"596a5d21-71f4-8fb2-e068-e2386a5c413e",
	} {
		src := `(domain (domid 1) (name u) (uuid ` + in + `) (memory 64) (image (linux (kernel /k))))`
		root := txDoc(t, txConvert(t, src, Options{}))
		if got := root.FindElement("uuid").Text(); got != "596a5d21-71f4-8fb2-e068-e2386a5c413e" {
			t.Errorf("uuid %s printed as %s", in, got)
		}
	}
}

// txTarget names the n-th disk like Linux does: xvda … xvdz, xvdaa ….
func txTarget(prefix string, n int) string {
	s := ""
	for n++; n > 0; n = (n - 1) / 26 {
		s = string(rune('a'+(n-1)%26)) + s
	}
	return prefix + s
}

func txManyDevices(n int) string {
	var b strings.Builder
	b.WriteString(`(domain (domid 77) (name big) (uuid 00112233445566778899aabbccddeeff) (memory 4096)
		(maxmem 4096) (vcpus 8) (image (linux (kernel /boot/vmlinuz)))`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "(device (vbd (dev %s) (uname phy:/dev/vg/disk%d) (mode w)))", txTarget("xvd", i), i)
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "(device (vif (mac 00:16:3e:00:%02x:%02x) (bridge xenbr%d)))", i>>8, i&0xff, i%4)
	}
	b.WriteString(")")
	return b.String()
}

func TestToXMLManyDevices(t *testing.T) {
	const n = 300
	root := txDoc(t, txConvert(t, txManyDevices(n), Options{}))
	disks := root.FindElements("devices/disk")
	nets := root.FindElements("devices/interface")
	if len(disks) != n || len(nets) != n {
		t.Fatalf("got %d disks and %d interfaces, want %d of each", len(disks), len(nets), n)
	}
	for i := 0; i < n; i++ {
		if got, want := disks[i].FindElement("target").SelectAttrValue("dev", ""), txTarget("xvd", i); got != want {
			t.Fatalf("disk %d: target %s, want %s", i, got, want)
		}
		if got, want := disks[i].FindElement("source").SelectAttrValue("dev", ""), fmt.Sprintf("/dev/vg/disk%d", i); got != want {
			t.Fatalf("disk %d: source %s, want %s", i, got, want)
		}
		if got, want := nets[i].FindElement("target").SelectAttrValue("dev", ""), fmt.Sprintf("vif77.%d", i); got != want {
			t.Fatalf("interface %d: target %s, want %s", i, got, want)
		}
		if got, want := nets[i].FindElement("mac").SelectAttrValue("address", ""), fmt.Sprintf("00:16:3e:00:%02x:%02x", i>>8, i&0xff); got != want {
			t.Fatalf("interface %d: mac %s, want %s", i, got, want)
		}
	}
}
