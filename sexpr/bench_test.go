package sexpr

import (
	"strings"
	"testing"
)

// A typical HVM domain record as xend returns it for GET /xend/domain/X?detail=1.
const hvmRecord = `(domain
    (domid 3)
    (on_crash restart)
    (uuid 8c8ddea1-9fd5-4c8c-bd2f-0c0c0c0c0c0c)
    (bootloader_args )
    (vcpus 2)
    (name 'win2k3 test')
    (on_poweroff destroy)
    (on_reboot restart)
    (bootloader )
    (maxmem 1024)
    (memory 1024)
    (shadow_memory 9)
    (cpu_weight 256)
    (cpu_cap 0)
    (features )
    (on_xend_start ignore)
    (on_xend_stop ignore)
    (start_time 1158242512.35)
    (cpu_time 12.472164381)
    (online_vcpus 2)
    (image
        (hvm
            (kernel /usr/lib/xen/boot/hvmloader)
            (boot dc)
            (fda /var/lib/xen/images/floppy.img)
            (device_model /usr/lib/xen/bin/qemu-dm)
            (serial pty)
            (acpi 1) (apic 1) (pae 1) (usb 1) (usbdevice tablet)
            (vnc 1) (vncunused 1) (vnclisten 127.0.0.1) (keymap en-us)
            (notes (SUSPEND_CANCEL 1))
        )
    )
    (status 2)
    (state -b----)
    (store_mfn 262142)
    (device (vif (bridge xenbr0) (mac 00:16:3e:5d:ee:bc) (script vif-bridge) (type ioemu)))
    (device (vbd (uname file:/var/lib/xen/images/win.img) (dev hda:disk) (mode w)))
    (device (vbd (uname file:/var/lib/xen/images/win2k3.iso) (dev hdc:cdrom) (mode r)))
    (device (vfb (vncunused 1) (type vnc) (vnclisten 127.0.0.1)))
    (device (console (protocol vt100) (location 3) (uuid 'b5d0b8e6-1f66-5bd3-7bb7-98bc75ac9c60')))
)
`

func BenchmarkParse(b *testing.B) {
	// Many records back to back inside one list, so the figure is about
	// the reader, not per-call overhead.
	in := "(domains " + strings.Repeat(hvmRecord, 64) + ")"
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ParseString(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPrint(b *testing.B) {
	n, err := ParseString(hvmRecord)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = n.String()
	}
}

// BenchmarkClone copies one domain record, as the fake host copies a
// config when a domain starts (and the demo host at start-up).
func BenchmarkClone(b *testing.B) {
	n, err := ParseString(hvmRecord)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = n.Clone()
	}
}
