package xmlconv

import (
	"fmt"
	"strings"
	"testing"

	"xvirsh/sexpr"
)

// sameSexprGolden compares golden texts by the trees they hold, so that a
// change in how Pretty lays a tree out does not fail the conversion tests;
// error goldens are compared as text.
func sameSexprGolden(got, want string) bool {
	if got == want {
		return true
	}
	if strings.HasPrefix(got, "error: ") || strings.HasPrefix(want, "error: ") {
		return false
	}
	g, err1 := sexpr.ParseString(got)
	w, err2 := sexpr.ParseString(want)
	return err1 == nil && err2 == nil && sexpr.Equal(g, w)
}

// renderToSexpr is the golden text for one conversion. It also checks that
// the printed tree reads back as the same tree, which is what xend gets.
func renderToSexpr(t *testing.T, data []byte, v int) string {
	t.Helper()
	n, err := ToSexpr(data, v)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	back, err := sexpr.ParseString(n.String())
	if err != nil {
		t.Fatalf("printed SEXPR does not parse: %v\n%s", err, n.String())
	}
	if !sexpr.Equal(n, back) {
		t.Fatalf("printed SEXPR reads back different:\n%s\n%s", n.String(), back.String())
	}
	return n.Pretty()
}

// minimal domains for the focused tests below.
func hvmDomain(osExtra, devices string) []byte {
	return []byte(`<domain type='xen'>
  <name>fv</name>
  <uuid>b5d70dd2-75cd-aca5-1776-9660b059d8bc</uuid>
  <memory>409600</memory>
  <vcpu>1</vcpu>
  <os>
    <type>hvm</type>
    <loader>/usr/lib/xen/boot/hvmloader</loader>` + osExtra + `
  </os>
  <devices>
    <emulator>/usr/lib64/xen/bin/qemu-dm</emulator>` + devices + `
  </devices>
</domain>`)
}

func pvDomain(devices string) []byte {
	return []byte(`<domain type='xen'>
  <name>pv</name>
  <uuid>596a5d21-71f4-8fb2-e068-e2386a5c413e</uuid>
  <memory>430080</memory>
  <vcpu>2</vcpu>
  <os>
    <type>linux</type>
    <kernel>/boot/vmlinuz</kernel>
  </os>
  <devices>` + devices + `
  </devices>
</domain>`)
}

func mustToSexpr(t *testing.T, xml []byte, v int) *sexpr.Node {
	t.Helper()
	n, err := ToSexpr(xml, v)
	if err != nil {
		t.Fatalf("ToSexpr(v%d): %v", v, err)
	}
	return n
}

// deviceKinds lists the head of each (device (KIND ...)) in order.
func deviceKinds(vm *sexpr.Node) []string {
	var out []string
	for _, d := range vm.Children("device") {
		if args := d.Args(); len(args) > 0 {
			out = append(out, args[0].Head())
		}
	}
	return out
}

// devicesOf returns the inner lists of (device (kind ...)).
func devicesOf(vm *sexpr.Node, kind string) []*sexpr.Node {
	var out []*sexpr.Node
	for _, d := range vm.Children("device") {
		if args := d.Args(); len(args) > 0 && args[0].Head() == kind {
			out = append(out, args[0])
		}
	}
	return out
}

func TestToSexprTopLevel(t *testing.T) {
	vm := mustToSexpr(t, []byte(`<domain type='xen'>
  <name>top</name>
  <uuid>596A5D2171F48FB2E068E2386A5C413E</uuid>
  <memory unit='KiB'>430081</memory>
  <currentMemory unit='KiB'>200000</currentMemory>
  <vcpu current='3' cpuset='4,0-2,^1'>8</vcpu>
  <os><type>linux</type><kernel>/k</kernel></os>
</domain>`), 4)
	for path, want := range map[string]string{
		"name":        "top",
		"uuid":        "596a5d21-71f4-8fb2-e068-e2386a5c413e",
		"maxmem":      "421", // 430081 KiB rounds up
		"memory":      "196",
		"vcpus":       "8",
		"vcpu_avail":  "7",
		"cpus":        "0,2,4",
		"on_poweroff": "destroy",
		"on_reboot":   "restart",
		"on_crash":    "destroy",
		"localtime":   "0",
	} {
		if got := vm.Get(path); got != want {
			t.Errorf("(%s %s), want %s", path, got, want)
		}
	}
	if vm.Head() != "vm" || vm.Kids[1].Head() != "name" {
		t.Errorf("want (vm (name ...) ...), got %s", vm)
	}
}

func TestToSexprCurrentMemoryClampedToMax(t *testing.T) {
	vm := mustToSexpr(t, []byte(`<domain><name>x</name><memory unit='MiB'>256</memory>
<currentMemory unit='MiB'>512</currentMemory><os><type>linux</type></os></domain>`), 4)
	if vm.Get("memory") != "256" || vm.Get("maxmem") != "256" {
		t.Errorf("got %s", vm)
	}
}

func TestToSexprVcpuAvailLarge(t *testing.T) {
	vm := mustToSexpr(t, []byte(`<domain><name>x</name><memory>65536</memory>
<vcpu current='64'>128</vcpu><os><type>linux</type></os></domain>`), 4)
	if got := vm.Get("vcpu_avail"); got != "18446744073709551615" {
		t.Errorf("vcpu_avail %s", got)
	}
}

func TestToSexprBootloader(t *testing.T) {
	xml := []byte(`<domain><name>b</name><memory>65536</memory>
<bootloader>/usr/bin/pygrub</bootloader><bootloader_args>-q</bootloader_args>
<os><type>linux</type><kernel>/k</kernel><cmdline>console=hvc0</cmdline></os>
<devices><emulator>/e</emulator><graphics type='vnc'/></devices></domain>`)
	for v, want := range map[int]string{
		1: "(image (linux (args console=hvc0)))",
		3: "(image (linux (args console=hvc0) (device_model /e)))",
		4: "(image (linux (kernel /k) (args console=hvc0) (device_model /e) (localtime 0)))",
	} {
		vm := mustToSexpr(t, xml, v)
		if got := vm.Child("image").String(); got != want {
			t.Errorf("v%d: image %s, want %s", v, got, want)
		}
		if vm.Get("bootloader") != "/usr/bin/pygrub" || vm.Get("bootloader_args") != "-q" {
			t.Errorf("v%d: bootloader lost: %s", v, vm)
		}
	}
	// Without kernel arguments older xend gets no image at all.
	vm := mustToSexpr(t, []byte(`<domain><name>b</name><memory>65536</memory>
<bootloader>/usr/bin/pygrub</bootloader><os><type>linux</type></os></domain>`), 2)
	if vm.Has("image") {
		t.Errorf("v2 bootloader without cmdline: unexpected image in %s", vm)
	}
}

func TestToSexprClock(t *testing.T) {
	tests := []struct {
		name    string
		hvm     bool
		clock   string
		v       int
		wantLT  string // top-level localtime
		wantRTC string // image rtc_timeoffset, "" when absent
		wantErr string
	}{
		{"pv utc v4", false, `<clock offset='utc'/>`, 4, "0", "", ""},
		{"pv localtime v1", false, `<clock offset='localtime'/>`, 1, "1", "", ""},
		{"pv localtime reset v4", false, `<clock offset='localtime' adjustment='reset'/>`, 4, "1", "", ""},
		{"pv variable v4", false, `<clock offset='variable' adjustment='10'/>`, 4, "", "", "unsupported clock offset='variable'"},
		{"hvm utc v4", true, `<clock offset='utc'/>`, 4, "0", "0", ""},
		{"hvm localtime v4", true, `<clock offset='localtime'/>`, 4, "1", "0", ""},
		{"hvm variable v4", true, `<clock offset='variable' adjustment='7200' basis='localtime'/>`, 4, "1", "7200", ""},
		{"hvm utc+N is variable v4", true, `<clock offset='utc' adjustment='60'/>`, 4, "0", "60", ""},
		{"hvm utc reset v4", true, `<clock offset='utc' adjustment='reset'/>`, 4, "", "", "unsupported clock adjustment='reset'"},
		{"hvm utc reset v3", true, `<clock offset='utc' adjustment='reset'/>`, 3, "0", "", ""},
		{"hvm variable v3", true, `<clock offset='variable' adjustment='0'/>`, 3, "", "", "unsupported clock offset='variable'"},
		{"hvm timezone v4", true, `<clock offset='timezone' timezone='Europe/Paris'/>`, 4, "", "", "unsupported clock offset='timezone'"},
		{"hvm absolute v2", true, `<clock offset='absolute' start='0'/>`, 2, "", "", "unsupported clock offset='absolute'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var xml string
			if tt.hvm {
				xml = strings.Replace(string(hvmDomain("", "")), "<devices>", tt.clock+"<devices>", 1)
			} else {
				xml = strings.Replace(string(pvDomain("")), "<devices>", tt.clock+"<devices>", 1)
			}
			vm, err := ToSexpr([]byte(xml), tt.v)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := vm.Get("localtime"); got != tt.wantLT {
				t.Errorf("(localtime %s), want %s", got, tt.wantLT)
			}
			kind := "linux"
			if tt.hvm {
				kind = "hvm"
			}
			img := vm.Lookup("image/" + kind)
			if got := img.Get("rtc_timeoffset"); got != tt.wantRTC {
				t.Errorf("(rtc_timeoffset %s), want %q", got, tt.wantRTC)
			}
			// Format 4 repeats localtime in the image; older ones do not.
			lt, inImage := img.GetOK("localtime")
			if inImage != (tt.v == 4) || (inImage && lt != tt.wantLT) {
				t.Errorf("image localtime %q present=%v at v%d", lt, inImage, tt.v)
			}
		})
	}
}

func TestToSexprEmptyBootloaderKeepsKernel(t *testing.T) {
	vm := mustToSexpr(t, []byte(`<domain><name>e</name><memory>65536</memory><bootloader/>
<os><type>linux</type><kernel>/boot/vmlinuz</kernel></os></domain>`), 4)
	// xend's own "(bootloader )" goes back as it came, and the kernel
	// stays: libvirt dropped it here, leaving the guest unbootable.
	if !vm.Has("bootloader") || vm.HasContent("bootloader") || vm.Get("image/linux/kernel") != "/boot/vmlinuz" {
		t.Errorf("empty bootloader must be kept empty, with the kernel: %s", vm)
	}
}

func TestEmptyBootloaderRoundTrip(t *testing.T) {
	rec, err := sexpr.ParseString(`(domain (domid 6) (name fc8) (uuid 596a5d2171f48fb2e068e2386a5c413e) (memory 256) (bootloader ) (bootloader_args )
		(image (linux (kernel /boot/vmlinuz) (args 'ro quiet'))))`)
	if err != nil {
		t.Fatal(err)
	}
	x1, err := ToXML(rec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(x1, "<bootloader/>") || !strings.Contains(x1, "<kernel>/boot/vmlinuz</kernel>") {
		t.Fatalf("(bootloader ) with a kernel reads as an empty bootloader and the kernel:\n%s", x1)
	}
	vm, err := ToSexpr([]byte(x1), 4)
	if err != nil {
		t.Fatal(err)
	}
	vm.Kids[0].Value = "domain"
	x2, err := ToXML(vm, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if x2 != strings.Replace(x1, " id='6'", "", 1) {
		t.Errorf("round trip changed the XML:\n%s\nvs\n%s", x1, x2)
	}
}

func TestToSexprHVMIgnoresBootloader(t *testing.T) {
	xml := strings.Replace(string(hvmDomain("", "")), "<os>", "<bootloader>/usr/bin/pygrub</bootloader><os>", 1)
	vm := mustToSexpr(t, []byte(xml), 4)
	if vm.Has("bootloader") || vm.Get("image/hvm/kernel") != "/usr/lib/xen/boot/hvmloader" {
		t.Errorf("HVM guest: %s", vm)
	}
}

func TestToSexprDeviceModel(t *testing.T) {
	pv := pvDomain(`<emulator>/usr/lib/xen/bin/qemu-dm</emulator>`)
	for v, want := range map[int]bool{1: false, 2: false, 3: true, 4: true} {
		vm := mustToSexpr(t, pv, v)
		if got := vm.Lookup("image/linux").Has("device_model"); got != want {
			t.Errorf("PV v%d: device_model present=%v, want %v", v, got, want)
		}
	}
	for v := 1; v <= 4; v++ {
		vm := mustToSexpr(t, hvmDomain("", ""), v)
		if got := vm.Get("image/hvm/device_model"); got != "/usr/lib64/xen/bin/qemu-dm" {
			t.Errorf("HVM v%d: (device_model %s)", v, got)
		}
	}
}

func TestToSexprNoUUID(t *testing.T) {
	// xend gives a config without uuid a fresh one, as libvirt's parser would.
	vm := mustToSexpr(t, []byte(`<domain><name>n</name><memory>65536</memory><os><type>linux</type></os></domain>`), 4)
	if vm.Has("uuid") {
		t.Errorf("unexpected uuid in %s", vm)
	}
}

// A PV guest with neither kernel nor bootloader, as dom0's own XML reads,
// gets no image: one without a kernel would be refused by xend and by
// ToXML, while no image reads back as the same XML.
func TestToSexprPVWithoutKernel(t *testing.T) {
	xml := []byte(`<domain type='xen'><name>Domain-0</name><uuid>00000000-0000-0000-0000-000000000000</uuid>
<memory>1048576</memory><os><type>linux</type></os></domain>`)
	for v := 1; v <= 4; v++ {
		vm := mustToSexpr(t, xml, v)
		if vm.Has("image") || vm.Get("localtime") != "0" {
			t.Errorf("v%d: %s", v, vm)
		}
		x, err := ToXML(vm, Options{Version: v})
		if err != nil {
			t.Fatalf("v%d: ToXML: %v", v, err)
		}
		if back := mustToSexpr(t, []byte(x), v); !sexpr.Equal(vm, back) {
			t.Errorf("v%d: %s became %s", v, vm, back)
		}
	}
}

// TestToSexprCapabilityDefaults: libvirt fills in what the XML leaves out
// from the host's capabilities (mapping.md §12): an HVM guest with no
// <features> gets PAE, one with an empty <features/> gets none.
func TestToSexprCapabilityDefaults(t *testing.T) {
	const hvm = `<domain><name>h</name><memory>65536</memory>
<os><type>hvm</type><loader>/usr/lib/xen/boot/hvmloader</loader>%s</os>%s</domain>`
	const kernel = "<kernel>/boot/vmlinuz</kernel>"
	for _, tc := range []struct {
		os, feats string
		version   int
		pae       bool
	}{
		{"", "", 4, true},
		{"", "", 2, true},
		{"", "", 1, true},
		{"", "<features/>", 4, false},
		{"", "<features><acpi/></features>", 4, false},
		{"", "<features><pae/></features>", 1, true},
		{kernel, "", 1, false}, // libvirt's own fv-kernel output
		{kernel, "", 2, true},
	} {
		vm := mustToSexpr(t, []byte(fmt.Sprintf(hvm, tc.os, tc.feats)), tc.version)
		if got := vm.Lookup("image/hvm/pae") != nil; got != tc.pae {
			t.Errorf("%q%q at format %d: (pae 1) sent %v, want %v: %s", tc.os, tc.feats, tc.version, got, tc.pae, vm)
		}
	}
}

// TestEmulatorRoundTrip: <emulator> survives dumpxml -> create -> dumpxml
// for every guest type that has one, a PV guest booted by pygrub included.
func TestEmulatorRoundTrip(t *testing.T) {
	for name, xml := range map[string]string{
		"pv kernel": `<domain><name>p</name><memory>65536</memory><os><type>linux</type><kernel>/k</kernel></os>
<devices><emulator>/usr/lib/xen/bin/qemu-dm</emulator></devices></domain>`,
		"pv bootloader": `<domain><name>p</name><memory>65536</memory><bootloader>/usr/bin/pygrub</bootloader>
<os><type>linux</type></os><devices><emulator>/usr/lib/xen/bin/qemu-dm</emulator></devices></domain>`,
		"hvm": `<domain><name>h</name><memory>65536</memory><os><type>hvm</type><loader>/l</loader></os>
<devices><emulator>/usr/lib/xen/bin/qemu-dm</emulator></devices></domain>`,
	} {
		for _, v := range []int{3, 4} {
			vm := mustToSexpr(t, []byte(xml), v)
			vm.Kids[0].Value = "domain"
			vm.Append(sexpr.KV("uuid", "596a5d21-71f4-8fb2-e068-e2386a5c413e"))
			out, err := ToXML(vm, Options{Version: v})
			if err != nil {
				t.Fatalf("%s v%d: %v", name, v, err)
			}
			if !strings.Contains(out, "<emulator>/usr/lib/xen/bin/qemu-dm</emulator>") {
				t.Errorf("%s v%d: emulator lost:\n%s\nfrom %s", name, v, out, vm)
			}
		}
	}
}
