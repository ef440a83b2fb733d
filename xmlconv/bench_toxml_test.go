package xmlconv

import (
	"testing"

	"xvirsh/sexpr"
)

// txBenchHVM is a typical running HVM guest as xend 3.x reports it.
const txBenchHVM = `(domain (domid 14) (on_crash restart) (uuid 6c3b4f3a-2f41-4d6e-9f0a-6f8e2f1d7c55)
 (bootloader_args) (vcpus 2) (name winbench) (on_poweroff destroy) (on_reboot restart)
 (bootloader) (maxmem 2048) (memory 2048) (shadow_memory 18) (vcpu_avail 3) (cpu_weight 256)
 (cpu_cap 0) (features) (on_xend_start ignore) (on_xend_stop ignore) (start_time 1226402137.5)
 (cpu_time 612.25) (online_vcpus 2)
 (image (hvm (kernel /usr/lib/xen/boot/hvmloader) (boot dc) (device_model /usr/lib/xen/bin/qemu-dm)
   (acpi 1) (apic 1) (pae 1) (hpet 0) (localtime 1) (rtc_timeoffset 0) (usb 1) (usbdevice tablet)
   (serial pty) (parallel none) (soundhw es1370) (vnc 1) (vncunused 1) (keymap en-us)
   (notes (SUSPEND_CANCEL 1))))
 (status 2) (state -b----) (store_mfn 1044476)
 (device (vif (mac 00:16:3e:4c:1a:02) (script vif-bridge) (bridge xenbr0) (type ioemu) (backend 0)))
 (device (vbd (uname phy:/dev/vg0/winbench) (mode w) (dev hda:disk) (backend 0) (bootable 1)))
 (device (vbd (uname file:/srv/iso/virtio-drivers.iso) (mode r) (dev hdc:cdrom) (backend 0)))
 (device (vfb (vncunused 1) (type vnc) (keymap en-us) (location 127.0.0.1:5914)))
 (device (console (protocol vt100) (location 3))))`

func BenchmarkSexprToXML(b *testing.B)    { benchToXML(b, txBenchHVM) }
func BenchmarkSexprToXML300(b *testing.B) { benchToXML(b, txManyDevices(300)) }

// benchToXML measures ToXML alone on the record src: it is parsed once,
// outside the loop.
func benchToXML(b *testing.B, src string) {
	root, err := sexpr.ParseString(src)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ToXML(root, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
