package backend_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

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
