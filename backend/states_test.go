package backend_test

import (
	"context"
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
