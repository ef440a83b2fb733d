package backend_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"xvirsh/backend"
	"xvirsh/backend/fake"
	"xvirsh/sexpr"
)

// recordingXend is a host reached as xend is, over its HTTP calls only
// (none of the fake host's bulk shortcuts), noting each call.
type recordingXend struct {
	backend.Xend
	mu    sync.Mutex
	calls []string
}

func (r *recordingXend) note(s string) {
	r.mu.Lock()
	r.calls = append(r.calls, s)
	r.mu.Unlock()
}

func (r *recordingXend) DomainNames(ctx context.Context, state string) ([]string, error) {
	r.note("names?state=" + state)
	return r.Xend.DomainNames(ctx, state)
}

func (r *recordingXend) Domains(ctx context.Context) ([]*sexpr.Node, error) {
	r.note("detail")
	return r.Xend.Domains(ctx)
}

func (r *recordingXend) Domain(ctx context.Context, ref string) (*sexpr.Node, error) {
	r.note("domain/" + ref)
	return r.Xend.Domain(ctx, ref)
}

// TestDomainStatesNamesOnly: the shell's completion list comes from
// xend's names listings, one per power state, without a record; each
// domain carries the state its listing says, Domain-0 its domid 0.
func TestDomainStatesNamesOnly(t *testing.T) {
	ctx := context.Background()
	host := fake.NewDefault()
	x := &recordingXend{Xend: host}
	b := backend.NewDomains(x, "xen:///")
	if err := host.Op(ctx, "fc8", "pause", url.Values{}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ConfigFormat(ctx); err != nil {
		t.Fatal(err)
	}
	x.calls = nil
	doms, err := backend.DomainStates(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range x.calls {
		if !strings.HasPrefix(c, "names?state=") {
			t.Errorf("DomainStates asked for a record: %s (calls %v)", c, x.calls)
		}
	}
	var got []string
	for _, d := range doms {
		got = append(got, d.Name+":"+d.State.String())
		if d.Name == "Domain-0" && d.ID != 0 {
			t.Errorf("Domain-0 has id %d", d.ID)
		}
	}
	want := "Domain-0:running fc8:paused winxp:running rhel5:shut off"
	if strings.Join(got, " ") != want {
		t.Errorf("DomainStates = %v, want %s", got, want)
	}
}

// TestDomainStatesBefore31: xend 3.0.x ignores ?state=, so its names say
// nothing of state; the records are read as list does.
func TestDomainStatesBefore31(t *testing.T) {
	ctx := context.Background()
	x := &recordingXend{Xend: fake.NewDefaultFormat(2)}
	b := backend.NewDomains(x, "xen:///")
	doms, err := backend.DomainStates(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	list, err := b.List(ctx, backend.ListAll)
	if err != nil {
		t.Fatal(err)
	}
	if len(doms) != len(list) || len(doms) == 0 {
		t.Fatalf("DomainStates = %v, list = %v", doms, list)
	}
	for i := range doms {
		if doms[i] != list[i] {
			t.Errorf("DomainStates[%d] = %+v, list has %+v", i, doms[i], list[i])
		}
	}
}

// TestListBriefAsFull: a brief listing gives each domain the id, name,
// state and persistence (and with ListUUID the UUID) the full listing
// gives, at every config format, for every activity, with a domain in
// each state xend names (a paused one, a halted one, one kept after its
// shutdown). From format 3 on it reads no record of a shut-off domain
// unless the UUID is wanted; before, xend's names say nothing of state
// (§2.1) and only ?state=all is asked, as the full listing does.
func TestListBriefAsFull(t *testing.T) {
	ctx := context.Background()
	for format := 1; format <= 4; format++ {
		host := fake.NewDefaultFormat(format)
		kept, err := sexpr.ParseString(`(vm (name kept) (uuid 00000000-0000-4000-8000-000000000004) (memory 64) (on_poweroff preserve) (image (linux (kernel /boot/vmlinuz))))`)
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []func() error{
			func() error { return host.Op(ctx, "fc8", "pause", url.Values{}) },
			func() error { return host.Create(ctx, kept) },
			func() error { return host.Op(ctx, "kept", "unpause", url.Values{}) },
			func() error { return host.Op(ctx, "kept", "shutdown", url.Values{"reason": {"poweroff"}}) },
		} {
			if err := step(); err != nil {
				t.Fatalf("format %d: %v", format, err)
			}
		}
		x := &recordingXend{Xend: host}
		b := backend.NewDomains(x, "xen:///")
		for _, activity := range []backend.ListFilter{backend.ListActive, backend.ListInactive, backend.ListAll} {
			full, err := b.List(ctx, activity)
			if err != nil {
				t.Fatal(err)
			}
			for _, detail := range []backend.ListFilter{backend.ListBrief, backend.ListBrief | backend.ListUUID} {
				x.calls = nil
				brief, err := b.List(ctx, activity|detail)
				if err != nil {
					t.Fatal(err)
				}
				shown := func(ds []backend.Domain) string {
					var b strings.Builder
					for _, d := range ds {
						fmt.Fprintf(&b, "%d %s %s %v", d.ID, d.Name, d.State, d.Persistent)
						if detail&backend.ListUUID != 0 {
							b.WriteString(" " + d.UUID)
						}
						b.WriteByte('\n')
					}
					return b.String()
				}
				if got, want := shown(brief), shown(full); got != want {
					t.Errorf("format %d, filter %b: brief listing\n%s\nfull listing\n%s", format, activity|detail, got, want)
				}
				for _, c := range x.calls {
					wrong := false
					if format < 3 {
						wrong = strings.HasPrefix(c, "names?state=") && c != "names?state=all"
					} else if detail&backend.ListUUID == 0 {
						wrong = c == "domain/rhel5" || c == "domain/kept"
					}
					if wrong {
						t.Errorf("format %d, filter %b: asked for %s (calls %v)", format, activity|detail, c, x.calls)
					}
				}
			}
		}
	}
}

// hookedXend is a host reached over xend's calls only, where a test can
// change what a listing call answers or make it fail, and which counts the
// calls still running, so that a listing can be checked to leave none
// behind.
type hookedXend struct {
	backend.Xend
	names   func(ctx context.Context, state string, names []string) ([]string, error)
	detail  func(ctx context.Context) error
	record  func(ctx context.Context, ref string) error
	mu      sync.Mutex
	calls   []string
	running int
}

func (h *hookedXend) enter(call string) func() {
	h.mu.Lock()
	h.calls = append(h.calls, call)
	h.running++
	h.mu.Unlock()
	return func() { h.mu.Lock(); h.running--; h.mu.Unlock() }
}

func (h *hookedXend) inFlight() int { h.mu.Lock(); defer h.mu.Unlock(); return h.running }

func (h *hookedXend) DomainNames(ctx context.Context, state string) ([]string, error) {
	defer h.enter("names?state=" + state)()
	names, err := h.Xend.DomainNames(ctx, state)
	if err == nil && h.names != nil {
		return h.names(ctx, state, names)
	}
	return names, err
}

func (h *hookedXend) Domains(ctx context.Context) ([]*sexpr.Node, error) {
	defer h.enter("detail")()
	if h.detail != nil {
		if err := h.detail(ctx); err != nil {
			return nil, err
		}
	}
	return h.Xend.Domains(ctx)
}

func (h *hookedXend) Domain(ctx context.Context, ref string) (*sexpr.Node, error) {
	defer h.enter("domain/" + ref)()
	if h.record != nil {
		if err := h.record(ctx, ref); err != nil {
			return nil, err
		}
	}
	return h.Xend.Domain(ctx, ref)
}

// pausedHost is the default host with fc8 paused and two more paused
// domains, p1 and p2, so that a brief listing has records to fetch.
func pausedHost(t *testing.T) *fake.Host {
	t.Helper()
	ctx := context.Background()
	host := fake.NewDefault()
	if err := host.Op(ctx, "fc8", "pause", url.Values{}); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"p1", "p2"} {
		cfg, err := sexpr.ParseString(fmt.Sprintf(`(vm (name %s) (uuid 00000000-0000-4000-8000-00000000010%d) (memory 64) (image (linux (kernel /boot/vmlinuz))))`, name, i))
		if err != nil {
			t.Fatal(err)
		}
		if err := host.Create(ctx, cfg); err != nil {
			t.Fatal(err)
		}
	}
	return host
}

func shownDomains(ds []backend.Domain) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%d %s %s %v\n", d.ID, d.Name, d.State, d.Persistent)
	}
	return b.String()
}

// TestListBriefOverlapsDetail: the paused domains' records are fetched
// while the ?detail=1 reply is still coming, not after it; what is
// listed is what the host holds.
func TestListBriefOverlapsDetail(t *testing.T) {
	ctx := context.Background()
	host := pausedHost(t)
	fetching := make(chan struct{})
	var once sync.Once
	x := &hookedXend{Xend: host}
	x.record = func(context.Context, string) error { once.Do(func() { close(fetching) }); return nil }
	x.detail = func(ctx context.Context) error {
		select {
		case <-fetching:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Second):
			return errors.New("no record was fetched while the detail listing was read")
		}
	}
	b := backend.NewDomains(x, "xen:///")
	got, err := b.List(ctx, backend.ListAll|backend.ListBrief)
	if err != nil {
		t.Fatal(err)
	}
	want, err := backend.NewDomains(host, "test:///").List(ctx, backend.ListAll)
	if err != nil {
		t.Fatal(err)
	}
	if shownDomains(got) != shownDomains(want) {
		t.Errorf("listed\n%s\nthe host holds\n%s", shownDomains(got), shownDomains(want))
	}
}

// TestListBriefChangedState: a domain named under two power states (it
// changed state between two listings) is listed once, as the first of
// them in xend's state order says, whatever order the replies came in:
// the detail listing's record over a name, paused over halted.
func TestListBriefChangedState(t *testing.T) {
	ctx := context.Background()
	host := pausedHost(t)
	want, err := backend.NewDomains(host, "test:///").List(ctx, backend.ListAll)
	if err != nil {
		t.Fatal(err)
	}
	x := &hookedXend{Xend: host}
	x.names = func(_ context.Context, state string, names []string) ([]string, error) {
		switch state {
		case "paused": // winxp is running, in the detail listing
			return append(names, "winxp"), nil
		case "halted": // p1 is paused, winxp running
			return append(names, "p1", "winxp"), nil
		}
		return names, nil
	}
	b := backend.NewDomains(x, "xen:///")
	for range 20 {
		got, err := b.List(ctx, backend.ListAll|backend.ListBrief)
		if err != nil {
			t.Fatal(err)
		}
		if shownDomains(got) != shownDomains(want) {
			t.Fatalf("listed\n%s\nthe host holds\n%s", shownDomains(got), shownDomains(want))
		}
	}
}

// TestListBriefFailure: a listing that fails fails with the error asking
// in xend's state order meets first (the detail listing's before any
// names listing's, paused's before halted's), however the requests
// overlap; a fetch cut short by that failure warns of nothing; and no
// call is left running once List returns.
func TestListBriefFailure(t *testing.T) {
	errDetail, errPaused, errHalted := errors.New("detail failed"), errors.New("paused failed"), errors.New("halted failed")
	for _, c := range []struct {
		name          string
		detail        error
		failNames     map[string]error
		slowDetail    bool // detail answers only after the names have failed
		want          error
		slowFetchName string
	}{
		{name: "detail", detail: errDetail, want: errDetail},
		{name: "detail and paused", detail: errDetail, failNames: map[string]error{"paused": errPaused}, slowDetail: true, want: errDetail},
		{name: "paused", failNames: map[string]error{"paused": errPaused}, slowDetail: true, want: errPaused},
		{name: "paused and halted", failNames: map[string]error{"paused": errPaused, "halted": errHalted}, want: errPaused},
		{name: "halted while fetching", failNames: map[string]error{"halted": errHalted}, slowFetchName: "p1", want: errHalted},
	} {
		t.Run(c.name, func(t *testing.T) {
			var warned []string
			var wmu sync.Mutex
			ctx := backend.WithWarnings(context.Background(), func(m string) { wmu.Lock(); warned = append(warned, m); wmu.Unlock() })
			x := &hookedXend{Xend: pausedHost(t)}
			namesFailed := make(chan struct{})
			var once sync.Once
			x.names = func(ctx context.Context, state string, names []string) ([]string, error) {
				if err := c.failNames[state]; err != nil {
					once.Do(func() { close(namesFailed) })
					return nil, err
				}
				return names, nil
			}
			x.detail = func(ctx context.Context) error {
				if c.slowDetail {
					select {
					case <-namesFailed:
					case <-time.After(10 * time.Second):
					}
				}
				return c.detail
			}
			x.record = func(ctx context.Context, ref string) error {
				if ref == c.slowFetchName {
					<-ctx.Done() // held until the halted listing's failure ends it
					return ctx.Err()
				}
				return nil
			}
			b := backend.NewDomains(x, "xen:///")
			if _, err := b.ConfigFormat(ctx); err != nil {
				t.Fatal(err)
			}
			_, err := b.List(ctx, backend.ListAll|backend.ListBrief)
			if err != c.want {
				t.Errorf("List failed with %v, want %v (calls %v)", err, c.want, x.calls)
			}
			if n := x.inFlight(); n != 0 {
				t.Errorf("%d calls still running after List returned", n)
			}
			if len(warned) > 0 {
				t.Errorf("warnings: %q", warned)
			}
		})
	}
}

// TestListBriefCancel: cancelling the command ends the listing with the
// context's error, and no call is left running once List returns.
func TestListBriefCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	x := &hookedXend{Xend: pausedHost(t)}
	x.record = func(ctx context.Context, ref string) error {
		cancel()
		<-ctx.Done()
		return ctx.Err()
	}
	// The detail listing is still coming when the command is cancelled
	// (bounded, so that a listing asking in turn fails rather than hangs).
	x.detail = func(ctx context.Context) error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Second):
			return nil
		}
	}
	b := backend.NewDomains(x, "xen:///")
	if _, err := b.List(ctx, backend.ListAll|backend.ListBrief); !errors.Is(err, context.Canceled) {
		t.Errorf("List = %v, want context.Canceled", err)
	}
	if n := x.inFlight(); n != 0 {
		t.Errorf("%d calls still running after List returned", n)
	}
}
