package xmlconv

import (
	"errors"
	"testing"
)

func TestParseUUID(t *testing.T) {
	const want = "596a5d21-71f4-8fb2-e068-e2386a5c413e"
	for _, in := range []string{
		"596a5d2171f48fb2e068e2386a5c413e",
		"596a5d21-71f4-8fb2-e068-e2386a5c413e",
		"596A5D21-71F4-8FB2-E068-E2386A5C413E",
		"59 6a 5d 21 71 f4 8f b2 e0 68 e2 38 6a 5c 41 3e",
		"  596a5d21-71f48fb2-e068e2386a5c413e\n",
		"59-6a-5d-21-71f4-8fb2-e068-e2386a5c413e",
	} {
		got, err := ParseUUID(in)
		if err != nil || got != want {
			t.Errorf("ParseUUID(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{
		"", "596a5d2171f48fb2e068e2386a5c413", "596a5d2171f48fb2e068e2386a5c413e00",
		"596a5d2-171f48fb2e068e2386a5c413e", "596a5d2171f48fb2e068e2386a5c413g",
		"596a5d21_71f4_8fb2_e068_e2386a5c413e", "596a5d2171f48fb2e068e2386a5c413e x",
	} {
		if got, err := ParseUUID(in); !errors.Is(err, ErrBadUUID) {
			t.Errorf("ParseUUID(%q) = %q, %v; want ErrBadUUID", in, got, err)
		}
	}
}

// Every domain of a listing has its UUID read: the canonical form xend
// keeps is taken as it is, and a near miss still goes the long way.
func TestParseUUIDCanonicalAsIs(t *testing.T) {
	const u = "596a5d21-71f4-8fb2-e068-e2386a5c413e"
	if n := testing.AllocsPerRun(100, func() { ParseUUID(u) }); n != 0 {
		t.Errorf("ParseUUID of a canonical UUID allocates %v times", n)
	}
	for in, want := range map[string]string{
		"596a5d21-71f4-8fb2-e068-e2386a5c413E": u,  // upper case
		"596a5d2171f4-8fb2-e068-e2386a5c413e-": u,  // dashes elsewhere
		"596a5d21-71f4-8fb2-e068-e2386a5c413g": "", // not hex
		"596a5d21-71f4-8fb2-e068-e2386a5c413":  "", // short
	} {
		got, err := ParseUUID(in)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("ParseUUID(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
