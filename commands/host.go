package commands

import (
	"context"
	"fmt"
	"strings"
)

// Version is xvirsh's own version, printed by `version`.
const Version = "0.1.0"

// hostCommands describe the host and the connection.
func hostCommands() []*Command {
	return []*Command{
		{
			Name:        "nodeinfo",
			Group:       groupHost,
			Summary:     "node information",
			Description: "Returns basic information about the node.",
			Run: func(ctx context.Context, inv *Invocation) error {
				n, err := inv.Backend.NodeInfo(ctx)
				if err != nil {
					return &Error{Msg: "failed to get node information", Err: err}
				}
				var b strings.Builder
				line := func(label string, value any) { fmt.Fprintf(&b, "%-20s %v\n", label, value) }
				line("CPU model:", n.Model)
				line("CPU(s):", n.CPUs)
				line("CPU frequency:", fmt.Sprintf("%d MHz", n.MHz))
				line("CPU socket(s):", n.Sockets)
				line("Core(s) per socket:", n.Cores)
				line("Thread(s) per core:", n.Threads)
				line("NUMA cell(s):", n.Nodes)
				line("Memory size:", fmt.Sprintf("%d KiB", n.MemoryKiB))
				_, err = fmt.Fprint(inv.Out, b.String())
				return err
			},
		},
		{
			Name:        "version",
			Group:       groupHost,
			Summary:     "show version",
			Description: "Display the system version information.",
			Run: func(ctx context.Context, inv *Invocation) error {
				hv, err := inv.Backend.Version(ctx)
				if err != nil {
					return &Error{Msg: "failed to get hypervisor version", Err: err}
				}
				format, err := inv.Backend.ConfigFormat(ctx)
				if err != nil {
					return &Error{Msg: "failed to get the xend config format", Err: err}
				}
				fmt.Fprintf(inv.Out, "Compiled against library: xvirsh %s\n", Version)
				fmt.Fprintf(inv.Out, "Using library: xvirsh %s\n", Version)
				fmt.Fprintf(inv.Out, "Using API: Xen %s\n", Version)
				fmt.Fprintf(inv.Out, "Running hypervisor: Xen %s\n", hv)
				fmt.Fprintf(inv.Out, "xend config format: %d\n", format)
				return nil
			},
		},
		{
			Name:    "uri",
			Group:   groupHost,
			Summary: "print the hypervisor canonical URI",
			Run: func(_ context.Context, inv *Invocation) error {
				fmt.Fprintln(inv.Out, inv.Backend.URI())
				return nil
			},
		},
	}
}
