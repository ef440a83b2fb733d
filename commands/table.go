package commands

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// writeTable prints rows the way virsh's vsh-table does: every cell is a
// space plus the text, each column but the last padded to its widest
// cell + 2, a dash line as long as the sum of (width + 3), no borders and
// no trailing blanks. With quiet the header and dash line are left out.
//
// tablewriter draws it; two of its habits differ from virsh and are
// corrected here: it pads the last column (trimmed per line) and prints no
// dash line under the header of an empty table (drawn by hand).
func writeTable(w io.Writer, header []string, rows [][]string, quiet bool) error {
	if len(rows) >= plainRows {
		return writePlain(w, header, rows, quiet)
	}
	for _, r := range rows {
		for i := range r {
			r[i] = cellText(r[i])
		}
	}
	if len(rows) == 0 {
		if quiet {
			return nil
		}
		width := 0
		for _, h := range header {
			width += len(h) + 3
		}
		_, err := fmt.Fprintf(w, " %s\n%s\n", strings.Join(header, "   "), strings.Repeat("-", width))
		return err
	}
	sym := tw.NewSymbolCustom("virsh").WithRow("-").WithColumn("").WithCenter("-").
		WithMidLeft("-").WithMidRight("-").
		WithHeaderLeft("-").WithHeaderMid("-").WithHeaderRight("-")
	lines := tw.Lines{ShowHeaderLine: tw.On}
	if quiet {
		lines.ShowHeaderLine = tw.Off
	}
	var buf bytes.Buffer
	t := tablewriter.NewTable(&buf,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders: tw.BorderNone,
			Symbols: sym,
			Settings: tw.Settings{
				Lines:      lines,
				Separators: tw.Separators{BetweenColumns: tw.Off, BetweenRows: tw.Off},
			},
		})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
		tablewriter.WithPadding(tw.Padding{Left: " ", Right: "  ", Overwrite: true}),
	)
	if !quiet {
		t.Header(anySlice(header)...)
	}
	for _, r := range rows {
		if err := t.Append(anySlice(r)...); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	var out bytes.Buffer
	lastAt := lastColumnOffset(header, rows, quiet)
	first := 2 // the header and dash lines come before the rows
	if quiet {
		first = 0
	}
	for i, line := range strings.SplitAfter(buf.String(), "\n") {
		if line == "" {
			continue
		}
		out.WriteString(keepEmptyLastCell(strings.TrimRight(line, " \n"), i-first, rows, lastAt))
		out.WriteByte('\n')
	}
	_, err := w.Write(out.Bytes())
	return err
}

// plainRows is where the table stops going through tablewriter. For each
// row it measures every cell again, pads and trims through several
// layers of buffers: 35% of `list --all` at 10,000 domains. writePlain
// lays out the same bytes (TestPlainTableIsTablewriters compares them),
// measuring each cell once with tablewriter's own width function.
const plainRows = 64

// writePlain is writeTable's layout written directly: " " + cell, padded
// to the column's width + 2 except in the last column, the dash line
// sum(width + 3) long, no trailing blanks.
func writePlain(w io.Writer, header []string, rows [][]string, quiet bool) error {
	ncol := len(header)
	widths := make([]int, ncol)
	cellW := make([]int, len(rows)*ncol)
	if !quiet {
		for i, h := range header {
			widths[i] = cellWidth(h)
		}
	}
	for r, row := range rows {
		for i := 0; i < ncol && i < len(row); i++ {
			// A server's control characters are shown, never sent to
			// the terminal (writeTable's rows are escaped the same way).
			row[i] = cellText(row[i])
			cw := cellWidth(row[i])
			cellW[r*ncol+i] = cw
			widths[i] = max(widths[i], cw)
		}
	}
	lastAt := 0 // where the last column starts, as lastColumnOffset says
	for _, wd := range widths[:max(ncol-1, 0)] {
		lastAt += wd + 3
	}
	// A buffer the size of the table, up to 64 KB: a 64 KB one for the
	// demo host's few rows was a large allocation of its own.
	size := lastAt + 2
	if ncol > 0 {
		size += widths[ncol-1]
	}
	bw := bufio.NewWriterSize(w, min(max(size*(len(rows)+2), 512), 64<<10))
	line := func(cells []string, cw func(i int) int, isRow bool) {
		// The last non-empty cell ends the line: blanks after it are
		// trimmed, as writeTable trims tablewriter's.
		last := -1
		for i := 0; i < ncol && i < len(cells); i++ {
			if strings.TrimRight(cells[i], " ") != "" {
				last = i
			}
		}
		at := 0 // display width written so far
		for i := 0; i <= last; i++ {
			bw.WriteByte(' ')
			if i == last {
				cell := strings.TrimRight(cells[i], " ")
				bw.WriteString(cell)
				at += 1 + cellWidth(cell)
				break
			}
			bw.WriteString(cells[i])
			bw.WriteString(spaces(widths[i] - cw(i) + 2))
			at += widths[i] + 3
		}
		// An empty last cell keeps its padding and leading space, as
		// keepEmptyLastCell does for tablewriter's lines.
		if isRow && len(cells) >= 2 && cells[len(cells)-1] == "" {
			bw.WriteString(spaces(max(lastAt-at, 0)))
			bw.WriteByte(' ')
		}
		bw.WriteByte('\n')
	}
	if !quiet {
		line(header, func(i int) int { return cellWidth(header[i]) }, false)
		total := 0
		for _, wd := range widths {
			total += wd + 3
		}
		bw.WriteString(strings.Repeat("-", total))
		bw.WriteByte('\n')
	}
	for r, row := range rows {
		line(row, func(i int) int { return cellW[r*ncol+i] }, true)
	}
	return bw.Flush()
}

// cellWidth is the width tablewriter gives s on a terminal: its bytes when
// they are plain ASCII (list's ids, states and most names), else what
// tablewriter's own width function says.
func cellWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return twwidth.Width(s)
		}
	}
	return len(s)
}

const blanks = "                                                                "

func spaces(n int) string {
	if n <= len(blanks) {
		return blanks[:max(n, 0)]
	}
	return strings.Repeat(" ", n)
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// cellText shows control characters as \xNN, as virsh does, so a hostile
// domain name cannot move the cursor or break the table.
func cellText(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			fmt.Fprintf(&b, "\\x%02x", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
