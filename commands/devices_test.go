package commands

import (
	"context"
	"os"
	"testing"
)

// deviceReadOnlyLines are the device commands' cases of
// TestReadOnlyRefusesChanges.
var deviceReadOnlyLines = map[string]struct{ line, stderr string }{
	// The device files are read before the connection is asked: an empty
	// one fails as XML first, as in virsh.
	"attach-device":    {"attach-device fc8 /dev/null", ""},
	"detach-device":    {"detach-device fc8 /dev/null", ""},
	"update-device":    {"update-device fc8 /dev/null", ""},
	"attach-disk":      {"attach-disk fc8 /dev/null xvdb", "error: Failed to attach disk\nerror: operation forbidden: read only access prevents virDomainAttachDeviceFlags\n"},
	"detach-disk":      {"detach-disk fc8 xvda", "error: Failed to detach disk\nerror: operation forbidden: read only access prevents virDomainDetachDeviceFlags\n"},
	"attach-interface": {"attach-interface fc8 bridge xenbr1", "error: Failed to attach interface\nerror: operation forbidden: read only access prevents virDomainAttachDeviceFlags\n"},
	"detach-interface": {"detach-interface fc8 bridge", "error: Failed to detach interface\nerror: operation forbidden: read only access prevents virDomainDetachDeviceFlags\n"},
	"change-media":     {"change-media winxp hdc --eject", "error: Failed to complete action eject on media\nerror: operation forbidden: read only access prevents virDomainUpdateDeviceFlags\n"},
}

// deviceFileCommand are the device commands whose read-only case fails on
// the empty file before the connection is asked.
var deviceFileCommand = map[string]bool{"attach-device": true, "detach-device": true, "update-device": true}

// TestReadOnlyDeviceFiles: attach-device, detach-device and update-device
// refuse a valid device file on a read-only connection with libvirt's
// words, and nothing reaches the host.
func TestReadOnlyDeviceFiles(t *testing.T) {
	e, out, errb := demoEnv(t)
	ctx := context.Background()
	file := t.TempDir() + "/d.xml"
	disk := "<disk type='file' device='disk'><source file='/x.img'/><target dev='xvdb'/></disk>"
	if err := os.WriteFile(file, []byte(disk), 0o644); err != nil {
		t.Fatal(err)
	}
	e.ExecLine(ctx, "dumpxml fc8")
	before := out.String()
	e.ReadOnly = true
	for verb, api := range map[string]string{"attach": "virDomainAttachDeviceFlags", "detach": "virDomainDetachDeviceFlags", "update": "virDomainUpdateDeviceFlags"} {
		errb.Reset()
		if ok, _ := e.ExecLine(ctx, verb+"-device fc8 "+file); ok {
			t.Errorf("%s-device succeeded on a read-only connection", verb)
		}
		want := "error: Failed to " + verb + " device from " + file + "\nerror: operation forbidden: read only access prevents " + api + "\n"
		if errb.String() != want {
			t.Errorf("stderr = %q, want %q", errb, want)
		}
	}
	e.ReadOnly = false
	out.Reset()
	e.ExecLine(ctx, "dumpxml fc8")
	if out.String() != before {
		t.Errorf("fc8 changed on a read-only connection:\n%s", out)
	}
}
