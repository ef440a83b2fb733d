package commands

import (
	"strings"

	"github.com/mattn/go-runewidth"
)

// vsh-table prints a last cell as a space plus its text, so a row whose
// last cell is empty (list --title of a domain without a title) ends in
// the padding of the column before and that one space, trailing blanks
// that the per-line trim in writeTable would lose.

// lastColumnOffset is the display column where the last column's cells
// start: the other columns' widths (the header counted unless quiet),
// each plus three.
func lastColumnOffset(header []string, rows [][]string, quiet bool) int {
	off := 0
	for j := 0; j < len(header)-1; j++ {
		w := 0
		if !quiet {
			w = runewidth.StringWidth(header[j])
		}
		for _, r := range rows {
			if j < len(r) {
				w = max(w, runewidth.StringWidth(r[j]))
			}
		}
		off += w + 3
	}
	return off
}

// keepEmptyLastCell gives back a trimmed row line its empty last cell:
// padding up to lastAt and the cell's leading space.
func keepEmptyLastCell(line string, row int, rows [][]string, lastAt int) string {
	if row < 0 || row >= len(rows) || len(rows[row]) < 2 || rows[row][len(rows[row])-1] != "" {
		return line
	}
	return line + strings.Repeat(" ", max(lastAt-runewidth.StringWidth(line), 0)) + " "
}
