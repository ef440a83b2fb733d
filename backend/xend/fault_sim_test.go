package xend

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"xvirsh/backend"
	"xvirsh/backend/fake"
	"xvirsh/backend/xendsim"
	"xvirsh/sexpr"
)

// hostState summarises what an operator would see of a host: each domain
// with its id, state and memory (cpu_time moves on its own).
func hostState(t *testing.T, host *fake.Host) string {
	t.Helper()
	doms, err := host.Domains(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, d := range doms {
		fmt.Fprintf(&b, "%s id=%s state=%s mem=%s max=%s vcpus=%s\n", d.Get("name"), d.Get("domid"),
			d.Get("state"), d.Get("memory"), d.Get("maxmem"), d.Get("vcpus"))
	}
	return b.String()
}

// TestFaultsThroughSimulator: each failure xend can answer with gives one
// clear error, and the host is left exactly as it was.
func TestFaultsThroughSimulator(t *testing.T) {
	host := fake.NewDefault()
	c := simClient(t, host, "unix")
	ctx := context.Background()
	before := hostState(t, host)

	huge := vmConfig("huge", "9a9a9a9a-0000-4000-8000-000000000001")
	huge.Lookup("image/linux").Append(sexpr.KV("args", strings.Repeat("console=ttyS0 ", 800)))

	tests := []struct {
		name   string
		run    func() error
		want   string
		wantIs error
	}{
		{"413 oversized config", func() error { return c.Create(ctx, huge) },
			"xend: POST /xend/domain/ op=create: 413: xend at unix:", nil},
		{"500 duplicate name", func() error { return c.Create(ctx, vmConfig("fc8", "9a9a9a9a-0000-4000-8000-000000000002")) },
			"xend: POST /xend/domain/ op=create: 500: ", backend.ErrExists},
		{"500 missing parameter", func() error { return c.Op(ctx, "fc8", "maxmem_set", nil) },
			"xend: POST /xend/domain/fc8 op=maxmem_set: 500: Missing parameter: memory", nil},
		{"500 bad int", func() error { return c.Op(ctx, "fc8", "set_vcpus", url.Values{"vcpus": {"two"}}) },
			"xend: POST /xend/domain/fc8 op=set_vcpus: 500: invalid literal for int() with base 10: 'two'", nil},
		{"500 host refusal", func() error { return c.Op(ctx, "Domain-0", "shutdown", url.Values{"reason": {"poweroff"}}) },
			"xend: POST /xend/domain/Domain-0 op=shutdown: 500: ", backend.ErrInvalidState},
		{"xend.err inside a 202 (threaded op)", func() error {
			return c.Op(ctx, "fc8", "dump", url.Values{"file": {"/tmp/core"}, "live": {"0", "1"}, "crash": {"0"}})
		}, "xend: POST /xend/domain/fc8 op=dump: 202: Too many values for live", nil},
		{"404", func() error { return c.Op(ctx, "ghost", "destroy", nil) },
			"xend: POST /xend/domain/ghost op=destroy: 404: domain not found", backend.ErrNotFound},
		{"501", func() error { return c.Op(ctx, "fc8", "frobnicate", nil) },
			"xend: POST /xend/domain/fc8 op=frobnicate: 501: Operation not implemented: frobnicate", backend.ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error = %v, want prefix %q", err, tt.want)
			}
			if tt.name == "413 oversized config" && !strings.Contains(err.Error(), "over xend's limit of 10000 bytes") {
				t.Errorf("413 error does not explain the limit: %v", err)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.wantIs)
			}
			if after := hostState(t, host); after != before {
				t.Errorf("host changed:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

// TestHTMLFromSimulator: when something between the client and xend adds
// browser headers, xend answers HTML; the client says so instead of
// misreading the page.
func TestHTMLFromSimulator(t *testing.T) {
	host := fake.NewDefault()
	browserish := xendsim.NewHandler(host)
	browserish.Intercept(func(r *xendsim.Request, _ net.Conn) bool {
		r.Header.Set("User-Agent", "Mozilla/5.0")
		r.Header.Set("Accept", "*/*")
		return false
	})
	sock := filepath.Join(t.TempDir(), "xend.sock")
	l, err := xendsim.Listen("unix:" + sock)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go xendsim.Serve(ctx, l, browserish)
	c, _ := New("unix", sock, 5*time.Second)
	before := hostState(t, host)
	_, err = c.Domain(context.Background(), "fc8")
	if err == nil || err.Error() != "xend: GET /xend/domain/fc8: 200: xend answered with an HTML page instead of an S-expression" {
		t.Fatalf("error = %v", err)
	}
	if hostState(t, host) != before {
		t.Error("host changed")
	}
}

// TestTruncatedFromSimulator: a reply cut off on its way (the connection
// drops mid-body) is an error, not a shorter list.
func TestTruncatedFromSimulator(t *testing.T) {
	host := fake.NewDefault()
	c := simClient(t, host, "unix")
	proxy := filepath.Join(t.TempDir(), "proxy.sock")
	pl, err := net.Listen("unix", proxy)
	if err != nil {
		t.Fatal(err)
	}
	defer pl.Close()
	go func() {
		for {
			in, err := pl.Accept()
			if err != nil {
				return
			}
			go func() {
				defer in.Close()
				out, err := net.Dial("unix", c.address)
				if err != nil {
					return
				}
				defer out.Close()
				go io.Copy(out, in)
				// Pass on the headers and a little of the body, then drop.
				io.CopyN(in, out, 600)
			}()
		}
	}()
	pc, _ := New("unix", proxy, 5*time.Second)
	before := hostState(t, host)
	recs, err := pc.Domains(context.Background())
	if err == nil || !strings.Contains(err.Error(), "(truncated)") || recs != nil {
		t.Fatalf("Domains through a cutting proxy: %d records, error %v", len(recs), err)
	}
	if hostState(t, host) != before {
		t.Error("host changed")
	}
}
