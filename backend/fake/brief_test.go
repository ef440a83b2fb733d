package fake

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
	"time"

	"xvirsh/backend"
	"xvirsh/backend/xendrules"
	"xvirsh/sexpr"
)

// The record is written down once (Host.fields); the brief records a
// listing reads and the text the simulator prints must be exactly what
// the record tree gives, for every kind of domain and format: running,
// paused, preserved, halted, HVM with VNC, Domain-0.
func TestBriefAndShownRecordsMatchTheRecord(t *testing.T) {
	for format := 1; format <= 4; format++ {
		h := NewAt(format, time.Unix(1700000000, 0))
		h.seedDemo(h.clock())
		if format >= 3 {
			mustOp(t, h, "fc8", "pause")
		}
		var fulls []*sexpr.Node
		var detail []string
		h.mu.Lock()
		now := h.clock()
		for _, d := range h.byName(func(*dom) bool { return true }) {
			if !h.visible(d) {
				continue
			}
			full := h.record(d, now)
			fulls = append(fulls, full)
			if got, want := h.brief(d, now, backend.NewBriefBuilder(1)).String(), backend.Brief(full).String(); got != want {
				t.Errorf("format %d %s: brief\n%s\nwant\n%s", format, d.name, got, want)
			}
			var b bytes.Buffer
			h.writeRecord(&b, d, now)
			if want := xendrules.Show(full); b.String() != want {
				t.Errorf("format %d %s: shown\n%s\nwant\n%s", format, d.name, b.String(), want)
			}
			if xendrules.DetailListed(d.powerState()) || !xendrules.DetailHonoured(format) {
				if xendrules.DetailHonoured(format) {
					detail = append(detail, xendrules.Show(full))
				} else {
					detail = append(detail, xendrules.ShowAtom(d.name))
				}
			}
		}
		h.mu.Unlock()
		if len(fulls) < 3 {
			t.Fatalf("format %d: only %d domains", format, len(fulls))
		}
		var b bytes.Buffer
		if err := h.ShowDomains(ctx, &b); err != nil {
			t.Fatal(err)
		}
		if want := strings.Join(detail, " "); b.String() != want {
			t.Errorf("format %d: ShowDomains\n%s\nwant\n%s", format, b.String(), want)
		}
		briefs, err := h.AllBriefDomains(ctx)
		if err != nil || len(briefs) != len(fulls) {
			t.Fatalf("format %d: %d brief records, %v; want %d", format, len(briefs), err, len(fulls))
		}
	}
}

// A printed record keeps what it takes from the config only while the
// config is unchanged: after a change, in this process or another, the
// next record printed shows it. In memory nothing is read again after a
// change, so this holds there by itself.
func TestPrintedRecordFollowsConfigChanges(t *testing.T) {
	dir := t.TempDir()
	onDisk, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer onDisk.Close()
	onDisk.Resident()
	for _, h := range []*Host{NewDefaultFormat(4), onDisk} {
		show := func() string {
			t.Helper()
			var b bytes.Buffer
			if err := h.ShowDomain(ctx, "fc8", &b); err != nil {
				t.Fatal(err)
			}
			return b.String()
		}
		if got := show(); !strings.Contains(got, "(maxmem 512)") {
			t.Fatalf("fc8 starts with %s", got)
		}
		if err := h.Op(ctx, "fc8", "maxmem_set", url.Values{"memory": {"768"}}); err != nil {
			t.Fatal(err)
		}
		if got := show(); !strings.Contains(got, "(maxmem 768)") {
			t.Errorf("after maxmem_set: %s", got)
		}
		// Redefined while it runs, its live config takes the new
		// on_xend_start in place.
		def, err := h.Domain(ctx, "fc8")
		if err != nil {
			t.Fatal(err)
		}
		cfg := sexpr.List(sexpr.Atom("vm"))
		for _, k := range def.Args() {
			switch k.Head() {
			case "domid", "cpu_time", "start_time", "online_vcpus", "status", "state", "managed", "on_xend_start":
			default:
				cfg.Append(k)
			}
		}
		cfg.Append(sexpr.KV("on_xend_start", "start"))
		if err := h.New(ctx, cfg); err != nil {
			t.Fatal(err)
		}
		if got := show(); !strings.Contains(got, "(on_xend_start start)") {
			t.Errorf("after a redefinition: %s", got)
		}
	}
	other, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.Op(ctx, "fc8", "maxmem_set", url.Values{"memory": {"1024"}}); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := onDisk.ShowDomain(ctx, "fc8", &b); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !strings.Contains(got, "(maxmem 1024)") {
		t.Errorf("after maxmem_set in another process: %s", got)
	}
}
