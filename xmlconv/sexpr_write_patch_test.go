package xmlconv

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"xvirsh/sexpr"
)

// The tests in this file pin down, one by one, what the 2006 HVM patch to
// libvirt's xend code taught the XML -> SEXPR direction.

func TestBootDevices(t *testing.T) {
	tests := []struct {
		boots string
		want  string
	}{
		{`<boot dev='fd'/>`, "a"},
		{`<boot dev='hd'/>`, "c"},
		{`<boot dev='cdrom'/>`, "d"},
		{`<boot dev='network'/>`, "n"},
		{`<boot dev='cdrom'/><boot dev='hd'/>`, "dc"},
		{`<boot dev='network'/><boot dev='fd'/><boot dev='hd'/><boot dev='cdrom'/>`, "nacd"},
		{``, "c"}, // no boot list: the disk, as xend and libvirt default
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			for v := 1; v <= 4; v++ {
				vm := mustToSexpr(t, hvmDomain(tt.boots, ""), v)
				if got := vm.Get("image/hvm/boot"); got != tt.want {
					t.Errorf("v%d: (boot %s), want (boot %s)", v, got, tt.want)
				}
			}
		})
	}
}

func TestBootUnknownDeviceIsError(t *testing.T) {
	_, err := ToSexpr(hvmDomain(`<boot dev='usb'/>`, ""), 4)
	if err == nil || !strings.Contains(err.Error(), "unknown boot device 'usb'") {
		t.Fatalf("got %v", err)
	}
}

const floppiesAndCdrom = `
    <disk type='file' device='disk'>
      <source file='/img/hd.img'/>
      <target dev='hda'/>
    </disk>
    <disk type='file' device='floppy'>
      <source file='/img/floppy-a.img'/>
      <target dev='fda'/>
    </disk>
    <disk type='file' device='floppy'>
      <source file='/img/floppy-b.img'/>
      <target dev='fdb'/>
    </disk>
    <disk type='file' device='cdrom'>
      <source file='/img/boot.iso'/>
      <target dev='hdc'/>
      <readonly/>
    </disk>`

func TestFloppiesAndCdromInImageFormat1(t *testing.T) {
	vm := mustToSexpr(t, hvmDomain("", floppiesAndCdrom), 1)
	img := vm.Lookup("image/hvm")
	for key, want := range map[string]string{
		"fda": "/img/floppy-a.img", "fdb": "/img/floppy-b.img", "cdrom": "/img/boot.iso",
	} {
		if got := img.Get(key); got != want {
			t.Errorf("(%s %s) in image, want %s", key, got, want)
		}
	}
	vbds := devicesOf(vm, "vbd")
	if len(vbds) != 1 || vbds[0].Get("dev") != "ioemu:hda" {
		t.Errorf("device list must hold only the hard disk, got %s", vm)
	}
	for _, v := range vbds {
		if u := v.Get("uname"); strings.Contains(u, "floppy") || strings.Contains(u, "iso") {
			t.Errorf("%s is in the device list", u)
		}
	}
}

func TestCdromIsVbdFromFormat2(t *testing.T) {
	for v := 2; v <= 4; v++ {
		t.Run(fmt.Sprint("v", v), func(t *testing.T) {
			vm := mustToSexpr(t, hvmDomain("", floppiesAndCdrom), v)
			img := vm.Lookup("image/hvm")
			if img.Has("cdrom") {
				t.Errorf("(cdrom) in image at v%d", v)
			}
			// Floppies stay in the image: qemu-dm has no floppy vbd.
			if img.Get("fda") != "/img/floppy-a.img" || img.Get("fdb") != "/img/floppy-b.img" {
				t.Errorf("floppies missing from image: %s", img)
			}
			var got []string
			for _, vbd := range devicesOf(vm, "vbd") {
				got = append(got, vbd.String())
			}
			want := []string{
				"(vbd (dev hda:disk) (uname file:/img/hd.img) (mode w))",
				"(vbd (dev hdc:cdrom) (uname file:/img/boot.iso) (mode r))",
			}
			if !slices.Equal(got, want) {
				t.Errorf("vbds\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestSourcelessCdrom(t *testing.T) {
	cd := `<disk device='cdrom'><target dev='hdc'/><readonly/></disk>`
	vm := mustToSexpr(t, hvmDomain("", cd), 2)
	vbds := devicesOf(vm, "vbd")
	if len(vbds) != 1 || vbds[0].String() != "(vbd (dev hdc:cdrom) (mode r))" {
		t.Errorf("got %s", vm)
	}
	// xend 3.0.2 has no empty cdrom slot.
	vm = mustToSexpr(t, hvmDomain("", cd), 1)
	if len(devicesOf(vm, "vbd")) != 0 || vm.Lookup("image/hvm").Has("cdrom") {
		t.Errorf("v1: got %s", vm)
	}
}

func TestConsoleIsSerialPty(t *testing.T) {
	for _, console := range []string{
		`<console/>`,
		`<console type='pty'/>`,
		`<console type='pty'><target type='serial' port='0'/></console>`,
		`<console tty='/dev/pts/4'/>`,
	} {
		for v := 1; v <= 4; v++ {
			vm := mustToSexpr(t, hvmDomain("", console), v)
			if got := vm.Get("image/hvm/serial"); got != "pty" {
				t.Errorf("v%d %s: (serial %s), want pty", v, console, got)
			}
		}
	}
	// An explicit serial wins over the console that mirrors it.
	vm := mustToSexpr(t, hvmDomain("", `<serial type='null'/><console type='pty'/>`), 4)
	if got := vm.Get("image/hvm/serial"); got != "null" {
		t.Errorf("(serial %s), want null", got)
	}
	// No console, no serial: xend is told so.
	vm = mustToSexpr(t, hvmDomain("", ""), 4)
	if got := vm.Get("image/hvm/serial"); got != "none" {
		t.Errorf("(serial %s), want none", got)
	}
}

func TestHVMVifTypeIoemu(t *testing.T) {
	nics := `
    <interface type='bridge'><mac address='00:16:3e:00:00:01'/><source bridge='xenbr0'/><model type='e1000'/></interface>
    <interface type='bridge'><mac address='00:16:3e:00:00:02'/><source bridge='xenbr0'/></interface>
    <interface type='bridge'><mac address='00:16:3e:00:00:03'/><source bridge='xenbr0'/><model type='netfront'/></interface>`
	for v := 1; v <= 4; v++ {
		vm := mustToSexpr(t, hvmDomain("", nics), v)
		vifs := devicesOf(vm, "vif")
		if len(vifs) != 3 {
			t.Fatalf("v%d: %d vifs", v, len(vifs))
		}
		wantIoemu := v <= 3
		for i, vif := range vifs[:2] {
			if got := vif.Get("type") == "ioemu"; got != wantIoemu {
				t.Errorf("v%d vif %d: (type ioemu) present=%v, want %v: %s", v, i, got, wantIoemu, vif)
			}
		}
		if vifs[0].Get("model") != "e1000" {
			t.Errorf("v%d: model lost: %s", v, vifs[0])
		}
		if got := vifs[2].Get("type"); got != "netfront" || vifs[2].Has("model") {
			t.Errorf("v%d: netfront vif %s", v, vifs[2])
		}
	}
	// PV vifs never get (type ioemu).
	vm := mustToSexpr(t, pvDomain(`<interface type='bridge'><source bridge='xenbr0'/><model type='e1000'/></interface>`), 1)
	if vif := devicesOf(vm, "vif")[0]; vif.Has("type") || vif.Get("model") != "e1000" {
		t.Errorf("PV vif %s", vif)
	}
}

func TestDashlessUUIDWrittenDashed(t *testing.T) {
	for _, in := range []string{
		"596a5d2171f48fb2e068e2386a5c413e",
		"596A5D2171F48FB2E068E2386A5C413E",
		"596a5d21-71f4-8fb2-e068-e2386a5c413e",
		"59 6a 5d 21 71 f4 8f b2 e0 68 e2 38 6a 5c 41 3e",
	} {
		xml := strings.Replace(string(pvDomain("")), "596a5d21-71f4-8fb2-e068-e2386a5c413e", in, 1)
		vm := mustToSexpr(t, []byte(xml), 4)
		if got := vm.Get("uuid"); got != "596a5d21-71f4-8fb2-e068-e2386a5c413e" {
			t.Errorf("%q -> (uuid %s)", in, got)
		}
	}
}

func TestManyDisksAndInterfaces(t *testing.T) {
	const n = 300
	var devs strings.Builder
	for i := range n {
		fmt.Fprintf(&devs, "<disk type='file'><source file='/img/d%d.img'/><target dev='xvd%d'/></disk>\n", i, i)
		fmt.Fprintf(&devs, "<interface type='bridge'><mac address='00:16:3e:00:%02x:%02x'/><source bridge='br%d'/></interface>\n", i>>8, i&0xff, i)
	}
	for _, v := range []int{1, 4} {
		vm := mustToSexpr(t, pvDomain(devs.String()), v)
		vbds, vifs := devicesOf(vm, "vbd"), devicesOf(vm, "vif")
		if len(vbds) != n || len(vifs) != n {
			t.Fatalf("v%d: %d vbds, %d vifs, want %d each", v, len(vbds), len(vifs), n)
		}
		for i := range n {
			if got, want := vbds[i].Get("uname"), fmt.Sprintf("file:/img/d%d.img", i); got != want {
				t.Fatalf("vbd %d: %s, want %s", i, got, want)
			}
			if got, want := vifs[i].Get("bridge"), fmt.Sprintf("br%d", i); got != want {
				t.Fatalf("vif %d: %s, want %s", i, got, want)
			}
		}
		// Disks come first, then interfaces, in XML order.
		kinds := deviceKinds(vm)
		if kinds[n-1] != "vbd" || kinds[n] != "vif" {
			t.Errorf("device order: %v ...", kinds[n-2:n+2])
		}
		if _, err := sexpr.ParseString(vm.String()); err != nil {
			t.Fatal(err)
		}
	}
}
