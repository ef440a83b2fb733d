package fake

import (
	"strings"
	"testing"
)

// What no domain can have is refused by the host itself too, for clients
// of xend-sim that are not xvirsh: more KiB than a signed 64-bit count
// holds, at create and define; more than the host has, at create and
// start (xend's balloon check).
func TestMemoryThatCannotFit(t *testing.T) {
	cfg := func(name, mem string) string {
		return strings.Replace(pvConfig(name, ""), "(memory 128) (maxmem 256)", "(memory "+mem+") (maxmem "+mem+")", 1)
	}
	for _, tt := range []struct {
		name, config string
		create       bool
		want         string
	}{
		{"define, int64 of KiB", cfg("a", "9007199254740992"), false, "Invalid memory: 9007199254740992 MiB is more than any host can have"},
		{"create, int64 of KiB", cfg("b", "9007199254740992"), true, "Invalid memory: 9007199254740992 MiB is more than any host can have"},
		{"create, more than the host", cfg("c", "8193"), true, "I need 8389632 KiB, but the host has only 8388608 KiB"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := NewDefault()
			before := dump(t, h)
			var err error
			if tt.create {
				err = h.Create(ctx, mustParse(t, tt.config))
			} else {
				err = h.New(ctx, mustParse(t, tt.config))
			}
			wantErr(t, err, nil, tt.want)
			if after := dump(t, h); strings.Join(after, "\n") != strings.Join(before, "\n") {
				t.Error("a refused config changed the host")
			}
		})
	}
	// A definition larger than the host is xend's to keep; starting it is
	// what fails.
	h := NewDefault()
	if err := h.New(ctx, mustParse(t, cfg("d", "8193"))); err != nil {
		t.Fatal(err)
	}
	wantErr(t, op(t, h, "d", "start"), nil, "I need 8389632 KiB, but the host has only 8388608 KiB")
}
