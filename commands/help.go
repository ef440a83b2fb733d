package commands

import (
	"fmt"
	"io"
	"strings"
)

// The help layouts are virsh's: `help` lists every group, `help KEYWORD`
// one group, `help CMD` (and `CMD --help`) a man-page-like page whose
// synopsis and options are computed from the table.

func writeAllHelp(w io.Writer, cmds []*Command) {
	fmt.Fprint(w, "Grouped commands:\n\n")
	for _, g := range groupsOf(cmds) {
		writeGroupHelp(w, g, cmds)
		fmt.Fprintln(w)
	}
}

// writeGroupHelp ends with the group's last command: virsh's `help
// KEYWORD` leaves the blank line to the one every command ends with, so
// under -q there is none.

func writeGroupHelp(w io.Writer, g *Group, cmds []*Command) {
	fmt.Fprintf(w, " %s (help keyword '%s'):\n", g.Name, g.Keyword)
	for _, c := range cmds {
		if c.Group == g && !c.has(Hidden) {
			fmt.Fprintf(w, "    %-30s %s\n", c.Name, c.Summary)
		}
	}
}

// groupsOf lists the groups in table order.
func groupsOf(cmds []*Command) []*Group {
	var gs []*Group
	seen := map[*Group]bool{}
	for _, c := range cmds {
		if c.Group != nil && !seen[c.Group] && !c.has(Hidden) {
			seen[c.Group] = true
			gs = append(gs, c.Group)
		}
	}
	return gs
}

func writeCommandHelp(w io.Writer, c *Command) {
	fmt.Fprintf(w, "  NAME\n    %s - %s\n\n", c.Name, c.Summary)
	fmt.Fprintf(w, "  SYNOPSIS\n    %s\n\n", synopsis(c))
	if c.Description != "" {
		fmt.Fprint(w, "  DESCRIPTION\n")
		for _, line := range strings.Split(c.Description, "\n") {
			fmt.Fprintf(w, "    %s\n", line)
		}
		fmt.Fprintln(w)
	}
	if len(c.Opts) == 0 {
		return
	}
	fmt.Fprint(w, "  OPTIONS\n")
	for _, o := range c.Opts {
		fmt.Fprintf(w, "    %-15s  %s\n", optionLabel(o), o.Help)
	}
	fmt.Fprintln(w)
}

func synopsis(c *Command) string {
	parts := []string{c.Name}
	for _, o := range c.Opts {
		parts = append(parts, synopsisWord(o))
	}
	return strings.Join(parts, " ")
}

func synopsisWord(o Opt) string {
	var s string
	switch {
	case o.Kind == KindBool:
		return "[--" + o.Name + "]"
	case o.Positional:
		s = "<" + o.Name + ">"
	default:
		s = "--" + o.Name + " <" + valueType(o.Kind) + ">"
	}
	if !o.Required {
		s = "[" + s + "]"
	}
	if o.Kind == KindArgv {
		s += "..."
	}
	return s
}

func optionLabel(o Opt) string {
	switch {
	case o.Kind == KindBool:
		return "--" + o.Name
	case o.Positional:
		s := "[--" + o.Name + "] <" + valueType(o.Kind) + ">"
		if o.Kind == KindArgv {
			s += "..."
		}
		return s
	}
	return "--" + o.Name + " <" + valueType(o.Kind) + ">"
}
