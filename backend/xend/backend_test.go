package xend

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"testing"

	"xvirsh/backend"
	"xvirsh/backend/fake"
)

// liveBits are the parts of a dumpxml that belong to one run of a domain,
// not to its config: the domid and the console and VNC endpoints.
var liveBits = regexp.MustCompile(` id='\d+'|(tty|path)='/dev/pts/\d+'|port='59\d\d'|dev='vif\d+\.\d+'`)

// TestBackendOverXend: the commands' view (backend.Backend) of a host
// reached through the xend client and the simulator. Every demo domain's
// XML, created on an empty host over HTTP, dumps back the same, bar id and
// tty; define/start/destroy/undefine work where the format has them.
func TestBackendOverXend(t *testing.T) {
	ctx := context.Background()
	for _, network := range []string{"unix", "tcp"} {
		for format := 1; format <= 4; format++ {
			t.Run(fmt.Sprintf("%s/format%d", network, format), func(t *testing.T) {
				src := backend.NewDomains(fake.NewDefaultFormat(format), "test:///default")
				host := fake.New(format)
				dst := backend.NewDomains(simClient(t, host, network), "xen+unix:///sim")
				if f, err := dst.ConfigFormat(ctx); err != nil || f != format {
					t.Fatalf("ConfigFormat = %d, %v; want %d", f, err, format)
				}
				all, err := src.List(ctx, backend.ListAll)
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range all {
					if d.Name == "Domain-0" {
						continue
					}
					want, err := src.XML(ctx, d.Name, false)
					if err != nil {
						t.Fatal(err)
					}
					created, err := dst.Create(ctx, []byte(want))
					if err != nil {
						t.Fatalf("create %s: %v", d.Name, err)
					}
					if created.Name != d.Name || created.UUID != d.UUID || !created.State.Active() || created.ID < 1 {
						t.Errorf("created %+v", created)
					}
					got, err := dst.XML(ctx, d.Name, !d.State.Active())
					if err != nil {
						t.Fatal(err)
					}
					if liveBits.ReplaceAllString(got, "") != liveBits.ReplaceAllString(want, "") {
						t.Errorf("%s: dumpxml after create differs:\n--- created from\n%s--- dumped\n%s", d.Name, want, got)
					}
					if err := dst.Destroy(ctx, d.Name); err != nil {
						t.Fatalf("destroy %s: %v", d.Name, err)
					}
				}
				list, err := dst.List(ctx, backend.ListAll)
				if err != nil || len(list) != 1 || list[0].Name != "Domain-0" {
					t.Fatalf("after destroying every transient domain: %+v, %v", list, err)
				}
				testBackendLifecycle(t, dst, src, format)
			})
		}
	}
}

func testBackendLifecycle(t *testing.T, dst, src backend.Backend, format int) {
	ctx := context.Background()
	var stopped backend.Domain
	all, _ := src.List(ctx, backend.ListInactive)
	if len(all) == 0 {
		if format >= 3 {
			t.Fatal("demo host has no stopped domain")
		}
		all, _ = src.List(ctx, backend.ListActive)
	}
	stopped = all[len(all)-1]
	// Before format 3 every domain is live, and a record without its
	// domid does not convert.
	xml, err := src.XML(ctx, stopped.Name, format >= 3)
	if err != nil {
		t.Fatal(err)
	}
	_, err = dst.Define(ctx, []byte(xml))
	if format < 3 {
		if !errors.Is(err, backend.ErrUnsupported) {
			t.Errorf("define at format %d: %v, want unsupported", format, err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	step := func(what string, err error, want backend.State) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		d, err := dst.Lookup(ctx, stopped.UUID)
		if err != nil || d.State != want {
			t.Fatalf("after %s: %+v, %v; want state %v", what, d, err, want)
		}
	}
	step("define", nil, backend.StateShutoff)
	step("start", dst.Start(ctx, stopped.Name), backend.StateBlocked)
	step("suspend", dst.Suspend(ctx, stopped.Name), backend.StatePaused)
	step("resume", dst.Resume(ctx, stopped.Name), backend.StateBlocked)
	step("destroy", dst.Destroy(ctx, stopped.Name), backend.StateShutoff)
	got, err := dst.XML(ctx, stopped.Name, true)
	if err != nil || got != xml {
		t.Errorf("inactive XML after define differs (%v):\n--- defined\n%s--- dumped\n%s", err, xml, got)
	}
	if err := dst.Undefine(ctx, stopped.Name); err != nil {
		t.Fatal(err)
	}
	if _, err := dst.Lookup(ctx, stopped.Name); !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("after undefine: %v, want not found", err)
	}
}
