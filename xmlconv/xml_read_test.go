package xmlconv

import (
	"errors"
	"strings"
	"testing"
)

func TestToSexprErrors(t *testing.T) {
	pv := func(dev string) string { return string(pvDomain(dev)) }
	hvm := func(osExtra, dev string) string { return string(hvmDomain(osExtra, dev)) }
	tests := []struct {
		name    string
		xml     string
		v       int
		want    string // substring of the message
		invalid bool   // errors.Is ErrInvalidXML, else ErrUnsupportedConfig
	}{
		{"empty file", "", 4, "empty document", true},
		{"blank file", " \n\t", 4, "empty document", true},
		{"malformed", "<domain><name>x</name>", 4, "malformed XML", true},
		{"mismatched tag", "<domain><name>x</nam></domain>", 4, "malformed XML", true},
		{"not xml", "(vm (name x))", 4, "", true},
		{"two roots", "<domain/><domain/>", 4, "more than one root", true},
		{"non-domain root", "<network><name>x</name></network>", 4, "root element is <network>", true},
		{"kvm domain", "<domain type='kvm'><name>x</name><memory>1</memory></domain>", 4, "domain type 'kvm'", false},
		{"missing name", "<domain><memory>65536</memory></domain>", 4, "missing name", true},
		{"empty name", "<domain><name></name><memory>65536</memory></domain>", 4, "missing name", true},
		{"bad uuid", strings.Replace(pv(""), "596a5d21-71f4-8fb2-e068-e2386a5c413e", "596a5d21-71f4-8fb2-e068-e2386a5c41", 1), 4, "malformed uuid", true},
		{"uuid junk", strings.Replace(pv(""), "596a5d21-71f4-8fb2-e068-e2386a5c413e", "not-a-uuid", 1), 4, "malformed uuid", true},
		{"missing memory", "<domain><name>x</name></domain>", 4, "missing <memory>", true},
		{"bad memory", "<domain><name>x</name><memory>lots</memory></domain>", 4, "not a non-negative integer", true},
		{"bad memory unit", "<domain><name>x</name><memory unit='parsecs'>1</memory></domain>", 4, "unknown unit", true},
		{"zero memory", "<domain><name>x</name><memory>0</memory></domain>", 4, "greater than zero", true},
		{"bad vcpu", strings.Replace(pv(""), "<vcpu>2</vcpu>", "<vcpu>two</vcpu>", 1), 4, "<vcpu>", true},
		{"too many vcpus", strings.Replace(pv(""), "<vcpu>2</vcpu>", "<vcpu>4097</vcpu>", 1), 4, "<vcpu> of 4097 is more than the 4096 vcpus", false},
		{"too much memory", strings.Replace(pv(""), "<memory>430080</memory>", "<memory unit='MiB'>8796093022209</memory>", 1), 4, "<memory> of 9007199254742016 KiB is more than the 8796093022208 MiB", false},
		{"vcpu current too big", strings.Replace(pv(""), "<vcpu>2</vcpu>", "<vcpu current='3'>2</vcpu>", 1), 4, "exceeds", true},
		{"cpuset past the last cpu", strings.Replace(pv(""), "<vcpu>2</vcpu>", "<vcpu cpuset='0,4096'>2</vcpu>", 1), 4, "malformed cpuset '0,4096'", true},
		{"bad cpuset", strings.Replace(pv(""), "<vcpu>2</vcpu>", "<vcpu cpuset='0-x'>2</vcpu>", 1), 4, "malformed cpuset", true},
		{"bad lifecycle", strings.Replace(pv(""), "<devices>", "<on_reboot>reboot-twice</on_reboot><devices>", 1), 4, "unexpected lifecycle value 'reboot-twice'", true},
		// ToXML refuses these (libvirt allows coredump on crashes only), so
		// a domain created with one could never be dumped again.
		{"coredump on poweroff", strings.Replace(pv(""), "<devices>", "<on_poweroff>coredump-destroy</on_poweroff><devices>", 1), 4, "unexpected lifecycle value 'coredump-destroy' in <on_poweroff>", true},
		{"coredump on reboot", strings.Replace(pv(""), "<devices>", "<on_reboot>coredump-restart</on_reboot><devices>", 1), 4, "unexpected lifecycle value 'coredump-restart' in <on_reboot>", true},
		{"unknown boot device", hvm("<boot dev='floppy'/>", ""), 4, "unknown boot device 'floppy'", true},
		{"hvm without loader", strings.Replace(hvm("", ""), "<loader>/usr/lib/xen/boot/hvmloader</loader>", "", 1), 4, "no HVM domain loader", true},
		{"clock reset v4", strings.Replace(hvm("", ""), "<devices>", "<clock offset='utc' adjustment='reset'/><devices>", 1), 4, "adjustment='reset'", false},
		{"clock timezone", strings.Replace(pv(""), "<devices>", "<clock offset='timezone'/><devices>", 1), 2, "unsupported clock offset='timezone'", false},
		{"bad disk driver name", pv(`<disk type='file'><driver name='nfs:v4'/><source file='/x'/><target dev='xvda'/></disk>`), 4, "bad disk driver name 'nfs:v4'", true},
		{"unknown disk driver type", pv(`<disk type='file'><driver name='tap' type='sync'/><source file='/x'/><target dev='xvda'/></disk>`), 4, "unknown disk driver type 'sync'", true},
		{"network disk", pv(`<disk type='network'><source protocol='nbd' name='x'/><target dev='xvda'/></disk>`), 4, "unsupported disk type network", false},
		{"dir disk without driver", pv(`<disk type='dir'><source dir='/srv'/><target dev='xvda'/></disk>`), 4, "unsupported disk type dir", false},
		{"unknown disk type", pv(`<disk type='nfs'><source file='/x'/><target dev='xvda'/></disk>`), 4, "unknown disk type 'nfs'", true},
		{"unknown disk device", pv(`<disk device='tape'><source file='/x'/><target dev='xvda'/></disk>`), 4, "unknown disk device 'tape'", true},
		{"disk without target", pv(`<disk type='file'><source file='/x'/></disk>`), 4, "no <target dev", true},
		{"pv floppy without source", pv(`<disk type='file' device='floppy'><target dev='fda'/></disk>`), 4, "disk fda has no source", true},
		{"target /dev/ alone", pv(`<disk type='file'><source file='/x'/><target dev='/dev/'/></disk>`), 4, "no <target dev", true},
		{"rate too high", pv(`<interface type='bridge'><bandwidth><outbound average='4503599627370497'/></bandwidth></interface>`), 4, "average 4503599627370497 KB/s", false},
		{"disk without source", pv(`<disk type='file'><target dev='xvda'/></disk>`), 4, "has no source", true},
		{"duplicate disk target", pv(`<disk type='file'><source file='/x'/><target dev='hda'/></disk><disk type='file'><source file='/y'/><target dev='hda'/></disk>`), 4, "target 'hda' duplicated for disk sources '/x' and '/y'", true},
		{"duplicate disk target after ioemu:", pv(`<disk type='file'><source file='/x'/><target dev='ioemu:xvdb'/></disk><disk type='file' device='cdrom'><target dev='xvdb:cdrom'/></disk>`), 4, "target 'xvdb' duplicated for disk sources '/x' and '<null>'", true},
		{"transient disk", pv(`<disk type='file'><source file='/x'/><target dev='xvda'/><transient/></disk>`), 4, "transient disks not supported yet", false},
		{"network interface", pv(`<interface type='network'><source network='default'/></interface>`), 4, "interface type 'network'", false},
		{"user interface", pv(`<interface type='user'/>`), 4, "unsupported network type 'user'", false},
		{"blank in ip", pv(`<interface type='bridge'><source bridge='b'/><ip address='192.0.2.1 192.0.2.2'/></interface>`), 4, "contains blanks", true},
		{"bad mac", pv(`<interface type='bridge'><mac address='00:16:3e:zz:00:01'/></interface>`), 4, "malformed mac address '00:16:3e:zz:00:01'", true},
		{"short mac", pv(`<interface type='bridge'><mac address='00:16:3e:00:01'/></interface>`), 4, "malformed mac address", true},
		{"bad rate", pv(`<interface type='bridge'><bandwidth><outbound average='fast'/></bandwidth></interface>`), 4, "bandwidth average 'fast'", true},
		{"managed pci", pv(`<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0' bus='0' slot='1' function='0'/></source></hostdev>`), 4, "managed PCI devices not supported with XenD", false},
		{"pci missing bus", pv(`<hostdev mode='subsystem' type='pci'><source><address domain='0' slot='1' function='0'/></source></hostdev>`), 4, "lacks 'bus'", true},
		{"pci bad octal", pv(`<hostdev mode='subsystem' type='pci'><source><address domain='0' bus='08' slot='1' function='0'/></source></hostdev>`), 4, "cannot parse PCI bus '08'", true},
		{"pci function range", pv(`<hostdev mode='subsystem' type='pci'><source><address domain='0' bus='0' slot='1' function='8'/></source></hostdev>`), 4, "cannot parse PCI function '8'", true},
		{"spice", pv(`<graphics type='spice'/>`), 4, "unexpected graphics type 'spice'", false},
		{"bad vnc port", pv(`<graphics type='vnc' port='fifty'/>`), 4, "vnc port 'fifty'", true},
		{"spicevmc serial", hvm("", `<serial type='spicevmc'/>`), 4, "unsupported chr device type 'spicevmc'", false},
		{"unknown chr type", hvm("", `<serial type='carrier-pigeon'/>`), 4, "unexpected chr device type 'carrier-pigeon'", true},
		{"file serial without path", hvm("", `<serial type='file'/>`), 4, "has no source path", true},
		{"two serials one port", hvm("", `<serial type='null'><target port='1'/></serial><serial type='vc'><target port='1'/></serial>`), 4, "two serial devices on port 1", true},
		{"unknown sound", hvm("", `<sound model='gus'/>`), 4, "unexpected sound model 'gus'", false},
		{"usb joystick", hvm("", `<input type='joystick' bus='usb'/>`), 4, "unexpected input type 'joystick'", false},
		{"bad hpet", strings.Replace(hvm("", ""), "<devices>", "<clock offset='utc'><timer name='hpet' present='maybe'/></clock><devices>", 1), 4, "present='maybe'", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vm, err := ToSexpr([]byte(tt.xml), tt.v)
			if err == nil {
				t.Fatalf("no error; got %s", vm)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			sentinel := ErrUnsupportedConfig
			if tt.invalid {
				sentinel = ErrInvalidXML
			}
			if !errors.Is(err, sentinel) {
				t.Errorf("error %q is not %v", err, sentinel)
			}
		})
	}
}

func TestToSexprBadVersion(t *testing.T) {
	for _, v := range []int{-1, 5, 99} {
		if _, err := ToSexpr(pvDomain(""), v); err == nil || !strings.Contains(err.Error(), "config format") {
			t.Errorf("version %d: error %v", v, err)
		}
	}
	// 0 means the default, format 4.
	a, b := mustToSexpr(t, hvmDomain("", ""), 0), mustToSexpr(t, hvmDomain("", ""), DefaultVersion)
	if a.String() != b.String() {
		t.Errorf("version 0 differs from DefaultVersion:\n%s\n%s", a, b)
	}
}
