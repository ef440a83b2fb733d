package fake

import (
	"context"
	"net/url"
	"strings"
	"testing"
)

// The device ops as xend 3.x does them (xend-protocol.md §3), seen
// through the records the host then serves.
func TestDeviceOps(t *testing.T) {
	ctx := context.Background()
	h := NewDefault()
	op := func(ref, name string, f url.Values) error { return h.Op(ctx, ref, name, f) }
	rec := func(ref string) string {
		r, err := h.Domain(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		return r.String()
	}
	vbd := url.Values{"config": {"(vbd (dev xvdb) (uname phy:/dev/sdb) (mode w))"}}
	if err := op("fc8", "device_create", vbd); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rec("fc8"), "(uname phy:/dev/sdb)") {
		t.Errorf("the attached disk is not in the record: %s", rec("fc8"))
	}
	if err := op("fc8", "device_create", vbd); err == nil || err.Error() != "Device xvdb (51728, vbd) is already connected." {
		t.Errorf("second attach: %v", err)
	}
	for _, c := range []struct {
		ref, op string
		form    url.Values
		want    string
	}{
		{"fc8", "device_create", url.Values{"config": {"(vbd (uname phy:/dev/sdc) (mode w))"}}, "Block device must have virtual details specified"},
		{"fc8", "device_create", url.Values{"config": {"(vbd (dev xvdc) (mode w))"}}, "Block device must have physical details specified"},
		{"fc8", "device_create", url.Values{"config": {"(usb (dev 1))"}}, "Unknown device type: usb"},
		{"fc8", "device_destroy", url.Values{"type": {"vbd"}, "dev": {"51744"}, "force": {"0"}, "rm_cfg": {"1"}}, "Device 51744 not connected"},
		{"rhel5", "device_destroy", url.Values{"type": {"vbd"}, "dev": {"51744"}, "force": {"0"}, "rm_cfg": {"1"}}, "Device 51744 is not defined"},
		// Only a read-only cdrom is reconfigured, and only while running.
		{"winxp", "device_configure", url.Values{"config": {"(vbd (dev hda:disk) (uname file:/x) (mode w))"}, "dev": {"768"}}, "Refusing to reconfigure device vbd:768 to (vbd (dev hda:disk) (uname file:/x) (mode w))"},
		{"winxp", "device_configure", url.Values{"config": {"(vbd (dev hdd:cdrom) (mode r))"}, "dev": {"5632"}}, "Refusing to reconfigure device vbd:5632 to (vbd (dev hdd:cdrom) (mode r))"},
		{"rhel5", "device_configure", url.Values{"config": {"(vbd (dev xvda) (mode r))"}, "dev": {"51712"}}, "Device 51712 not connected"},
		{"fc8", "device_destroy", url.Values{"type": {"vbd"}, "dev": {"51728"}}, "Missing parameter: force"},
	} {
		if err := op(c.ref, c.op, c.form); err == nil || err.Error() != c.want {
			t.Errorf("%s %s %v: %v, want %q", c.ref, c.op, c.form, err, c.want)
		}
	}
	// A halted domain without rm_cfg keeps its devices, without complaint.
	if err := op("rhel5", "device_destroy", url.Values{"type": {"tap"}, "dev": {"xvda"}, "force": {"0"}, "rm_cfg": {"0"}}); err != nil {
		t.Errorf("rm_cfg=0 on a halted domain: %v", err)
	}
	if !strings.Contains(rec("rhel5"), "rhel5.img") {
		t.Error("rm_cfg=0 removed the disk from the definition")
	}
	if err := op("winxp", "device_configure", url.Values{"config": {"(vbd (dev hdc:cdrom) (mode r))"}, "dev": {"5632"}}); err != nil {
		t.Fatal(err)
	}
	if r := rec("winxp"); strings.Contains(r, "winxp-sp3.iso") || !strings.Contains(r, "(boot d)") {
		t.Errorf("eject: %s", r)
	}
	if err := op("fc8", "device_destroy", url.Values{"type": {"vbd"}, "dev": {"xvdb"}, "force": {"0"}, "rm_cfg": {"1"}}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(rec("fc8"), "/dev/sdb") {
		t.Error("the detached disk is still in the record")
	}
	// A tap2 disk is a disk too: its devid is its target's number.
	if err := op("fc8", "device_create", url.Values{"config": {"(tap2 (dev xvdd) (uname tap2:aio:/x.img) (mode w))"}}); err != nil {
		t.Fatal(err)
	}
	if err := op("fc8", "device_destroy", url.Values{"type": {"tap2"}, "dev": {"xvdd"}, "force": {"0"}, "rm_cfg": {"1"}}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(rec("fc8"), "/x.img") {
		t.Error("the detached tap2 disk is still in the record")
	}
}

// Before format 3 xend has no definitions: device_create needs a running
// domain and changes only it.
func TestDeviceOpsFormat2(t *testing.T) {
	ctx := context.Background()
	h := NewDefaultFormat(2)
	if err := h.Op(ctx, "fc8", "device_create", url.Values{"config": {"(vif (bridge xenbr1))"}}); err != nil {
		t.Fatal(err)
	}
	r, _ := h.Domain(ctx, "fc8")
	if !strings.Contains(r.String(), "(bridge xenbr1) (devid 1) (mac 00:16:3e:") {
		t.Errorf("attached vif: %s", r)
	}
}
