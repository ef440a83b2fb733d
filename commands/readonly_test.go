package commands

import (
	"context"
	"os"
	"strings"
	"testing"
)

// readOnlyLines is one refused use of each command flagged Changes, with
// the error lines virsh -r prints for it (the context line, then
// libvirt's "operation forbidden"). A new changing command must be added
// here: the test fails for any flagged command missing from the map.
var readOnlyLines = map[string]struct{ line, stderr string }{
	"create":    {"create /dev/null", ""},
	"define":    {"define /dev/null", ""},
	"desc":      {"desc rhel5 --new-desc x", "error: Failed to set new domain description\nerror: operation forbidden: read only access prevents virDomainSetMetadata\n"},
	"edit":      {"edit rhel5", "error: operation forbidden: virDomainGetXMLDesc with secure flag\n"},
	"destroy":   {"destroy fc8", "error: Failed to destroy domain 'fc8'\nerror: operation forbidden: read only access prevents virDomainDestroy\n"},
	"reboot":    {"reboot fc8", "error: Failed to reboot domain 'fc8'\nerror: operation forbidden: read only access prevents virDomainReboot\n"},
	"resume":    {"resume fc8", "error: Failed to resume domain 'fc8'\nerror: operation forbidden: read only access prevents virDomainResume\n"},
	"roundtrip": {"roundtrip fc8", "error: Failed to define a copy of domain 'fc8'\nerror: operation forbidden: read only access prevents virDomainDefineXML\n"},
	"setmaxmem": {"setmaxmem fc8 100000", "error: Unable to change MaxMemorySize\nerror: operation forbidden: read only access prevents virDomainSetMemoryFlags\n"},
	"setmem":    {"setmem fc8 100000", "error: operation forbidden: read only access prevents virDomainSetMemoryFlags\n"},
	"setvcpus":  {"setvcpus fc8 1", "error: operation forbidden: read only access prevents virDomainSetVcpus\n"},
	"shutdown":  {"shutdown fc8", "error: Failed to shutdown domain 'fc8'\nerror: operation forbidden: read only access prevents virDomainShutdown\n"},
	"start":     {"start rhel5", "error: Failed to start domain 'rhel5'\nerror: operation forbidden: read only access prevents virDomainCreate\n"},
	"suspend":   {"suspend fc8", "error: Failed to suspend domain 'fc8'\nerror: operation forbidden: read only access prevents virDomainSuspend\n"},
	"save":      {"save fc8 /tmp/xvirsh-ro.sav", "error: Failed to save domain 'fc8' to /tmp/xvirsh-ro.sav\nerror: operation forbidden: read only access prevents virDomainSave\n"},
	"restore":   {"restore /tmp/xvirsh-ro.sav", "error: Failed to restore domain from /tmp/xvirsh-ro.sav\nerror: operation forbidden: read only access prevents virDomainRestore\n"},
	"dump":      {"dump fc8 /tmp/xvirsh-ro.core", "error: Failed to core dump domain 'fc8' to /tmp/xvirsh-ro.core\nerror: operation forbidden: read only access prevents virDomainCoreDump\n"},
	"migrate":   {"migrate fc8 xen+unix:///nonexistent", "error: operation forbidden: read only access prevents virDomainMigrate3\n"},
	"autostart": {"autostart fc8", "error: Failed to mark domain 'fc8' as autostarted\nerror: operation forbidden: read only access prevents virDomainSetAutostart\n"},
	"reset":     {"reset fc8", "error: Failed to reset domain 'fc8'\nerror: operation forbidden: read only access prevents virDomainReset\n"},
	"domrename": {"domrename rhel5 rhel6", "error: operation forbidden: read only access prevents virDomainRename\n"},
	"send-key":  {"send-key fc8 KEY_LEFTALT KEY_SYSRQ KEY_B", "error: operation forbidden: read only access prevents virDomainSendKey\n"},
	"vcpupin":   {"vcpupin fc8 0 0", "error: operation forbidden: read only access prevents virDomainPinVcpu\n"},
	"schedinfo": {"schedinfo fc8 --set weight=100", "error: operation forbidden: read only access prevents virDomainSetSchedulerParameters\n"},
	"undefine":  {"undefine rhel5", "error: Failed to undefine domain 'rhel5'\nerror: operation forbidden: read only access prevents virDomainUndefineFlags\n"},
}

// TestReadOnlyRefusesChanges runs every command flagged Changes on a
// read-only connection: each fails with virsh's words and the host is as
// it was.
func TestReadOnlyRefusesChanges(t *testing.T) {
	for _, c := range Default() {
		if !c.has(Changes) {
			continue
		}
		tc, ok := readOnlyLines[c.Name]
		if !ok {
			tc, ok = deviceReadOnlyLines[c.Name]
		}
		if !ok {
			t.Errorf("%s is flagged Changes but has no read-only case", c.Name)
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			e, out, errb := demoEnv(t)
			ctx := context.Background()
			e.ExecLine(ctx, "list --all --uuid --id")
			before := out.String()
			out.Reset()
			e.ReadOnly = true
			if ok, _ := e.ExecLine(ctx, tc.line); ok {
				t.Fatalf("%q succeeded on a read-only connection", tc.line)
			}
			if tc.stderr != "" && errb.String() != tc.stderr {
				t.Errorf("stderr = %q, want %q", errb, tc.stderr)
			}
			if !strings.Contains(errb.String(), "error: operation forbidden") && c.Name != "create" && c.Name != "define" && !deviceFileCommand[c.Name] {
				t.Errorf("stderr = %q, want operation forbidden", errb)
			}
			e.ReadOnly = false
			out.Reset()
			e.ExecLine(ctx, "list --all --uuid --id")
			if out.String() != before {
				t.Errorf("the host changed:\n%s\nwas\n%s", out, before)
			}
		})
	}
}

// TestReadOnlyFileCommands: create and define refuse a valid file too.
func TestReadOnlyFileCommands(t *testing.T) {
	e, out, errb := demoEnv(t)
	ctx := context.Background()
	e.ExecLine(ctx, "dumpxml rhel5")
	xml := out.String()
	file := t.TempDir() + "/d.xml"
	if err := os.WriteFile(file, []byte(strings.Replace(xml, "<name>rhel5", "<name>copy", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	e.ReadOnly = true
	for _, verb := range []string{"create", "define"} {
		errb.Reset()
		e.ExecLine(ctx, verb+" "+file)
		api := map[string]string{"create": "virDomainCreateXML", "define": "virDomainDefineXML"}[verb]
		want := "error: Failed to " + verb + " domain from " + file + "\nerror: operation forbidden: read only access prevents " + api + "\n"
		if errb.String() != want {
			t.Errorf("stderr = %q, want %q", errb, want)
		}
	}
	errb.Reset()
	e.ExecLine(ctx, "dumpxml winxp --security-info")
	if want := "error: operation forbidden: virDomainGetXMLDesc with secure flag\n"; errb.String() != want {
		t.Errorf("stderr = %q, want %q", errb, want)
	}
}
