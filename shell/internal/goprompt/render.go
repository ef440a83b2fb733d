package prompt

import (
	"runtime"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/c-bata/go-prompt/internal/debug"
	runewidth "github.com/mattn/go-runewidth"
)

// Render draws the prompt line the way readline does (xvirsh fork; see
// FORK.md). Upstream v0.2.6 redrew the whole prompt, in colour, after
// every key and drew the completion popup below it, so a program's byte
// stream depended on the terminal's size and an expect script matched
// redraws instead of output. This renderer keeps what is on the screen
// and writes only the difference: a typed character at the end of the
// line is that character and nothing else, the prompt is written once per
// line, and colour is used only when asked for (OptionColor).
type Render struct {
	out                ConsoleWriter
	prefix             string
	livePrefixCallback func() (prefix string, useLivePrefix bool)
	breakLineCallback  func(*Document)
	title              string
	row                uint16
	col                uint16

	// color enables the prefix colours; off by default in this fork.
	color bool
	// bracketedPaste asks the terminal to mark pasted text
	// (ESC[?2004h) while a line is edited; pasteOn is whether it is on.
	bracketedPaste bool
	pasteOn        bool

	// override replaces the prefix while it is set (the reverse search
	// prompt).
	override    string
	useOverride bool

	// drawn says the prompt line is on the screen as shown (prefix and
	// text) with the cursor cursor cells after the start of the prefix.
	drawn  bool
	shown  string
	cursor int

	// colors,
	prefixTextColor              Color
	prefixBGColor                Color
	inputTextColor               Color
	inputBGColor                 Color
	previewSuggestionTextColor   Color
	previewSuggestionBGColor     Color
	suggestionTextColor          Color
	suggestionBGColor            Color
	selectedSuggestionTextColor  Color
	selectedSuggestionBGColor    Color
	descriptionTextColor         Color
	descriptionBGColor           Color
	selectedDescriptionTextColor Color
	selectedDescriptionBGColor   Color
	scrollbarThumbColor          Color
	scrollbarBGColor             Color
}

const (
	pasteModeOn  = "\x1b[?2004h"
	pasteModeOff = "\x1b[?2004l"
)

// Setup to initialize console output.
func (r *Render) Setup() {
	if r.title != "" {
		r.out.SetTitle(r.title)
		debug.AssertNoError(r.out.Flush())
	}
}

// getCurrentPrefix to get current prefix.
// If live-prefix is enabled, return live-prefix.
func (r *Render) getCurrentPrefix() string {
	if r.useOverride {
		return r.override
	}
	if prefix, ok := r.livePrefixCallback(); ok {
		return prefix
	}
	return r.prefix
}

// setOverride shows prefix instead of the prompt until clearOverride.
func (r *Render) setOverride(prefix string) { r.override, r.useOverride = prefix, true }
func (r *Render) clearOverride()            { r.override, r.useOverride = "", false }

// TearDown leaves the terminal as it found it: title cleared (if one was
// set) and bracketed paste off.
func (r *Render) TearDown() {
	if r.title != "" {
		r.out.ClearTitle()
	}
	r.pasteMode(false)
	debug.AssertNoError(r.out.Flush())
}

func (r *Render) pasteMode(on bool) {
	if !r.bracketedPaste || r.pasteOn == on {
		return
	}
	if on {
		r.out.WriteRaw([]byte(pasteModeOn))
	} else {
		r.out.WriteRaw([]byte(pasteModeOff))
	}
	r.pasteOn = on
}

// UpdateWinSize called when window size is changed.
func (r *Render) UpdateWinSize(ws *WinSize) {
	r.row = ws.Row
	r.col = ws.Col
}

// Render brings the screen up to date with the prefix and the buffer.
func (r *Render) Render(buffer *Buffer, _ *CompletionManager) {
	if r.col == 0 {
		return
	}
	defer func() { debug.AssertNoError(r.out.Flush()) }()
	prefix := r.getCurrentPrefix()
	want := prefix + buffer.Text()
	target := runewidth.StringWidth(prefix) + runewidth.StringWidth(buffer.Document().TextBeforeCursor())

	from := 0 // bytes of want already on the screen
	if r.drawn {
		from = commonPrefix(r.shown, want)
		if from == len(want) && len(r.shown) == len(want) {
			r.cursor = r.move(r.cursor, target)
			return
		}
		r.cursor = r.move(r.cursor, runewidth.StringWidth(want[:from]))
	}
	r.write(want, from, len(prefix))
	end := runewidth.StringWidth(want)
	if from < len(want) {
		// Only text just written can leave the cursor held at the right
		// margin; a move (a Backspace back to the margin) puts it on the
		// next row already, where a newline would go one row too far.
		r.lineWrap(end)
	}
	if r.drawn && runewidth.StringWidth(r.shown) > end {
		r.out.EraseDown()
	}
	if !r.drawn {
		// A new line: the terminal marks pastes from now until Enter.
		r.pasteMode(true)
	}
	r.drawn, r.shown = true, want
	r.cursor = r.move(end, target)
}

// write writes s[from:], the part before prefixLen in the prefix colour
// when colours are on.
func (r *Render) write(s string, from, prefixLen int) {
	if from < prefixLen {
		if r.color {
			r.out.SetColor(r.prefixTextColor, r.prefixBGColor, false)
		}
		r.out.WriteStr(s[from:prefixLen])
		if r.color {
			r.out.SetColor(DefaultColor, DefaultColor, false)
		}
		from = prefixLen
	}
	r.out.WriteStr(s[from:])
}

// commonPrefix is the length in bytes of the longest common prefix of a
// and b that ends on a rune boundary.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) {
		ra, sa := utf8.DecodeRuneInString(a[n:])
		rb, sb := utf8.DecodeRuneInString(b[n:])
		if ra != rb || sa != sb {
			break
		}
		n += sa
	}
	return n
}

// endLine moves the cursor past the end of the line on the screen and
// starts a new one; the next Render draws the prompt afresh.
func (r *Render) endLine() {
	if r.drawn {
		end := runewidth.StringWidth(r.shown)
		r.move(r.cursor, end)
		if end == 0 || end%int(r.col) != 0 || runtime.GOOS == "windows" {
			r.out.WriteRaw([]byte{'\n'})
		}
	} else {
		r.out.WriteRaw([]byte{'\n'})
	}
	r.drawn, r.shown, r.cursor = false, "", 0
}

// BreakLine ends the line being edited (Enter, Ctrl-C, Ctrl-D): the text
// stays on the screen as typed, bracketed paste goes off before the
// newline so that the program's output starts on a clean line.
func (r *Render) BreakLine(buffer *Buffer) {
	if r.col == 0 {
		return
	}
	if !r.drawn {
		r.Render(buffer, nil)
	}
	end := runewidth.StringWidth(r.shown)
	r.cursor = r.move(r.cursor, end)
	r.pasteMode(false)
	r.endLine()
	debug.AssertNoError(r.out.Flush())
	if r.breakLineCallback != nil {
		r.breakLineCallback(buffer.Document())
	}
}

// ShowList prints items under the line in columns, as readline lists
// completions on a second Tab, and leaves the line to be drawn again
// below them.
func (r *Render) ShowList(items []string) {
	if r.col == 0 || len(items) == 0 {
		return
	}
	r.endLine()
	sorted := append([]string(nil), items...)
	sort.Strings(sorted)
	r.out.WriteStr(formatColumns(sorted, int(r.col)))
	debug.AssertNoError(r.out.Flush())
}

// formatColumns lays items out down then across, like readline: every
// column as wide as the widest item plus two, no trailing blanks.
func formatColumns(items []string, width int) string {
	maxw := 0
	for _, s := range items {
		maxw = max(maxw, runewidth.StringWidth(s))
	}
	colw := maxw + 2
	cols := max(1, width/colw)
	rows := (len(items) + cols - 1) / cols
	var b strings.Builder
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			k := i + j*rows
			if k >= len(items) {
				break
			}
			b.WriteString(items[k])
			if next := i + (j+1)*rows; j+1 < cols && next < len(items) {
				b.WriteString(strings.Repeat(" ", colw-runewidth.StringWidth(items[k])))
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Suspend leaves the line for the shell that is about to show "Stopped":
// cursor after the text, paste marking off, a new line.
func (r *Render) Suspend() {
	r.pasteMode(false)
	r.endLine()
	debug.AssertNoError(r.out.Flush())
}

// ClearScreen clears the screen (Ctrl-L); the next Render draws the line
// at the top.
func (r *Render) ClearScreen() {
	r.out.EraseScreen()
	r.out.CursorGoTo(0, 0)
	r.drawn, r.shown, r.cursor = false, "", 0
	debug.AssertNoError(r.out.Flush())
}

// move moves the cursor from cell from to cell to of the prompt line,
// counted from the start of the prefix, across wrapped rows.
func (r *Render) move(from, to int) int {
	fromX, fromY := r.toPos(from)
	toX, toY := r.toPos(to)

	r.out.CursorUp(fromY - toY)
	r.out.CursorBackward(fromX - toX)
	return to
}

// toPos returns the relative position from the beginning of the string.
func (r *Render) toPos(cursor int) (x, y int) {
	col := int(r.col)
	return cursor % col, cursor / col
}

// lineWrap moves to the next row when the text ends exactly at the right
// margin, where the terminal would otherwise keep the cursor.
func (r *Render) lineWrap(cursor int) {
	if runtime.GOOS != "windows" && cursor > 0 && cursor%int(r.col) == 0 {
		r.out.WriteRaw([]byte{'\n'})
	}
}
