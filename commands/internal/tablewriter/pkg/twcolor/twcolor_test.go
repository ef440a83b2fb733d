package twcolor

import (
	"fmt"
	"sync"
	"testing"

	"github.com/fatih/color"
)

// fatih/color is imported by tests only: they hold twcolor to the library
// it stands in for, and a test's imports do not reach xvirsh's binary.

var fatihs = []struct {
	tw    Attribute
	fatih color.Attribute
}{
	{Reset, color.Reset}, {Bold, color.Bold}, {Faint, color.Faint}, {Italic, color.Italic},
	{Underline, color.Underline}, {BlinkSlow, color.BlinkSlow}, {BlinkRapid, color.BlinkRapid},
	{ReverseVideo, color.ReverseVideo}, {Concealed, color.Concealed}, {CrossedOut, color.CrossedOut},
	{ResetBold, color.ResetBold}, {ResetItalic, color.ResetItalic}, {ResetUnderline, color.ResetUnderline},
	{ResetBlinking, color.ResetBlinking}, {ResetReversed, color.ResetReversed},
	{ResetConcealed, color.ResetConcealed}, {ResetCrossedOut, color.ResetCrossedOut},
	{FgBlack, color.FgBlack}, {FgRed, color.FgRed}, {FgGreen, color.FgGreen}, {FgYellow, color.FgYellow},
	{FgBlue, color.FgBlue}, {FgMagenta, color.FgMagenta}, {FgCyan, color.FgCyan}, {FgWhite, color.FgWhite},
	{FgHiBlack, color.FgHiBlack}, {FgHiRed, color.FgHiRed}, {FgHiGreen, color.FgHiGreen},
	{FgHiYellow, color.FgHiYellow}, {FgHiBlue, color.FgHiBlue}, {FgHiMagenta, color.FgHiMagenta},
	{FgHiCyan, color.FgHiCyan}, {FgHiWhite, color.FgHiWhite},
	{BgBlack, color.BgBlack}, {BgRed, color.BgRed}, {BgGreen, color.BgGreen}, {BgYellow, color.BgYellow},
	{BgBlue, color.BgBlue}, {BgMagenta, color.BgMagenta}, {BgCyan, color.BgCyan}, {BgWhite, color.BgWhite},
	{BgHiBlack, color.BgHiBlack}, {BgHiRed, color.BgHiRed}, {BgHiGreen, color.BgHiGreen},
	{BgHiYellow, color.BgHiYellow}, {BgHiBlue, color.BgHiBlue}, {BgHiMagenta, color.BgHiMagenta},
	{BgHiCyan, color.BgHiCyan}, {BgHiWhite, color.BgHiWhite},
}

func TestAttributesAreFatihs(t *testing.T) {
	for _, a := range fatihs {
		if int(a.tw) != int(a.fatih) {
			t.Errorf("twcolor %d, fatih/color %d", a.tw, a.fatih)
		}
	}
}

// attrLists gives every attribute alone (those without a name too, as
// Colors may hold any number), every pair of named ones, tablewriter's
// own combinations and a few longer ones, and none.
func attrLists() [][]Attribute {
	lists := [][]Attribute{nil, {}}
	for a := Attribute(0); a <= 110; a++ {
		lists = append(lists, []Attribute{a})
	}
	for _, a := range fatihs {
		for _, b := range fatihs {
			lists = append(lists, []Attribute{a.tw, b.tw})
		}
	}
	return append(lists,
		[]Attribute{FgWhite, Bold, BgBlack},
		[]Attribute{FgGreen, Bold, BgBlue},
		[]Attribute{Bold, Faint, Italic, Underline, BlinkSlow, BlinkRapid, ReverseVideo, Concealed, CrossedOut},
		[]Attribute{38, 5, 208},     // 256 colours, as fatih/color's own RGB calls build them
		[]Attribute{48, 2, 1, 2, 3}, // 24-bit background
		[]Attribute{-1, 1000, Bold},
	)
}

var texts = []string{
	"", "x", "Name", "  padded  ", "two\nlines", "trailing\n", "\r\n", "tab\there",
	"%d %s %%", "already \x1b[31mred\x1b[0m inside", "日本語", "🙂 e\u0301", "\x00\xff",
}

func fatihSprint(attrs []Attribute, s string) string {
	fa := make([]color.Attribute, len(attrs))
	for i, a := range attrs {
		fa[i] = color.Attribute(a)
	}
	// As tablewriter called it.
	return color.New(fa...).SprintFunc()(s)
}

// forceColor sets both libraries' switch for one test.
func forceColor(t *testing.T, on bool) {
	t.Helper()
	savedFatih := color.NoColor
	savedState := state.Load()
	color.NoColor = !on
	SetNoColor(!on)
	t.Cleanup(func() {
		color.NoColor = savedFatih
		state.Store(savedState)
	})
}

func TestSprintIsFatihs(t *testing.T) {
	for _, noColorEnv := range []string{"", "1"} {
		for _, on := range []bool{true, false} {
			t.Run(fmt.Sprintf("NO_COLOR=%q/color=%v", noColorEnv, on), func(t *testing.T) {
				t.Setenv("NO_COLOR", noColorEnv)
				forceColor(t, on)
				n := 0
				for _, attrs := range attrLists() {
					for _, s := range texts {
						got, want := Sprint(s, attrs...), fatihSprint(attrs, s)
						if got != want {
							t.Fatalf("Sprint(%q, %v) = %q, fatih/color gives %q", s, attrs, got, want)
						}
						if got != s {
							n++
						}
					}
				}
				// Colour shows only when asked for and NO_COLOR is not set.
				if coloured := on && noColorEnv == ""; coloured != (n > 0) {
					t.Errorf("%d coloured texts", n)
				}
			})
		}
	}
}

func TestSprintSample(t *testing.T) {
	forceColor(t, true)
	t.Setenv("NO_COLOR", "")
	if got, want := Sprint("NAME", FgWhite, Bold, BgBlack), "\x1b[37;1;40mNAME\x1b[0;22;0m"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSetNoColorBeforeFirstUseWins(t *testing.T) {
	for _, v := range []bool{true, false} {
		calls := 0
		undecidedOnce(t, func() bool { calls++; return !v })
		SetNoColor(v)
		if NoColor() != v || calls != 0 {
			t.Errorf("SetNoColor(%v): NoColor() = %v after %d decisions", v, NoColor(), calls)
		}
	}
}

func TestDecidedOnceOnFirstUse(t *testing.T) {
	for _, v := range []bool{true, false} {
		calls := 0
		undecidedOnce(t, func() bool { calls++; return v })
		if calls != 0 {
			t.Fatal("decided before asked")
		}
		for range 3 {
			if NoColor() != v {
				t.Errorf("NoColor() = %v, decided %v", NoColor(), v)
			}
		}
		if calls != 1 {
			t.Errorf("decided %d times", calls)
		}
	}
}

// undecidedOnce puts the package back in its start state, with decision
// in place of the environment and the terminal, until the test ends.
func undecidedOnce(t *testing.T, decision func() bool) {
	t.Helper()
	savedState, savedDecide := state.Load(), decideNoColor
	state.Store(undecided)
	decide = sync.Once{}
	decideNoColor = decision
	t.Cleanup(func() {
		state.Store(savedState)
		decideNoColor = savedDecide
	})
}

func TestNoColorFromEnv(t *testing.T) {
	for _, c := range []struct {
		noColor, term string
		tty, want     bool
	}{
		{"", "xterm", true, false},
		{"", "", true, false},
		{"1", "xterm", true, true},
		{"0", "xterm", true, true}, // set, whatever its value
		{"", "dumb", true, true},
		{"", "Dumb", true, false},
		{"", "xterm", false, true},
	} {
		env := map[string]string{"NO_COLOR": c.noColor, "TERM": c.term}
		got := noColorFromEnv(func(k string) string { return env[k] }, func() bool { return c.tty })
		if got != c.want {
			t.Errorf("%+v: got %v", c, got)
		}
	}
}
