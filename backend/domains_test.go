package backend_test

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"xvirsh/backend"
	"xvirsh/backend/fake"
	"xvirsh/sexpr"
)

var ctx = context.Background()

func demo(format int) backend.Backend {
	return backend.NewDomains(fake.NewDefaultFormat(format), "test:///default")
}

func names(ds []backend.Domain) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Name)
	}
	return out
}

const pvXML = `<domain type='xen'>
  <name>NAME</name>
  <uuid>UUID</uuid>
  <memory unit='KiB'>262144</memory>
  <currentMemory unit='KiB'>131072</currentMemory>
  <vcpu>2</vcpu>
  <os>
    <type>linux</type>
    <kernel>/boot/vmlinuz-xen</kernel>
    <cmdline>ro quiet</cmdline>
  </os>
  <devices>
    <disk type='block' device='disk'>
      <source dev='/dev/vg/NAME'/>
      <target dev='xvda' bus='xen'/>
    </disk>
  </devices>
</domain>
`

func pv(name, uuid string) []byte {
	return []byte(strings.NewReplacer("NAME", name, "UUID", uuid).Replace(pvXML))
}

func TestListFiltersAndOrder(t *testing.T) {
	b := demo(4)
	for _, name := range []string{"beta", "Alpha"} {
		if _, err := b.Define(ctx, pv(name, "")); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		filter backend.ListFilter
		want   []string
	}{
		{backend.ListActive, []string{"Domain-0", "winxp", "fc8"}},
		{backend.ListInactive, []string{"Alpha", "beta", "rhel5"}},
		{backend.ListAll, []string{"Domain-0", "winxp", "fc8", "Alpha", "beta", "rhel5"}},
	}
	for _, tt := range tests {
		ds, err := b.List(ctx, tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(ds); !slices.Equal(got, tt.want) {
			t.Errorf("List(%d) = %v, want %v", tt.filter, got, tt.want)
		}
	}
}

func TestDomainSummary(t *testing.T) {
	b := demo(4)
	tests := []backend.Domain{
		{ID: 0, Name: "Domain-0", UUID: "00000000-0000-0000-0000-000000000000", State: backend.StateRunning, OSType: "linux",
			MaxMemKiB: 8192 << 10, MemoryKiB: 1024 << 10, VCPUs: 4, CPUTime: 1523400 * time.Millisecond},
		{ID: 1, Name: "winxp", UUID: "c7a5fdbd-cdaf-9455-926a-d65c16db1809", State: backend.StateBlocked, OSType: "hvm",
			MaxMemKiB: 512 << 10, MemoryKiB: 512 << 10, VCPUs: 1, CPUTime: 312700 * time.Millisecond, Persistent: true},
		{ID: 2, Name: "fc8", UUID: "5f4a3bcd-7e21-4c1a-9d3b-0a8e6f2b1c44", State: backend.StateBlocked, OSType: "linux",
			MaxMemKiB: 512 << 10, MemoryKiB: 256 << 10, VCPUs: 2, CPUTime: 45200 * time.Millisecond, Persistent: true},
		{ID: -1, Name: "rhel5", UUID: "8b1e7f3a-2c5d-4e9f-a1b2-c3d4e5f60718", State: backend.StateShutoff, OSType: "linux",
			MaxMemKiB: 384 << 10, MemoryKiB: 384 << 10, VCPUs: 1, Persistent: true},
	}
	for _, want := range tests {
		got, err := b.Lookup(ctx, want.Name)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("Lookup(%s) =\n %+v\nwant\n %+v", want.Name, got, want)
		}
	}
}

func TestLookup(t *testing.T) {
	b := demo(4)
	// A domain whose name is another domain's id: virsh takes the id.
	if _, err := b.Define(ctx, pv("2", "")); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ ref, want string }{
		{"winxp", "winxp"},
		{"1", "winxp"},
		{"01", "winxp"},
		{"2", "fc8"},
		{"c7a5fdbd-cdaf-9455-926a-d65c16db1809", "winxp"},
		{"c7a5fdbdcdaf9455926ad65c16db1809", "winxp"},
		{"C7A5FDBD-CDAF-9455-926A-D65C16DB1809", "winxp"},
		{"8b1e7f3a-2c5d-4e9f-a1b2-c3d4e5f60718", "rhel5"},
	}
	for _, tt := range tests {
		d, err := b.Lookup(ctx, tt.ref)
		if err != nil || d.Name != tt.want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", tt.ref, d.Name, err, tt.want)
		}
	}
	for _, ref := range []string{"nosuch", "99", "00000000-0000-0000-0000-0000000000ff", ""} {
		_, err := b.Lookup(ctx, ref)
		if !errors.Is(err, backend.ErrNotFound) || err.Error() != "failed to get domain '"+ref+"'" {
			t.Errorf("Lookup(%q) error = %v, want virsh's not-found", ref, err)
		}
	}
	// Before format 3 xend resolves no UUIDs; the adapter still does.
	old := demo(2)
	if d, err := old.Lookup(ctx, "5f4a3bcd7e214c1a9d3b0a8e6f2b1c44"); err != nil || d.Name != "fc8" {
		t.Errorf("format 2 UUID lookup = %q, %v", d.Name, err)
	}
}

// live bits of a dumpxml that differ between two runs of the same config.
var liveBits = regexp.MustCompile(` id='\d+'|(tty|path)='/dev/pts/\d+'|port='59\d\d'|dev='vif\d+\.\d+'`)

func TestCreateThenDumpxmlGivesTheSameXML(t *testing.T) {
	for format := 1; format <= 4; format++ {
		src := demo(format)
		dst := backend.NewDomains(fake.New(format), "test:///x")
		// Shift the domids, so that nothing the source's ids leaked into
		// the XML can pass for the new ones.
		if _, err := dst.Create(ctx, pv("shift", "")); err != nil {
			t.Fatal(err)
		}
		all, _ := src.List(ctx, backend.ListAll)
		for _, d := range all[1:] {
			want, err := src.XML(ctx, d.Name, false)
			if err != nil {
				t.Fatal(err)
			}
			created, err := dst.Create(ctx, []byte(want))
			if err != nil {
				t.Fatalf("format %d: create %s: %v", format, d.Name, err)
			}
			if created.Name != d.Name || created.UUID != d.UUID || created.State != backend.StateBlocked {
				t.Errorf("format %d: created %+v", format, created)
			}
			// A defined domain's XML has no live parts at all.
			got, err := dst.XML(ctx, d.Name, !d.State.Active())
			if err != nil {
				t.Fatal(err)
			}
			if liveBits.ReplaceAllString(got, "") != liveBits.ReplaceAllString(want, "") {
				t.Errorf("format %d %s: dumpxml after create differs:\n--- before\n%s--- after\n%s", format, d.Name, want, got)
			}
		}
	}
}

func TestCreatePausedLeavesTheDomainPaused(t *testing.T) {
	for format := 1; format <= 4; format++ {
		b := backend.NewDomains(fake.New(format), "test:///x")
		d, err := b.(backend.PausedCreator).CreatePaused(ctx, pv("p", ""))
		if err != nil {
			t.Fatalf("format %d: %v", format, err)
		}
		if d.State != backend.StatePaused || d.ID < 1 {
			t.Errorf("format %d: created %+v, want a paused domain with a domid", format, d)
		}
		if err := b.Resume(ctx, "p"); err != nil {
			t.Fatalf("format %d: resume: %v", format, err)
		}
		if d, _ := b.Lookup(ctx, "p"); d.State == backend.StatePaused {
			t.Errorf("format %d: still paused after resume", format)
		}
	}
}

func TestXMLInactiveHasNoLiveBits(t *testing.T) {
	b := demo(4)
	live, err := b.XML(ctx, "winxp", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"id='1'", "/dev/pts/1", "port='5901'"} {
		if !strings.Contains(live, want) {
			t.Errorf("live XML lacks %s:\n%s", want, live)
		}
	}
	inactive, err := b.XML(ctx, "winxp", true)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"id='1'", "/dev/pts/", "port='5901'"} {
		if strings.Contains(inactive, bad) {
			t.Errorf("inactive XML has %s:\n%s", bad, inactive)
		}
	}
	rec, err := b.Sexpr(ctx, "winxp")
	if err != nil || rec.Head() != "domain" || rec.Get("domid") != "1" {
		t.Errorf("Sexpr = %v, %v", rec, err)
	}
}

func TestDefineStartDestroyUndefine(t *testing.T) {
	const u = "0f0f0f0f-1111-2222-3333-444444444444"
	for format := 3; format <= 4; format++ {
		b := backend.NewDomains(fake.New(format), "test:///x")
		steps := []struct {
			name  string
			do    func() error
			state backend.State
			id    int
		}{
			{"define", func() error { _, err := b.Define(ctx, pv("db", u)); return err }, backend.StateShutoff, -1},
			{"start", func() error { return b.Start(ctx, "db") }, backend.StateBlocked, 1},
			{"suspend", func() error { return b.Suspend(ctx, "1") }, backend.StatePaused, 1},
			{"resume", func() error { return b.Resume(ctx, u) }, backend.StateBlocked, 1},
			{"reboot", func() error { return b.Reboot(ctx, "db") }, backend.StateBlocked, 2},
			{"shutdown", func() error { return b.Shutdown(ctx, "db") }, backend.StateShutoff, -1},
			{"start again", func() error { return b.Start(ctx, "db") }, backend.StateBlocked, 3},
			{"destroy", func() error { return b.Destroy(ctx, "db") }, backend.StateShutoff, -1},
		}
		for _, s := range steps {
			if err := s.do(); err != nil {
				t.Fatalf("format %d %s: %v", format, s.name, err)
			}
			d, err := b.Lookup(ctx, "db")
			if err != nil {
				t.Fatal(err)
			}
			if d.State != s.state || d.ID != s.id || !d.Persistent {
				t.Errorf("format %d after %s: state %v id %d persistent %v, want %v %d", format, s.name, d.State, d.ID, d.Persistent, s.state, s.id)
			}
		}
		if err := b.Undefine(ctx, "db"); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Lookup(ctx, "db"); !errors.Is(err, backend.ErrNotFound) {
			t.Errorf("format %d: undefined domain still there: %v", format, err)
		}
	}
}

func TestPreservedDomainCanBeDestroyed(t *testing.T) {
	b := demo(4)
	x := strings.Replace(string(pv("keep", "")), "<devices>", "<on_poweroff>preserve</on_poweroff>\n  <devices>", 1)
	if _, err := b.Create(ctx, []byte(x)); err != nil {
		t.Fatal(err)
	}
	if err := b.Shutdown(ctx, "keep"); err != nil {
		t.Fatal(err)
	}
	if d, _ := b.Lookup(ctx, "keep"); d.State != backend.StateShutoff {
		t.Fatalf("a preserved domain reads as shut off, got %v", d.State)
	}
	if err := b.Destroy(ctx, "keep"); err != nil {
		t.Fatalf("destroy of a preserved domain: %v", err)
	}
	if _, err := b.Lookup(ctx, "keep"); !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("still there after destroy: %v", err)
	}
}

func TestOldFormatsCreateOnly(t *testing.T) {
	for format := 1; format <= 2; format++ {
		b := backend.NewDomains(fake.New(format), "test:///x")
		_, err := b.Define(ctx, pv("db", ""))
		if !errors.Is(err, backend.ErrUnsupported) || !strings.Contains(err.Error(), "use create") {
			t.Errorf("format %d define: %v", format, err)
		}
		d, err := b.Create(ctx, pv("web", ""))
		if err != nil || d.ID != 1 || d.Persistent {
			t.Fatalf("format %d create: %+v, %v", format, d, err)
		}
		if err := b.Destroy(ctx, "web"); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Lookup(ctx, "web"); !errors.Is(err, backend.ErrNotFound) {
			t.Errorf("format %d: a destroyed domain is gone without managed domains: %v", format, err)
		}
	}
}

func TestRefusals(t *testing.T) {
	const u = "0f0f0f0f-1111-2222-3333-444444444444"
	b := demo(4)
	if _, err := b.Create(ctx, pv("web", u)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		err  error
		kind error
		text string
	}{
		{"create twice", second(b.Create(ctx, pv("web", u))), backend.ErrExists, "already exists"},
		{"define running name", second(b.Define(ctx, pv("web", ""))), backend.ErrExists, "VM name 'web' already exists"},
		{"define uuid of other", second(b.Define(ctx, pv("other", u))), backend.ErrExists, "already exists"},
		{"start running", b.Start(ctx, "web"), backend.ErrInvalidState, "domain is already running"},
		{"destroy inactive", b.Destroy(ctx, "rhel5"), backend.ErrInvalidState, "Requested operation is not valid: domain is not running"},
		{"shutdown inactive", b.Shutdown(ctx, "rhel5"), backend.ErrInvalidState, "domain is not running"},
		{"resume running", b.Resume(ctx, "web"), backend.ErrInvalidState, "domain is not paused"},
		{"undefine running", b.Undefine(ctx, "fc8"), backend.ErrInvalidState, "is running"},
		{"destroy Domain-0", b.Destroy(ctx, "0"), backend.ErrInvalidState, "Cannot destroy privileged domain 0"},
		{"start unknown", b.Start(ctx, "nosuch"), backend.ErrNotFound, "failed to get domain 'nosuch'"},
		{"bad xml", second(b.Create(ctx, []byte("<domain"))), nil, ""},
		{"memory above max", b.SetMemory(ctx, "web", 300<<10), nil, "cannot set memory higher than max memory"},
		{"vcpus above max", b.SetVCPUs(ctx, "web", 3), nil, "requested vcpus is greater than max allowable vcpus for the domain: 3 > 2"},
		{"zero vcpus", b.SetVCPUs(ctx, "web", 0), nil, "at least 1"},
	}
	for _, tt := range tests {
		if tt.err == nil {
			t.Errorf("%s: succeeded", tt.name)
			continue
		}
		if tt.kind != nil && !errors.Is(tt.err, tt.kind) {
			t.Errorf("%s: %q is not %v", tt.name, tt.err, tt.kind)
		}
		if !strings.Contains(tt.err.Error(), tt.text) {
			t.Errorf("%s: %q does not say %q", tt.name, tt.err, tt.text)
		}
	}
	all, _ := b.List(ctx, backend.ListAll)
	if got := names(all); !slices.Equal(got, []string{"Domain-0", "winxp", "fc8", "web", "rhel5"}) {
		t.Errorf("refusals changed the host: %v", got)
	}
}

func second[T any](_ T, err error) error { return err }

func TestSetMemoryAndVCPUs(t *testing.T) {
	b := demo(4)
	if _, err := b.Create(ctx, pv("web", "")); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name        string
		do          func() error
		mem, maxmem uint64
		vcpus       int
	}{
		{"setmem rounds up to MiB", func() error { return b.SetMemory(ctx, "web", 200<<10+1) }, 201 << 10, 256 << 10, 2},
		{"setmaxmem below current", func() error { return b.SetMaxMemory(ctx, "web", 150<<10) }, 150 << 10, 150 << 10, 2},
		{"setvcpus down", func() error { return b.SetVCPUs(ctx, "web", 1) }, 150 << 10, 150 << 10, 1},
		{"setvcpus back", func() error { return b.SetVCPUs(ctx, "web", 2) }, 150 << 10, 150 << 10, 2},
		{"inactive setvcpus raises the max", func() error { return b.SetVCPUs(ctx, "rhel5", 4) }, 0, 0, 0},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if s.vcpus == 0 {
			continue
		}
		d, _ := b.Lookup(ctx, "web")
		if d.MemoryKiB != s.mem || d.MaxMemKiB != s.maxmem || d.VCPUs != s.vcpus {
			t.Errorf("after %s: mem %d max %d vcpus %d, want %d %d %d", s.name, d.MemoryKiB, d.MaxMemKiB, d.VCPUs, s.mem, s.maxmem, s.vcpus)
		}
	}
	if d, _ := b.Lookup(ctx, "rhel5"); d.VCPUs != 4 {
		t.Errorf("rhel5 vcpus = %d, want 4", d.VCPUs)
	}
}

func TestNodeInfoVersionFormat(t *testing.T) {
	tests := []struct {
		format  int
		version string
	}{{1, "3.0.2"}, {2, "3.0.3"}, {3, "3.0.4"}, {4, "3.4.0"}}
	for _, tt := range tests {
		b := demo(tt.format)
		f, err := b.ConfigFormat(ctx)
		if err != nil || f != tt.format {
			t.Errorf("ConfigFormat = %d, %v; want %d", f, err, tt.format)
		}
		v, err := b.Version(ctx)
		if err != nil || v != tt.version {
			t.Errorf("format %d: Version = %q, %v; want %q", tt.format, v, err, tt.version)
		}
		info, err := b.NodeInfo(ctx)
		want := backend.NodeInfo{Model: "x86_64", CPUs: 4, MHz: 2394, Nodes: 1, Sockets: 1, Cores: 4, Threads: 1, MemoryKiB: 8192 << 10}
		if err != nil || info != want {
			t.Errorf("format %d: NodeInfo = %+v, %v", tt.format, info, err)
		}
	}
	if b := demo(4); b.URI() != "test:///default" || b.Close() != nil {
		t.Error("URI/Close")
	}
}

// xendOnly is a host seen only through Xend, as over HTTP: the fake's
// bulk shortcut is hidden, and record fetches are counted.
type xendOnly struct {
	backend.Xend
	mu      sync.Mutex
	fetched []string
}

func (x *xendOnly) Domain(ctx context.Context, ref string) (*sexpr.Node, error) {
	x.mu.Lock()
	x.fetched = append(x.fetched, ref)
	x.mu.Unlock()
	return x.Xend.Domain(ctx, ref)
}

// TestListFetchesWhatDetailLeavesOut: xend 3.1+ gives only the running
// domains' records in the detail listing, so the rest are fetched by
// name; xend 3.0.x gives names only, so all are (xend-protocol.md §2.1).
func TestListFetchesWhatDetailLeavesOut(t *testing.T) {
	for _, tt := range []struct {
		format  int
		want    string
		fetched []string
	}{
		{4, "Domain-0 running, winxp idle, fc8 paused, rhel5 shut off", []string{"fc8", "rhel5"}},
		{2, "Domain-0 running, winxp idle, fc8 paused", []string{"Domain-0", "fc8", "winxp"}},
	} {
		host := fake.NewDefaultFormat(tt.format)
		if err := host.Op(ctx, "fc8", "pause", nil); err != nil {
			t.Fatal(err)
		}
		x := &xendOnly{Xend: host}
		ds, err := backend.NewDomains(x, "xen:///").List(ctx, backend.ListAll)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range ds {
			got = append(got, d.Name+" "+d.State.String())
		}
		slices.Sort(x.fetched)
		if strings.Join(got, ", ") != tt.want || !slices.Equal(x.fetched, tt.fetched) {
			t.Errorf("format %d: listed %q fetching %q; want %q fetching %q", tt.format, got, x.fetched, tt.want, tt.fetched)
		}
	}
}

// failingXend is a host seen over HTTP whose record of one domain cannot
// be had: xend answers 500 for it (a record its printer chokes on).
type failingXend struct {
	backend.Xend
	bad string
}

func (x *failingXend) Domain(ctx context.Context, ref string) (*sexpr.Node, error) {
	if ref == x.bad {
		return nil, errors.New("xend.err 'cannot print the record'")
	}
	return x.Xend.Domain(ctx, ref)
}

// TestListSkipsARecordThatCannotBeFetched: one domain whose fetch fails
// (not a 404: a real error) is left out with a warning naming it, and
// the others are listed as usual ("one bad thing harms one thing").
func TestListSkipsARecordThatCannotBeFetched(t *testing.T) {
	host := fake.NewDefaultFormat(4)
	if err := host.Op(ctx, "fc8", "pause", nil); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var warned []string
	wctx := backend.WithWarnings(ctx, func(msg string) {
		mu.Lock()
		warned = append(warned, msg)
		mu.Unlock()
	})
	b := backend.NewDomains(&failingXend{Xend: &xendOnly{Xend: host}, bad: "fc8"}, "xen:///")
	ds, err := b.List(wctx, backend.ListAll)
	if err != nil {
		t.Fatalf("List failed as a whole: %v", err)
	}
	if got := strings.Join(names(ds), " "); got != "Domain-0 winxp rhel5" {
		t.Errorf("listed %q, want the three healthy domains", got)
	}
	if len(warned) != 1 || !strings.Contains(warned[0], "'fc8'") || !strings.Contains(warned[0], "cannot print the record") {
		t.Errorf("warnings %q: want one naming fc8 and the cause", warned)
	}
	// A cancelled command is not a bad record: the listing fails.
	cctx, cancel := context.WithCancel(wctx)
	cancel()
	if _, err := b.List(cctx, backend.ListAll); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled List: %v, want context.Canceled", err)
	}
}

// TestUUIDAfterRename: a domain looked up by name, renamed, is still
// reached through its UUID: what record noted of the UUID's holder is
// stale, not a second holder.
func TestUUIDAfterRename(t *testing.T) {
	b := demo(4)
	d, err := b.Define(ctx, pv("old", ""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Lookup(ctx, "old"); err != nil {
		t.Fatal(err)
	}
	if err := b.Rename(ctx, d.UUID, "new"); err != nil {
		t.Fatal(err)
	}
	got, err := b.Lookup(ctx, d.UUID)
	if err != nil || got.Name != "new" {
		t.Fatalf("Lookup(%s) = %+v, %v; want the renamed domain", d.UUID, got, err)
	}
	if _, err := b.XML(ctx, d.UUID, false); err != nil {
		t.Errorf("XML through the UUID: %v", err)
	}
}
