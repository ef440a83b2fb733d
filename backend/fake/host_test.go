package fake

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"xvirsh/backend"
	"xvirsh/sexpr"
)

var ctx = context.Background()

func mustParse(t testing.TB, s string) *sexpr.Node {
	t.Helper()
	n, err := sexpr.ParseString(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// pvConfig is a minimal PV guest config as libvirt sends it.
func pvConfig(name, uuid string) string {
	u := ""
	if uuid != "" {
		u = "(uuid " + uuid + ")"
	}
	return "(vm (name " + name + ") (memory 128) (maxmem 256) (vcpus 2) " + u +
		" (on_poweroff destroy) (on_reboot restart) (on_crash restart)" +
		" (image (linux (kernel /boot/vmlinuz) (args 'ro quiet')))" +
		" (device (vbd (dev xvda) (uname phy:/dev/vg/" + name + ") (mode w))))"
}

func op(t testing.TB, h *Host, ref, name string, kv ...string) error {
	t.Helper()
	f := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Add(kv[i], kv[i+1])
	}
	return h.Op(ctx, ref, name, f)
}

func mustOp(t testing.TB, h *Host, ref, name string, kv ...string) {
	t.Helper()
	if err := op(t, h, ref, name, kv...); err != nil {
		t.Fatalf("op %s on %s: %v", name, ref, err)
	}
}

func record(t testing.TB, h *Host, ref string) *sexpr.Node {
	t.Helper()
	rec, err := h.Domain(ctx, ref)
	if err != nil {
		t.Fatalf("Domain(%s): %v", ref, err)
	}
	return rec
}

// wantErr checks both the sentinel and xend's wording.
func wantErr(t testing.TB, err, kind error, text string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got success, want error %q", text)
	}
	if kind != nil && !errors.Is(err, kind) {
		t.Errorf("error %q is not %v", err, kind)
	}
	if !strings.Contains(err.Error(), text) {
		t.Errorf("error %q does not say %q", err, text)
	}
}

func TestDemoHost(t *testing.T) {
	h := NewDefault()
	names, err := h.DomainNames(ctx, "all")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Domain-0", "fc8", "rhel5", "winxp"}; !slices.Equal(names, want) {
		t.Fatalf("names = %v, want %v", names, want)
	}
	tests := []struct {
		ref, domid, state, status, tty, vnc string
	}{
		{"Domain-0", "0", "r-----", "2", "", ""},
		{"winxp", "1", "-b----", "2", "/dev/pts/1", "5901"},
		{"fc8", "2", "-b----", "2", "/dev/pts/2", ""},
		{"rhel5", "", "", "0", "", ""},
	}
	for _, tt := range tests {
		rec := record(t, h, tt.ref)
		con := consoleDev(rec)
		got := []string{rec.Get("domid"), rec.Get("state"), rec.Get("status"), con.Get("tty"), con.Get("vnc-port")}
		want := []string{tt.domid, tt.state, tt.status, tt.tty, tt.vnc}
		if !slices.Equal(got, want) {
			t.Errorf("%s: domid/state/status/tty/vnc = %q, want %q", tt.ref, got, want)
		}
	}
	// Same host on every start, down to the CPU times.
	a, _ := allRecords(ctx, NewDefault())
	b, _ := allRecords(ctx, NewDefault())
	if len(a) != len(b) {
		t.Fatal("two demo hosts differ in size")
	}
	for i := range a {
		if a[i].String() != b[i].String() {
			t.Errorf("demo host differs between runs:\n%s\n%s", a[i], b[i])
		}
	}
	if got := record(t, h, "Domain-0").Get("cpu_time"); got != "1523.4" {
		t.Errorf("Domain-0 cpu_time = %s, want the seeded 1523.4", got)
	}
}

func consoleDev(rec *sexpr.Node) *sexpr.Node {
	for _, d := range rec.Children("device") {
		if c := d.Child("console"); c != nil {
			return c
		}
	}
	return sexpr.List()
}

func TestDemoHostOldFormats(t *testing.T) {
	for _, format := range []int{1, 2} {
		h := NewDefaultFormat(format)
		names, _ := h.DomainNames(ctx, "all")
		if want := []string{"Domain-0", "fc8", "winxp"}; !slices.Equal(names, want) {
			t.Errorf("format %d: names = %v, want %v (no inactive domains)", format, names, want)
		}
		rec := record(t, h, "winxp")
		if rec.Has("status") || !rec.Has("up_time") || rec.Has("managed") {
			t.Errorf("format %d record has the wrong runtime fields: %s", format, rec)
		}
		cdrom := rec.Get("image/hvm/cdrom")
		if (format == 1) != (cdrom != "") {
			t.Errorf("format %d: image/hvm/cdrom = %q", format, cdrom)
		}
	}
}

func TestCreateStartsPausedThenRuns(t *testing.T) {
	h := New(4)
	if err := h.Create(ctx, mustParse(t, pvConfig("web", ""))); err != nil {
		t.Fatal(err)
	}
	rec := record(t, h, "web")
	if rec.Get("domid") != "1" || rec.Get("state") != "--p---" || rec.Get("status") != "1" {
		t.Fatalf("new domain should be paused with domid 1: %s", rec)
	}
	if _, ok := canonicalUUID(rec.Get("uuid")); !ok {
		t.Errorf("xend should make up a UUID, got %q", rec.Get("uuid"))
	}
	mustOp(t, h, "web", "wait_for_devices")
	mustOp(t, h, "web", "unpause")
	if got := record(t, h, "1").Get("state"); got != "-b----" {
		t.Errorf("after unpause state = %s", got)
	}
	mustOp(t, h, "web", "destroy")
	if _, err := h.Domain(ctx, "web"); !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("a destroyed transient domain must be gone, got %v", err)
	}
}

func TestDuplicatesRefused(t *testing.T) {
	const u1 = "11111111-2222-3333-4444-555555555555"
	const u2 = "11111111-2222-3333-4444-666666666666"
	h := New(4)
	if err := h.Create(ctx, mustParse(t, pvConfig("web", u1))); err != nil {
		t.Fatal(err)
	}
	if err := h.New(ctx, mustParse(t, pvConfig("db", u2))); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		create bool
		config string
		want   string
	}{
		{"create same name", true, pvConfig("web", u2), "VM name 'web' already exists as domain 1"},
		{"create same uuid", true, pvConfig("other", u1), "Domain 'web' already exists with ID '1'"},
		{"create name of defined", true, pvConfig("db", ""), "VM name 'db' already exists"},
		{"define name of running", false, pvConfig("web", u2), "VM name 'web' already exists as domain 1"},
		{"define uuid of other", false, pvConfig("other", u2), "VM UUID '" + u2 + "' already exists as domain 'db'"},
		{"define Domain-0", false, pvConfig("Domain-0", ""), "VM name 'Domain-0' already exists as domain 0"},
		// A config that clashes with two domains, by name with one and by
		// UUID with the other: the one met first in the host's order says
		// why (web was made before db).
		{"create name of one, uuid of other", true, pvConfig("db", u1), "Domain 'web' already exists with ID '1'"},
		{"define name of one, uuid of other", false, pvConfig("db", u1), "VM UUID '" + u1 + "' already exists as domain 'web'"},
		{"define name of other, uuid of one", false, pvConfig("web", u2), "VM name 'web' already exists as domain 1"},
		{"rename to a taken name", false, "", "VM name 'web' already exists as domain 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			switch {
			case tt.config == "":
				err = op(t, h, "db", "rename", "name", "web")
			case tt.create:
				err = h.Create(ctx, mustParse(t, tt.config))
			default:
				err = h.New(ctx, mustParse(t, tt.config))
			}
			wantErr(t, err, backend.ErrExists, tt.want)
		})
	}
	names, _ := h.DomainNames(ctx, "all")
	if want := []string{"Domain-0", "db", "web"}; !slices.Equal(names, want) {
		t.Errorf("refusals changed the host: %v", names)
	}
}

func TestBadConfigs(t *testing.T) {
	h := New(4)
	tests := []struct{ config, want string }{
		{"(vm (memory 128))", "Missing VM Name"},
		{"(vm (name 'a b') (memory 128))", "Invalid VM Name 'a b'"},
		{"(vm (name a) (uuid xyz) (memory 128))", "Invalid UUID 'xyz'"},
		{"(vm (name a) (memory lots))", "invalid literal for int() with base 10: 'lots'"},
		{"(vm (name a) (memory 512) (maxmem 256) (image (linux (kernel /k))))", "memory_dynamic_max must be less than or equal to memory_static_max"},
		{"(vm (name a) (memory 128))", "nothing to boot"},
	}
	for _, tt := range tests {
		wantErr(t, h.Create(ctx, mustParse(t, tt.config)), nil, tt.want)
	}
}

func TestManagedLifecycle(t *testing.T) {
	const u = "0f0f0f0f-1111-2222-3333-444444444444"
	h := New(4)
	if err := h.New(ctx, mustParse(t, pvConfig("db", u))); err != nil {
		t.Fatal(err)
	}
	rec := record(t, h, "db")
	if rec.Has("domid") || rec.Has("state") || rec.Get("status") != "0" || rec.Get("managed") != "1" {
		t.Fatalf("a defined domain is halted, without domid or state: %s", rec)
	}
	wantErr(t, op(t, h, "db", "destroy"), backend.ErrInvalidState, "Domain 'db' is not running")
	mustOp(t, h, strings.ReplaceAll(u, "-", ""), "start") // dashless UUID resolves too
	if got := record(t, h, "db"); got.Get("domid") != "1" || got.Get("state") != "-b----" {
		t.Fatalf("start runs the domain unpaused: %s", got)
	}
	wantErr(t, op(t, h, "db", "start"), backend.ErrInvalidState, "Domain is already running")
	wantErr(t, op(t, h, "db", "delete"), backend.ErrInvalidState, "Domain is not halted.")
	mustOp(t, h, "db", "destroy")
	if got := record(t, h, "db"); got.Has("domid") || got.Get("status") != "0" {
		t.Fatalf("a destroyed managed domain stays, halted: %s", got)
	}
	mustOp(t, h, "db", "start")
	if got := record(t, h, "db").Get("domid"); got != "2" {
		t.Errorf("domids are never reused: second start got %s, want 2", got)
	}
	mustOp(t, h, "db", "destroy")
	mustOp(t, h, "db", "delete")
	if _, err := h.Domain(ctx, u); !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("deleted domain still found: %v", err)
	}
}

func TestRedefineRunningAppliesAtNextBoot(t *testing.T) {
	const u = "0f0f0f0f-1111-2222-3333-444444444444"
	h := New(4)
	if err := h.New(ctx, mustParse(t, pvConfig("db", u))); err != nil {
		t.Fatal(err)
	}
	mustOp(t, h, "db", "start")
	bigger := strings.Replace(pvConfig("db", u), "(memory 128)", "(memory 200)", 1)
	if err := h.New(ctx, mustParse(t, bigger)); err != nil {
		t.Fatal(err)
	}
	if got := record(t, h, "db").Get("memory"); got != "128" {
		t.Errorf("live memory changed to %s by a redefine", got)
	}
	mustOp(t, h, "db", "destroy")
	if got := record(t, h, "db").Get("memory"); got != "200" {
		t.Errorf("definition memory = %s, want 200", got)
	}
}

func TestCreateOverADefinedDomainRunsItOnce(t *testing.T) {
	const u = "0f0f0f0f-1111-2222-3333-444444444444"
	h := New(4)
	if err := h.New(ctx, mustParse(t, pvConfig("db", u))); err != nil {
		t.Fatal(err)
	}
	oneOff := strings.Replace(pvConfig("db", u), "(memory 128)", "(memory 200)", 1)
	if err := h.Create(ctx, mustParse(t, oneOff)); err != nil {
		t.Fatal(err)
	}
	if rec := record(t, h, "db"); rec.Get("domid") != "1" || rec.Get("memory") != "200" || rec.Get("managed") != "1" {
		t.Fatalf("create over a defined domain should run it with the new config: %s", rec)
	}
	mustOp(t, h, "db", "destroy")
	if rec := record(t, h, "db"); rec.Has("domid") || rec.Get("memory") != "128" {
		t.Errorf("after destroy the definition is back: %s", rec)
	}
	if err := h.New(ctx, mustParse(t, "(vm (name empty) (memory 64))")); err != nil {
		t.Fatal(err)
	}
	wantErr(t, op(t, h, "empty", "start"), nil, "nothing to boot")
}

func TestOldFormatsHaveNoManagedDomains(t *testing.T) {
	for _, format := range []int{1, 2} {
		h := New(format)
		wantErr(t, h.New(ctx, mustParse(t, pvConfig("db", ""))), backend.ErrUnsupported, "Operation not implemented: new")
		const u = "0f0f0f0f-1111-2222-3333-444444444444"
		if err := h.Create(ctx, mustParse(t, pvConfig("web", u))); err != nil {
			t.Fatal(err)
		}
		if _, err := h.Domain(ctx, u); !errors.Is(err, backend.ErrNotFound) {
			t.Errorf("format %d: xend before 3.0.4 resolves no UUIDs, got %v", format, err)
		}
		wantErr(t, op(t, h, "web", "delete"), backend.ErrUnsupported, "Operation not implemented: delete")
		if n, _ := h.Node(ctx); (format == 1) == n.Has("xend_config_format") {
			t.Errorf("format %d node: xend_config_format = %q", format, n.Get("xend_config_format"))
		}
	}
}

func TestLookupOrder(t *testing.T) {
	h := New(4)
	// A domain named like another's domid: xend tries names first.
	for _, name := range []string{"web", "2"} {
		if err := h.Create(ctx, mustParse(t, pvConfig(name, ""))); err != nil {
			t.Fatal(err)
		}
	}
	if got := record(t, h, "2").Get("name"); got != "2" {
		t.Errorf(`ref "2" resolved to %q, xend resolves names before domids`, got)
	}
	if got := record(t, h, "1").Get("name"); got != "web" {
		t.Errorf(`ref "1" resolved to %q`, got)
	}
	u := record(t, h, "web").Get("uuid")
	if got := record(t, h, strings.ToUpper(u)).Get("name"); got != "web" {
		t.Errorf("upper-case UUID resolved to %q", got)
	}
	wantErr(t, op(t, h, "nosuch", "frobnicate"), backend.ErrNotFound, "No such domain nosuch")
	wantErr(t, op(t, h, "web", "frobnicate"), backend.ErrUnsupported, "Operation not implemented: frobnicate")
}

func TestShutdown(t *testing.T) {
	h := New(4)
	cfg := func(name, poweroff, reboot string) *sexpr.Node {
		c := mustParse(t, pvConfig(name, ""))
		c.Set("on_poweroff", poweroff)
		c.Set("on_reboot", reboot)
		return c
	}
	for _, c := range []*sexpr.Node{cfg("a", "destroy", "restart"), cfg("b", "preserve", "destroy")} {
		if err := h.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	// xend reads reason directly: a missing one is a KeyError (spec §3).
	wantErr(t, op(t, h, "a", "shutdown"), nil, "'reason'")
	wantErr(t, op(t, h, "a", "shutdown", "reason", "nap"), nil, "Invalid reason: nap")
	wantErr(t, op(t, h, "0", "shutdown", "reason", "poweroff"), backend.ErrInvalidState, "Cannot shutdown privileged domain 0")
	mustOp(t, h, "a", "shutdown", "reason", "reboot")
	if got := record(t, h, "a").Get("domid"); got != "3" {
		t.Errorf("reboot with on_reboot=restart gives a new domid: got %s, want 3", got)
	}
	mustOp(t, h, "a", "shutdown", "reason", "poweroff")
	if _, err := h.Domain(ctx, "a"); !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("poweroff with on_poweroff=destroy removes a transient domain: %v", err)
	}
	mustOp(t, h, "b", "shutdown", "reason", "poweroff")
	if got := record(t, h, "b").Get("state"); got != "---s--" {
		t.Errorf("on_poweroff=preserve keeps the domain shut down, state %s", got)
	}
	wantErr(t, op(t, h, "b", "shutdown", "reason", "poweroff"), backend.ErrInvalidState, "already shut down")
	// The fake has nowhere to save a suspended guest: it just halts,
	// whatever on_poweroff and on_reboot say.
	if err := h.Create(ctx, cfg("c", "preserve", "restart")); err != nil {
		t.Fatal(err)
	}
	mustOp(t, h, "c", "shutdown", "reason", "suspend")
	if _, err := h.Domain(ctx, "c"); !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("suspend halts a transient domain: %v", err)
	}
}

// TestShutdownReason: xend 3.0.x's records (formats 1 and 2) follow the
// state of a domain kept after its shutdown with the reason of it, and
// only then (xend-protocol.md §4.1); XendConfig's records (formats 3 and
// 4, §4.2) have no such field. The reason outlives the process that shut
// the domain down (runtime.sxp), and goes with the next boot.
func TestShutdownReason(t *testing.T) {
	cfg := func(name, poweroff, reboot string) *sexpr.Node {
		c := mustParse(t, pvConfig(name, ""))
		c.Set("on_poweroff", poweroff)
		c.Set("on_reboot", reboot)
		return c
	}
	reasonOf := func(t *testing.T, h *Host, name string) (string, bool) {
		t.Helper()
		r := record(t, h, name)
		return r.GetOK("shutdown_reason")
	}
	for format := 1; format <= 4; format++ {
		for _, where := range []string{"memory", "dir"} {
			t.Run(fmt.Sprintf("format%d/%s", format, where), func(t *testing.T) {
				var h, other *Host
				if where == "memory" {
					h = New(format)
				} else {
					dir := t.TempDir()
					var err error
					if h, err = Open(dir); err != nil {
						t.Fatal(err)
					}
					defer h.Close()
					if other, err = Open(dir); err != nil {
						t.Fatal(err)
					}
					defer other.Close()
					h.SetConfigFormat(format)
					other.SetConfigFormat(format)
				}
				shown := format < 3
				for _, tc := range []struct{ name, poweroff, reboot, how, want string }{
					{"off", "preserve", "restart", "poweroff", "poweroff"},
					{"rb", "destroy", "preserve", "reboot", "reboot"},
					// The guest carries a halt out as a poweroff.
					{"hl", "preserve", "restart", "halt", "poweroff"},
					// sysrq b reboots the guest at once.
					{"sb", "destroy", "preserve", "sysrq", "reboot"},
					{"up", "preserve", "preserve", "", ""},
				} {
					if err := h.Create(ctx, cfg(tc.name, tc.poweroff, tc.reboot)); err != nil {
						t.Fatal(err)
					}
					mustOp(t, h, tc.name, "unpause")
					switch tc.how {
					case "":
					case "sysrq":
						mustOp(t, h, tc.name, "sysrq", "key", "98")
					default:
						mustOp(t, h, tc.name, "shutdown", "reason", tc.how)
					}
					for _, r := range []*Host{h, other} {
						if r == nil {
							continue
						}
						got, ok := reasonOf(t, r, tc.name)
						want := shown && tc.want != ""
						if ok != want || got != tc.want && want {
							t.Errorf("%s after %q: (shutdown_reason %s) present %v, want %q present %v", tc.name, tc.how, got, ok, tc.want, want)
						}
					}
				}
				// The next boot ends the shutdown, and its reason.
				mustOp(t, h, "off", "destroy")
				if err := h.Create(ctx, cfg("off", "preserve", "restart")); err != nil {
					t.Fatal(err)
				}
				if got, ok := reasonOf(t, h, "off"); ok {
					t.Errorf("off booted again still has (shutdown_reason %s)", got)
				}
			})
		}
	}
}

func TestDom0Refusals(t *testing.T) {
	h := New(4)
	for _, o := range []string{"destroy", "pause", "unpause"} {
		wantErr(t, op(t, h, "Domain-0", o), backend.ErrInvalidState, "Cannot "+o+" privileged domain 0")
	}
	wantErr(t, op(t, h, "Domain-0", "delete"), backend.ErrInvalidState, "Cannot delete privileged domain 0")
}

func TestMemoryAndVCPUs(t *testing.T) {
	h := New(4)
	if err := h.Create(ctx, mustParse(t, pvConfig("web", ""))); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		op       string
		kv       []string
		wantErr  string
		memory   string
		maxmem   string
		online   string
		vcpuMask string
	}{
		{"mem_target_set", []string{"target", "200"}, "", "200", "256", "2", ""},
		{"mem_target_set", []string{"target", "300"}, "memory_dynamic_max must be less than or equal", "200", "256", "2", ""},
		{"mem_target_set", nil, "Missing parameter: target", "200", "256", "2", ""},
		{"mem_target_set", []string{"target", "1", "target", "2"}, "Too many values for target", "200", "256", "2", ""},
		{"mem_target_set", []string{"target", "x"}, "invalid literal for int() with base 10: 'x'", "200", "256", "2", ""},
		{"maxmem_set", []string{"memory", "150"}, "", "150", "150", "2", ""},
		{"set_vcpus", []string{"vcpus", "3"}, "Cannot set vcpus greater than max vcpus on running domain", "150", "150", "2", ""},
		{"set_vcpus", []string{"vcpus", "0"}, "Invalid VCPUs value: 0", "150", "150", "2", ""},
		{"set_vcpus", []string{"vcpus", "1"}, "", "150", "150", "1", "1"},
		{"set_vcpus", []string{"vcpus", "2"}, "", "150", "150", "2", ""},
	}
	for _, tt := range tests {
		err := op(t, h, "web", tt.op, tt.kv...)
		if tt.wantErr != "" {
			wantErr(t, err, nil, tt.wantErr)
		} else if err != nil {
			t.Errorf("%s %v: %v", tt.op, tt.kv, err)
		}
		rec := record(t, h, "web")
		got := []string{rec.Get("memory"), rec.Get("maxmem"), rec.Get("online_vcpus"), rec.Get("vcpu_avail")}
		if want := []string{tt.memory, tt.maxmem, tt.online, tt.vcpuMask}; !slices.Equal(got, want) {
			t.Errorf("after %s %v: memory/maxmem/online/vcpu_avail = %q, want %q", tt.op, tt.kv, got, want)
		}
	}
}

func TestCPUTimeFollowsTheClock(t *testing.T) {
	h := New(4)
	now := time.Unix(1_700_000_000, 0)
	h.SetClock(func() time.Time { return now })
	if err := h.Create(ctx, mustParse(t, pvConfig("web", ""))); err != nil {
		t.Fatal(err)
	}
	mustOp(t, h, "web", "unpause")
	now = now.Add(100 * time.Second)
	if got := record(t, h, "web").Get("cpu_time"); got != "2.0" {
		t.Errorf("2 VCPUs at 1%% for 100 s: cpu_time = %s, want 2.0", got)
	}
	mustOp(t, h, "web", "pause")
	now = now.Add(100 * time.Second)
	if got := record(t, h, "web").Get("cpu_time"); got != "2.0" {
		t.Errorf("a paused domain burns no CPU: cpu_time = %s, want 2.0", got)
	}
	if got := record(t, h, "web").Get("start_time"); got != "1700000000.0" {
		t.Errorf("start_time = %s", got)
	}
}

func TestVNCPort(t *testing.T) {
	h := New(4)
	hvm := func(name, vnc string) *sexpr.Node {
		return mustParse(t, "(vm (name "+name+") (memory 128) (image (hvm (kernel /usr/lib/xen/boot/hvmloader) "+vnc+")))")
	}
	for _, c := range []*sexpr.Node{
		hvm("auto", "(vnc 1) (vncunused 1)"),
		hvm("fixed", "(vnc 1) (vncunused 0) (vncdisplay 7)"),
		hvm("none", "(serial pty)"),
		mustParse(t, "(vm (name pvfb) (memory 128) (image (linux (kernel /k))) (device (vkbd)) (device (vfb (type vnc) (vncunused 1))))"),
	} {
		if err := h.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	for ref, want := range map[string]string{"auto": "5901", "fixed": "5907", "none": "", "pvfb": "5904"} {
		if got := consoleDev(record(t, h, ref)).Get("vnc-port"); got != want {
			t.Errorf("%s: vnc-port = %q, want %q", ref, got, want)
		}
	}
}

func TestNodeRecord(t *testing.T) {
	for format, want := range map[int][]string{
		1: {"", "3", "0", ".2", "8192", ""},
		2: {"2", "3", "0", ".3", "", "8192"},
		3: {"3", "3", "0", ".4", "", "8192"},
		4: {"4", "3", "4", ".0", "", "8192"},
	} {
		n, err := New(format).Node(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := []string{n.Get("xend_config_format"), n.Get("xen_major"), n.Get("xen_minor"), n.Get("xen_extra"), n.Get("memory"), n.Get("total_memory")}
		if !slices.Equal(got, want) {
			t.Errorf("format %d node: %q, want %q", format, got, want)
		}
	}
	n, _ := NewDefault().Node(ctx)
	if got := n.Get("free_memory"); got != "6400" {
		t.Errorf("free_memory = %s, want 8192 less the 1792 MiB the running domains use", got)
	}
}
