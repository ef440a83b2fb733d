// Package twcolor is the part of github.com/fatih/color v1.19.0 that
// tablewriter's renderers call: SGR attributes and the wrapping of a text
// in them. It stands in for fatih/color in this copy of tablewriter
// because fatih/color's init decides NoColor (two environment variables
// and an ioctl asking whether standard output is a terminal) and builds
// colourable standard output and error writers, in every program that
// links it, whether or not it ever colours anything: in every xvirsh
// command, whose tables have no colour (see ../../FORK.md).
//
// What it keeps of fatih/color's behaviour: the attributes have its SGR
// numbers; a coloured text is ESC "[" + the attributes joined with ";" +
// "m", the text, then ESC "[" + each attribute's own reset (22 for Bold
// and Faint, 23 for Italic, ... and 0 for a colour) joined with ";" + "m",
// as its Color.Sprint gives it; colour is off when NO_COLOR is set to a
// non-empty value, when TERM is "dumb", or when standard output is not a
// terminal, and NO_COLOR turns it off even where the program said
// otherwise. What differs: the decision is made the first time a text is
// coloured, not at init, and a program changes it with SetNoColor
// rather than by assigning color.NoColor.
package twcolor

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/term"
)

// Attribute is an SGR parameter, with fatih/color's numbering.
type Attribute int

const escape = "\x1b"

// Base attributes.
const (
	Reset Attribute = iota
	Bold
	Faint
	Italic
	Underline
	BlinkSlow
	BlinkRapid
	ReverseVideo
	Concealed
	CrossedOut
)

// Resets of the base attributes.
const (
	ResetBold Attribute = iota + 22
	ResetItalic
	ResetUnderline
	ResetBlinking
	_
	ResetReversed
	ResetConcealed
	ResetCrossedOut
)

// Foreground text colors.
const (
	FgBlack Attribute = iota + 30
	FgRed
	FgGreen
	FgYellow
	FgBlue
	FgMagenta
	FgCyan
	FgWhite
)

// Foreground hi-intensity text colors.
const (
	FgHiBlack Attribute = iota + 90
	FgHiRed
	FgHiGreen
	FgHiYellow
	FgHiBlue
	FgHiMagenta
	FgHiCyan
	FgHiWhite
)

// Background text colors.
const (
	BgBlack Attribute = iota + 40
	BgRed
	BgGreen
	BgYellow
	BgBlue
	BgMagenta
	BgCyan
	BgWhite
)

// Background hi-intensity text colors.
const (
	BgHiBlack Attribute = iota + 100
	BgHiRed
	BgHiGreen
	BgHiYellow
	BgHiBlue
	BgHiMagenta
	BgHiCyan
	BgHiWhite
)

// resetOf is fatih/color's mapResetAttributes as a switch: a map literal
// at package level would be built at init, in every command.
func resetOf(a Attribute) Attribute {
	switch a {
	case Bold, Faint:
		return ResetBold
	case Italic:
		return ResetItalic
	case Underline:
		return ResetUnderline
	case BlinkSlow, BlinkRapid:
		return ResetBlinking
	case ReverseVideo:
		return ResetReversed
	case Concealed:
		return ResetConcealed
	case CrossedOut:
		return ResetCrossedOut
	}
	return Reset
}

// The colour decision: undecided until first asked, unless SetNoColor
// said first.
const (
	undecided int32 = iota
	colorOn
	colorOff
)

var (
	state  atomic.Int32
	decide sync.Once
	// decideNoColor is a variable for the tests only.
	decideNoColor = func() bool { return noColorFromEnv(os.Getenv, stdoutIsTerminal) }
)

// NoColor reports whether texts are left uncoloured, deciding it on the
// first call as fatih/color's init does.
func NoColor() bool {
	if state.Load() == undecided {
		decide.Do(func() {
			v := colorOn
			if decideNoColor() {
				v = colorOff
			}
			// A SetNoColor that came first wins.
			state.CompareAndSwap(undecided, v)
		})
	}
	return state.Load() == colorOff
}

// SetNoColor turns colour off (true) or on (false) for every later
// Sprint, as assigning fatih/color's NoColor does. A non-empty NO_COLOR
// still turns it off.
func SetNoColor(v bool) {
	if v {
		state.Store(colorOff)
	} else {
		state.Store(colorOn)
	}
}

// noColorFromEnv is fatih/color's NoColor expression.
func noColorFromEnv(getenv func(string) string, isTerminal func() bool) bool {
	return getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" || !isTerminal()
}

// stdoutIsTerminal asks what go-isatty's IsTerminal asks (the termios
// ioctl on Unix, the console mode on Windows), through golang.org/x/term,
// which xvirsh links already.
func stdoutIsTerminal() bool {
	if os.Stdout == nil {
		return false
	}
	return term.IsTerminal(int(os.Stdout.Fd()))
}

// Sprint returns s in attrs as fatih/color's New(attrs...).Sprint(s)
// does: s alone when colour is off.
func Sprint(s string, attrs ...Attribute) string {
	// fatih/color's New reads NO_COLOR for every colour it makes, and
	// that overrides NoColor.
	if os.Getenv("NO_COLOR") != "" || NoColor() {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 4 + 6*len(attrs))
	b.WriteString(escape + "[")
	for i, a := range attrs {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strconv.Itoa(int(a)))
	}
	b.WriteByte('m')
	b.WriteString(s)
	b.WriteString(escape + "[")
	for i, a := range attrs {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strconv.Itoa(int(resetOf(a))))
	}
	b.WriteByte('m')
	return b.String()
}
