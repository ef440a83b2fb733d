package xmlconv

import (
	"errors"
	"strings"
	"testing"

	"xvirsh/sexpr"
)

// TestDeviceEntryPoints: one device each way, as attach/detach need it,
// gives what the whole-domain conversion gives for that device.
func TestDeviceEntryPoints(t *testing.T) {
	for _, tc := range []struct {
		name, xml string
		hvm       bool
		sexpr     string
	}{
		{"pv disk", `<disk type='file' device='disk'><driver name='tap' type='qcow2'/><source file='/x.img'/><target dev='xvda' bus='xen'/></disk>`,
			false, `(device (tap (dev xvda) (uname tap:qcow2:/x.img) (mode w)))`},
		{"hvm cdrom", `<disk type='block' device='cdrom'><driver name='phy'/><source dev='/dev/sr0'/><target dev='hdc' bus='ide'/><readonly/></disk>`,
			true, `(device (vbd (dev hdc:cdrom) (uname phy:/dev/sr0) (mode r)))`},
		{"nic", `<interface type='bridge'><mac address='00:16:3e:00:00:01'/><source bridge='xenbr0'/><script path='vif-bridge'/><model type='e1000'/><bandwidth><outbound average='100'/></bandwidth></interface>`,
			true, `(device (vif (mac 00:16:3e:00:00:01) (rate 100KB/s) (bridge xenbr0) (script vif-bridge) (model e1000)))`},
		{"pci", `<hostdev mode='subsystem' type='pci' managed='no'><source><address domain='0x0000' bus='0x01' slot='0x13' function='0x0'/></source></hostdev>`,
			false, `(device (pci (dev (domain 0x0000) (bus 0x01) (slot 0x13) (func 0x0))))`},
		{"vnc", `<graphics type='vnc' port='5901' autoport='no' keymap='de'/>`,
			false, `(device (vfb (type vnc) (vncunused 0) (vncdisplay 1) (keymap de)))`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DeviceToSexpr([]byte(tc.xml), tc.hvm, DefaultVersion)
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tc.sexpr {
				t.Errorf("DeviceToSexpr = %s\nwant %s", got, tc.sexpr)
			}
			// and back: the same element, as ToXML prints it
			back, err := DeviceToXML(got, Options{})
			if err != nil {
				t.Fatal(err)
			}
			again, err := DeviceToSexpr([]byte(back), tc.hvm, DefaultVersion)
			if err != nil {
				t.Fatalf("%v\n%s", err, back)
			}
			if again.String() != tc.sexpr {
				t.Errorf("after DeviceToXML:\n%s\ngives %s", back, again)
			}
		})
	}
}

func TestDeviceErrors(t *testing.T) {
	_, err := DeviceToSexpr([]byte(`<disk type='file' device='floppy'><source file='/f.img'/><target dev='fda'/></disk>`), true, 4)
	if !errors.Is(err, ErrInvalidArg) || !strings.Contains(err.Error(), "Cannot directly attach floppy /f.img") {
		t.Errorf("HVM floppy: %v", err)
	}
	_, err = DeviceToSexpr([]byte(`<disk type='file' device='cdrom'><source file='/c.iso'/><target dev='hdc'/></disk>`), true, 1)
	if !errors.Is(err, ErrInvalidArg) || !strings.Contains(err.Error(), "Cannot directly attach CDROM /c.iso") {
		t.Errorf("3.0.2 HVM cdrom: %v", err)
	}
	// attach-device formats SEXPR too: a managed device is refused there as
	// in a whole domain (mapping.md §7.3).
	managed := `<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x01' slot='0x13' function='0x0'/></source></hostdev>`
	if _, err = DeviceToSexpr([]byte(managed), false, 4); !errors.Is(err, ErrUnsupportedConfig) || !strings.Contains(err.Error(), "managed PCI devices not supported with XenD") {
		t.Errorf("managed PCI: %v", err)
	}
	if _, err = DeviceToSexpr([]byte(`<sound model='sb16'/>`), true, 4); !errors.Is(err, ErrUnsupportedConfig) {
		t.Errorf("sound: %v", err)
	}
	vkbd, _ := sexpr.ParseString(`(device (vkbd))`)
	if _, err = DeviceToXML(vkbd, Options{}); err == nil {
		t.Error("vkbd: no error")
	}
}
