package fake

import (
	"bytes"
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
