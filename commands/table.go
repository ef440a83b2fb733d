package commands

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
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
