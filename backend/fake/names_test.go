package fake

import (
	"errors"
	"slices"
	"testing"

	"xvirsh/backend"
)

// TestFindAfterEveryChange runs defines, creates, renames, destroys,
// shutdowns and undefines, and after each one resolves every name the
// sequence used, by the host that made the change and, for a directory
// host, by a second one that reads it back (another xvirsh process). find
// keeps an index of names (Host.names) up to date instead of building it
// anew after every write: an update it misses shows here as a name that
// resolves to a domain renamed or gone, or to nothing.
func TestFindAfterEveryChange(t *testing.T) {
	const (
		u1 = "11111111-1111-4111-8111-111111111111"
		u2 = "22222222-2222-4222-8222-222222222222"
		u3 = "33333333-3333-4333-8333-333333333333"
		u4 = "44444444-4444-4444-8444-444444444444"
	)
	type want map[string]string // name -> UUID; "" for no such domain
	type step struct {
		what string
		do   func(t *testing.T, h *Host)
		want want
	}
	define := func(name, uuid string) func(*testing.T, *Host) {
		return func(t *testing.T, h *Host) {
			t.Helper()
			if err := h.New(ctx, mustParse(t, pvConfig(name, uuid))); err != nil {
				t.Fatal(err)
			}
		}
	}
	create := func(name, uuid string) func(*testing.T, *Host) {
		return func(t *testing.T, h *Host) {
			t.Helper()
			if err := h.Create(ctx, mustParse(t, pvConfig(name, uuid))); err != nil {
				t.Fatal(err)
			}
		}
	}
	do := func(ref, o string, kv ...string) func(*testing.T, *Host) {
		return func(t *testing.T, h *Host) { t.Helper(); mustOp(t, h, ref, o, kv...) }
	}
	steps := []step{
		{"define a", define("a", u1), want{"a": u1, "b": "", "t": ""}},
		{"start a", do("a", "start"), want{"a": u1}},
		{"rename running a to b", do("a", "rename", "name", "b"), want{"a": "", "b": u1}},
		{"define a again", define("a", u2), want{"a": u2, "b": u1}},
		{"create transient t", create("t", u3), want{"t": u3, "a": u2, "b": u1}},
		{"destroy t, which goes", do("t", "destroy"), want{"t": "", "a": u2, "b": u1}},
		{"create t again", create("t", u4), want{"t": u4}},
		{"shut t down: on_poweroff destroy", do("t", "shutdown", "reason", "poweroff"), want{"t": ""}},
		{"destroy b, which stays defined", do("b", "destroy"), want{"b": u1, "a": u2}},
		{"undefine b", do("b", "delete"), want{"b": "", "a": u2}},
		{"rename halted a to b", do("a", "rename", "name", "b"), want{"a": "", "b": u2}},
		{"rename b back to a", do("b", "rename", "name", "a"), want{"a": u2, "b": ""}},
		{"define b again, with the first UUID", define("b", u1), want{"a": u2, "b": u1}},
		{"create a: runs the halted definition", create("a", u2), want{"a": u2, "b": u1}},
		{"undefine b", do("b", "delete"), want{"b": "", "a": u2}},
	}
	check := func(t *testing.T, h *Host, who string, w want) {
		t.Helper()
		for name, u := range w {
			rec, err := h.Domain(ctx, name)
			switch {
			case u == "" && !errors.Is(err, backend.ErrNotFound):
				t.Errorf("%s: %s resolves (%v), want no such domain", who, name, err)
			case u != "" && err != nil:
				t.Errorf("%s: %s: %v, want domain %s", who, name, err, u)
			case u != "" && (rec.Get("uuid") != u || rec.Get("name") != name):
				t.Errorf("%s: %s is (name %s) (uuid %s), want uuid %s", who, name, rec.Get("name"), rec.Get("uuid"), u)
			}
		}
		h.mu.Lock()
		err := namesInStep(h)
		h.mu.Unlock()
		if err != nil {
			t.Errorf("%s: %v", who, err)
		}
	}
	run := func(t *testing.T, h, other *Host) {
		for _, s := range steps {
			s.do(t, h)
			check(t, h, s.what, s.want)
			if other != nil {
				// A listing first, which may read the directory's index
				// (a load of its own), then the lookups.
				names, err := other.DomainNames(ctx, "all")
				if err != nil {
					t.Fatal(err)
				}
				for name, u := range s.want {
					if slices.Contains(names, name) != (u != "") {
						t.Errorf("%s (read back): listing %v, want %s there: %v", s.what, names, name, u != "")
					}
				}
				check(t, other, s.what+" (read back)", s.want)
			}
		}
	}
	t.Run("memory", func(t *testing.T) { run(t, New(4), nil) })
	t.Run("dir", func(t *testing.T) {
		dir := t.TempDir()
		h, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close()
		other, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		run(t, h, other)
	})
}
