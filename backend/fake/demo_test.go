package fake

import (
	"testing"

	"xvirsh/sexpr"
	"xvirsh/xmlconv"
)

// The demo configs are what the converter itself sends, at every format:
// dumpxml of a demo domain fed back to create gives the same config.
func TestDemoConfigsAreConverterFixedPoints(t *testing.T) {
	for format := 1; format <= 4; format++ {
		h := NewDefaultFormat(format)
		recs, err := allRecords(ctx, h)
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range recs[1:] { // Domain-0 is never created from XML
			d := h.find(rec.Get("name"))
			xml, err := xmlconv.ToXML(rec, xmlconv.Options{Version: format, TTY: d.tty(), VNCPort: d.vncPort(vncNode(d.config()))})
			if err != nil {
				t.Fatalf("format %d %s: ToXML: %v", format, d.name, err)
			}
			back, err := xmlconv.ToSexpr([]byte(xml), format)
			if err != nil {
				t.Fatalf("format %d %s: ToSexpr: %v", format, d.name, err)
			}
			if !sexpr.Equal(back, d.config()) {
				t.Errorf("format %d %s:\n demo %s\n back %s", format, d.name, d.config(), back)
			}
		}
	}
}

// The demo host is frozen at 2026-01-01 12:00 UTC: Domain-0, up 240
// hours, started ten days before, and its CPU time does not move.
func TestDemoClock(t *testing.T) {
	h := NewDefault()
	for range 2 {
		r, err := h.Domain(ctx, "0")
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Get("start_time"); got != "1766404800.0" {
			t.Errorf("Domain-0 start_time %s, want 1766404800.0 (2025-12-22 12:00 UTC)", got)
		}
		if got := r.Get("cpu_time"); got != "1523.4" {
			t.Errorf("Domain-0 cpu_time %s, want 1523.4", got)
		}
	}
}
