//go:build linux

package shell_test

import (
	"strconv"
	"strings"
	"time"
)

// vtScreen replays what a terminal of the given width received and
// returns the lines it shows, trailing blanks cut: enough of a VT100 for
// what xvirsh and bash write (text with auto-wrap, CR, LF, BS, cursor
// moves, erase to the end of the line or screen). Colours, modes and
// titles change nothing on it.
func vtScreen(raw string, cols int) []string {
	if cols <= 0 {
		cols = 80
	}
	var (
		lines    [][]rune
		row, col int
	)
	cell := func(r, c int) {
		for len(lines) <= r {
			lines = append(lines, nil)
		}
		for len(lines[r]) <= c {
			lines[r] = append(lines[r], ' ')
		}
	}
	rs := []rune(raw)
	for i := 0; i < len(rs); i++ {
		switch c := rs[i]; {
		case c == '\r':
			col = 0
		case c == '\n':
			row++
		case c == '\b':
			col = max(0, col-1)
		case c == '\t':
			col = min(cols-1, (col/8+1)*8)
		case c == 0x1b && i+1 < len(rs) && rs[i+1] == '[':
			j := i + 2
			for j < len(rs) && (rs[j] < 0x40 || rs[j] > 0x7e) {
				j++
			}
			if j >= len(rs) {
				i = j
				break
			}
			params := string(rs[i+2 : j])
			n, err := strconv.Atoi(params)
			if err != nil || n == 0 {
				n = 1
			}
			switch rs[j] {
			case 'A':
				row = max(0, row-n)
			case 'B':
				row += n
			case 'C':
				col = min(cols-1, col+n)
			case 'D':
				col = max(0, col-n)
			case 'K', 'J':
				if row < len(lines) && col < len(lines[row]) {
					lines[row] = lines[row][:col]
				}
				if rs[j] == 'J' && row+1 < len(lines) {
					lines = lines[:row+1]
				}
			}
			i = j
		case c == 0x1b && i+1 < len(rs) && rs[i+1] == ']':
			for i < len(rs) && rs[i] != 0x07 {
				i++
			}
		case c == 0x1b:
			i++ // ESC D, ESC M, ESC 7, ESC 8: nothing on this screen
		case c < 0x20 || c == 0x7f:
		default:
			if col >= cols {
				row, col = row+1, 0
			}
			cell(row, col)
			lines[row][col] = c
			col++
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimRight(string(l), " ")
	}
	return out
}

// screenLines is what the terminal shows now.
func (s *ptyShell) screenLines() []string {
	return vtScreen(s.raw(), s.cols)
}

// cursorLine waits until the last line on the screen that is not empty
// is want, the line being edited, and fails after ptyTimeout.
func (s *ptyShell) cursorLine(want string) {
	s.t.Helper()
	deadline := time.Now().Add(ptyTimeout)
	for {
		lines := s.screenLines()
		last := ""
		for i := len(lines) - 1; i >= 0; i-- {
			if lines[i] != "" {
				last = lines[i]
				break
			}
		}
		if last == want {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the line on the screen is %q, want %q; screen:\n%s", last, want, strings.Join(lines, "\n"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
