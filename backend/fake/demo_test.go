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
