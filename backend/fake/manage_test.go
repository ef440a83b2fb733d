package fake

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xvirsh/backend"
)

func newGuest(t *testing.T, h *Host, name string, managed bool) {
	t.Helper()
	cfg := mustParse(t, pvConfig(name, ""))
	if managed {
		if err := h.New(ctx, cfg); err != nil {
			t.Fatal(err)
		}
		mustOp(t, h, name, "start")
		return
	}
	if err := h.Create(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	mustOp(t, h, name, "unpause")
}

// TestSaveRestore: save stops the domain (gone if transient, halted if
// managed) and writes a file restore brings back running, with the same
// config and a new domid; xend's refusals and messages otherwise.
func TestSaveRestore(t *testing.T) {
	dir := t.TempDir()
	for _, managed := range []bool{false, true} {
		h := New(4)
		newGuest(t, h, "web", managed)
		before := record(t, h, "web")
		file := filepath.Join(dir, "web.save")
		mustOp(t, h, "web", "save", "file", file)
		rec, err := h.Domain(ctx, "web")
		switch {
		case managed && (err != nil || rec.Has("domid")):
			t.Fatalf("managed domain after save: %v %v, want halted", rec, err)
		case !managed && !errors.Is(err, backend.ErrNotFound):
			t.Fatalf("transient domain after save: %v, want gone", err)
		}
		if err := h.Restore(ctx, file); err != nil {
			t.Fatal(err)
		}
		after := record(t, h, "web")
		if after.Get("domid") == before.Get("domid") || after.Get("state") != "-b----" {
			t.Errorf("restored domain: domid %s state %s, want a new domid, running", after.Get("domid"), after.Get("state"))
		}
		for _, key := range []string{"uuid", "memory", "maxmem", "vcpus", "image", "device"} {
			if after.Lookup(key).String() != before.Lookup(key).String() {
				t.Errorf("%s changed in save/restore: %s -> %s", key, before.Lookup(key), after.Lookup(key))
			}
		}
		// Restoring the running domain again is xend's clash.
		wantErr(t, h.Restore(ctx, file), backend.ErrExists, "already exists with ID")
	}

	h := New(4)
	newGuest(t, h, "web", false)
	mustOp(t, h, "web", "pause")
	wantErr(t, op(t, h, "web", "save", "file", filepath.Join(dir, "p.save")), backend.ErrInvalidState, "Domain is not running")
	wantErr(t, op(t, h, "Domain-0", "save", "file", filepath.Join(dir, "d.save")), backend.ErrInvalidState, "Cannot save privileged domain 0")
	mustOp(t, h, "web", "unpause")
	wantErr(t, op(t, h, "web", "save", "file", "/nonexistent/x.save"), nil, "can't write guest state file /nonexistent/x.save: No such file or directory")
	if _, err := h.Domain(ctx, "web"); err != nil {
		t.Errorf("a failed save stopped the domain: %v", err)
	}
	for name, content := range map[string]string{
		"text":      "hello, this is not a save file",
		"truncated": guestSignature + "\x00\x00\x01\x00(domain",
		"garbage":   guestSignature + "\x00\x00\x00\x05)))))",
		"empty":     "",
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		if err := h.Restore(ctx, p); err == nil || !strings.Contains(err.Error(), "not a valid guest state file") {
			t.Errorf("restore of %s: %v, want not a valid guest state file", name, err)
		}
	}
	wantErr(t, h.Restore(ctx, filepath.Join(dir, "nothere")), nil, "can't read guest state file")
}

func TestDumpResetRenameSysrq(t *testing.T) {
	dir := t.TempDir()
	h := New(4)
	newGuest(t, h, "web", true)
	core := filepath.Join(dir, "core")
	mustOp(t, h, "web", "dump", "file", core, "live", "0", "crash", "0", "reset", "0")
	if data, err := os.ReadFile(core); err != nil || !strings.Contains(string(data), "(name web)") {
		t.Errorf("core file: %q %v", data, err)
	}
	if record(t, h, "web").Get("domid") != "1" {
		t.Error("dump without crash stopped the domain")
	}
	mustOp(t, h, "web", "reset")
	if id := record(t, h, "web").Get("domid"); id != "2" {
		t.Errorf("domid after reset %s, want 2", id)
	}
	mustOp(t, h, "web", "dump", "file", core, "live", "1", "crash", "1", "reset", "0")
	if record(t, h, "web").Has("domid") {
		t.Error("dump --crash left the domain running")
	}
	wantErr(t, op(t, h, "web", "reset"), backend.ErrInvalidState, "Domain 'web' is not started")
	wantErr(t, op(t, h, "web", "sysrq", "key", "98"), backend.ErrInvalidState, "Domain 'web' is not started")
	wantErr(t, op(t, h, "web", "dump", "file", core, "live", "0", "crash", "0", "reset", "0"), backend.ErrInvalidState, "is not started")

	newGuest(t, h, "db", false)
	wantErr(t, op(t, h, "web", "rename", "name", "db"), backend.ErrExists, "VM name 'db' already exists as domain")
	wantErr(t, op(t, h, "web", "rename", "name", "bad name"), nil, "Invalid VM Name 'bad name'")
	mustOp(t, h, "web", "rename", "name", "www")
	if record(t, h, "www").Get("name") != "www" {
		t.Error("rename did not take")
	}
	// SysRq o powers the guest off; other keys act inside it.
	mustOp(t, h, "db", "sysrq", "key", "104")
	mustOp(t, h, "db", "sysrq", "key", "111")
	if _, err := h.Domain(ctx, "db"); !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("transient domain after SysRq o: %v, want gone", err)
	}
	wantErr(t, op(t, h, "Domain-0", "reset"), backend.ErrInvalidState, "Cannot reset privileged domain 0")
	if err := op(t, New(3), "Domain-0", "reset"); !errors.Is(err, backend.ErrUnsupported) {
		t.Errorf("reset on format 3: %v, want not implemented", err)
	}
}

func TestPinAndSched(t *testing.T) {
	h := New(4)
	newGuest(t, h, "web", false)
	mustOp(t, h, "web", "pincpu", "vcpu", "1", "cpumap", "2,3")
	info, err := h.VCPUInfo(ctx, "web")
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Children("vcpu")[1].Lookup("cpumap").String(); got != "(cpumap (2 3))" {
		t.Errorf("vcpu 1 cpumap %s, want (cpumap (2 3))", got)
	}
	wantErr(t, op(t, h, "web", "pincpu", "vcpu", "0", "cpumap", "[1,2]"), nil, "invalid literal for int() with base 10: '[1'")
	wantErr(t, op(t, h, "web", "pincpu", "vcpu", "0", "cpumap", "4"), nil, "Cannot pin vcpu: 0 to cpu: [4]")
	old := New(2)
	newGuest(t, old, "web", false)
	mustOp(t, old, "web", "pincpu", "vcpu", "0", "cpumap", "[1,2]")

	mustOp(t, h, "web", "domain_sched_credit_set", "weight", "512", "cap", "50")
	rec := record(t, h, "web")
	if rec.Kids[2].String() != "(cpu_weight 512)" || rec.Kids[3].String() != "(cpu_cap 50)" {
		t.Errorf("record after sched set: %s", rec)
	}
	wantErr(t, op(t, h, "web", "domain_sched_credit_set", "weight", "70000", "cap", "0"), nil, "weight is out of range")
	wantErr(t, op(t, h, "web", "domain_sched_credit_set", "weight", "1", "cap", "201"), nil, "cap is out of range")
	if err := op(t, old, "web", "domain_sched_credit_set", "weight", "1", "cap", "0"); !errors.Is(err, backend.ErrUnsupported) {
		t.Errorf("sched on format 2: %v, want not implemented", err)
	}
}

// TestMigrate moves a domain between two hosts: it runs on the
// destination, is gone from the source (halted there when managed), and a
// refused or unreachable destination leaves it where it was.
func TestMigrate(t *testing.T) {
	src, dst := New(4), New(4)
	src.SetRelocator(func(_ context.Context, dest string, port int) (backend.Xend, error) {
		if dest != "host2" {
			return nil, errors.New("(111, 'Connection refused')")
		}
		return nopClose{dst}, nil
	})
	newGuest(t, src, "web", false)
	newGuest(t, src, "db", true)
	form := []string{"destination", "host2", "live", "1", "port", "0", "node", "-1", "ssl", "0"}
	mustOp(t, src, "web", "migrate", form...)
	mustOp(t, src, "db", "migrate", form...)
	if _, err := src.Domain(ctx, "web"); !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("transient domain still on the source: %v", err)
	}
	if record(t, src, "db").Has("domid") {
		t.Error("managed domain still running on the source")
	}
	for _, n := range []string{"web", "db"} {
		if rec := record(t, dst, n); rec.Get("state") != "-b----" {
			t.Errorf("%s on the destination: %s", n, rec)
		}
	}
	// Back again: the destination now holds db running, so it refuses.
	mustOp(t, src, "db", "start")
	wantErr(t, op(t, src, "db", "migrate", form...), nil, "already exists with ID")
	wantErr(t, op(t, src, "db", "migrate", append([]string{"destination", "nowhere"}, form[2:]...)...), nil, "can't connect: (111, 'Connection refused')")
	if !record(t, src, "db").Has("domid") {
		t.Error("a failed migration stopped the domain")
	}
	wantErr(t, op(t, src, "Domain-0", "migrate", form...), backend.ErrInvalidState, "Cannot migrate privileged domain 0")
	wantErr(t, op(t, src, "db", "migrate", form[:8]...), nil, "Missing parameter: ssl")
	wantErr(t, op(t, New(4), "Domain-0", "migrate", form...), backend.ErrInvalidState, "Cannot migrate privileged domain 0")
	lone := New(4)
	newGuest(t, lone, "web", false)
	wantErr(t, op(t, lone, "web", "migrate", form...), nil, "can't connect")
}

// nopClose keeps the destination host open when the migration closes its
// connection to it.
type nopClose struct{ *Host }

func (nopClose) Close() error { return nil }
