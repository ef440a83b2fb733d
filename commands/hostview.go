package commands

import (
	"context"
	"fmt"
	"strings"

	"xvirsh/backend"
)

// hostViewCommands are issue 10's: the console and what the host record
// tells (capabilities, hostname, freecell, maxvcpus).
func hostViewCommands() []*Command {
	return []*Command{
		consoleCommand(),
		descCommand(),
		editCommand(),
		{
			Name:        "capabilities",
			Group:       groupHost,
			Summary:     "capabilities",
			Description: "Returns capabilities of hypervisor/driver.",
			Run:         runCapabilities,
		},
		{
			Name:        "hostname",
			Group:       groupHost,
			Summary:     "print the hypervisor hostname",
			Description: "The name of the Xen host, as xend reports it.",
			Run: func(ctx context.Context, inv *Invocation) error {
				h, err := backend.HostInfoOf(ctx, inv.Backend)
				if err != nil {
					return &Error{Msg: "failed to get hostname", Err: err}
				}
				if h.Hostname == "" {
					return errorf("failed to get hostname: xend reports no host name")
				}
				fmt.Fprintln(inv.Out, cellText(h.Hostname))
				return nil
			},
		},
		{
			Name:        "freecell",
			Group:       groupHost,
			Summary:     "NUMA free memory",
			Description: "display available free memory for the NUMA cell.",
			Opts: []Opt{
				{Name: "cellno", Kind: KindNumber, Positional: true, Help: "NUMA cell number", NoComplete: true},
				{Name: "all", Kind: KindBool, Help: "show free memory for all NUMA cells"},
			},
			Run: runFreecell,
		},
		{
			Name:        "maxvcpus",
			Group:       groupHost,
			Summary:     "connection vcpu maximum",
			Description: "Get maximum number of virtual CPUs for a guest on this connection.",
			Opts: []Opt{
				{Name: "type", Kind: KindString, Help: "domain type", Complete: completeWords("xen")},
			},
			Run: func(ctx context.Context, inv *Invocation) error {
				if t, ok := inv.Lookup("type"); ok && !strings.EqualFold(t, "xen") {
					return errorf("invalid argument: unknown type '%s'", t)
				}
				fmt.Fprintln(inv.Out, backend.MaxVCPUs)
				return nil
			},
		},
	}
}

// runCapabilities writes the capabilities XML libvirt's xen driver built
// from the hypervisor (xen_hypervisor.c xenHypervisorBuildCapabilities),
// here from xend's node record: host CPU and topology, one <guest> per
// xen_caps entry.
func runCapabilities(ctx context.Context, inv *Invocation) error {
	h, err := backend.HostInfoOf(ctx, inv.Backend)
	if err != nil {
		return &Error{Msg: "failed to get capabilities", Err: err}
	}
	var b strings.Builder
	b.WriteString("<capabilities>\n\n  <host>\n    <cpu>\n")
	fmt.Fprintf(&b, "      <arch>%s</arch>\n", xmlText(h.Model))
	if len(h.CPUFeatures) > 0 {
		b.WriteString("      <features>\n")
		for _, f := range h.CPUFeatures {
			fmt.Fprintf(&b, "        <%s/>\n", f)
		}
		b.WriteString("      </features>\n")
	}
	b.WriteString("    </cpu>\n")
	b.WriteString("    <migration_features>\n      <live/>\n      <uri_transports>\n        <uri_transport>xenmigr</uri_transport>\n      </uri_transports>\n    </migration_features>\n")
	if h.CellCPUs != nil {
		fmt.Fprintf(&b, "    <topology>\n      <cells num='%d'>\n", len(h.CellCPUs))
		for i, cpus := range h.CellCPUs {
			fmt.Fprintf(&b, "        <cell id='%d'>\n", i)
			if len(h.CellCPUs) == 1 { // the one cell holds all the memory
				fmt.Fprintf(&b, "          <memory unit='KiB'>%d</memory>\n", h.MemoryKiB)
			}
			fmt.Fprintf(&b, "          <cpus num='%d'>\n", len(cpus))
			for _, c := range cpus {
				fmt.Fprintf(&b, "            <cpu id='%d'/>\n", c)
			}
			b.WriteString("          </cpus>\n        </cell>\n")
		}
		b.WriteString("      </cells>\n    </topology>\n")
	}
	b.WriteString("  </host>\n\n")
	emulator := "/usr/lib/xen/bin/qemu-dm"
	if h.Model == "x86_64" {
		emulator = "/usr/lib64/xen/bin/qemu-dm"
	}
	for _, g := range h.Guests {
		fmt.Fprintf(&b, "  <guest>\n    <os_type>%s</os_type>\n    <arch name='%s'>\n      <wordsize>%d</wordsize>\n", g.OSType, g.Arch, g.WordSize)
		fmt.Fprintf(&b, "      <emulator>%s</emulator>\n", emulator)
		machine := "xenpv"
		if g.OSType == "hvm" {
			b.WriteString("      <loader>/usr/lib/xen/boot/hvmloader</loader>\n")
			machine = "xenfv"
		}
		fmt.Fprintf(&b, "      <machine>%s</machine>\n      <domain type='xen'>\n      </domain>\n    </arch>\n", machine)
		var feats []string
		if g.PAE {
			feats = append(feats, "<pae/>")
		}
		if g.NonPAE {
			feats = append(feats, "<nonpae/>")
		}
		if g.OSType == "hvm" {
			feats = append(feats, "<acpi default='on' toggle='yes'/>", "<apic default='on' toggle='yes'/>")
		}
		if len(feats) > 0 {
			b.WriteString("    <features>\n")
			for _, f := range feats {
				fmt.Fprintf(&b, "      %s\n", f)
			}
			b.WriteString("    </features>\n")
		}
		b.WriteString("  </guest>\n\n")
	}
	b.WriteString("</capabilities>\n")
	_, err = fmt.Fprint(inv.Out, b.String())
	return err
}

// xmlText escapes text for an XML element.
func xmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// runFreecell prints free memory as virsh does: the host's total, one
// cell's, or every cell's with a total under a dash line.
func runFreecell(ctx context.Context, inv *Invocation) error {
	if err := inv.Exclusive("cellno", "all"); err != nil {
		return err
	}
	h, err := backend.HostInfoOf(ctx, inv.Backend)
	if err != nil {
		return &Error{Msg: "failed to get free memory", Err: err}
	}
	if _, ok := inv.Lookup("cellno"); ok {
		cell, err := inv.Int("cellno")
		if err != nil {
			return err
		}
		if cell >= len(h.CellFreeKiB) {
			return errorf("invalid argument: Range exceeds available cells")
		}
		fmt.Fprintf(inv.Out, "%d: %d KiB\n", cell, h.CellFreeKiB[cell])
		return nil
	}
	if !inv.Bool("all") {
		fmt.Fprintf(inv.Out, "Total: %d KiB\n", h.FreeKiB)
		return nil
	}
	if h.CellFreeKiB == nil {
		return errorf("failed to get free memory: xend reports no free memory per NUMA cell")
	}
	var total uint64
	for i, kib := range h.CellFreeKiB {
		fmt.Fprintf(inv.Out, "%5d: %10d KiB\n", i, kib)
		total += kib
	}
	fmt.Fprintf(inv.Out, "--------------------\n%5s: %10d KiB\n", "Total", total)
	return nil
}

func descCommand() *Command {
	return &Command{
		Name:    "desc",
		Group:   groupDomain,
		Flags:   Changes,
		Summary: "show or set domain's description or title",
		Description: "Allows setting or modifying the description or title of a domain.\n" +
			"xend keeps a description (xend config format 4); it keeps no title.",
		Opts: []Opt{
			domainOpt("domain name, id or uuid", anyState),
			{Name: "live", Kind: KindBool, Help: "modify/get running state"},
			{Name: "config", Kind: KindBool, Help: "modify/get persistent configuration"},
			{Name: "current", Kind: KindBool, Help: "modify/get current state configuration"},
			{Name: "title", Kind: KindBool, Help: "modify/get the title instead of description"},
			{Name: "edit", Kind: KindBool, Help: "open an editor to modify the description"},
			{Name: "new-desc", Kind: KindArgv, Positional: true, Help: "message", NoComplete: true},
		},
		Run: runDesc,
	}
}

// runDesc reads the <description> of the domain's XML, or sets it by
// defining the domain again with the new one (op=new, which xend accepts
// for a running managed domain too, as libvirt's setAutostart relies on).
func runDesc(ctx context.Context, inv *Invocation) error {
	for _, other := range []string{"config", "live"} {
		if err := inv.Exclusive("current", other); err != nil {
			return err
		}
	}
	d, err := inv.domain(ctx)
	if err != nil {
		return err
	}
	if inv.Bool("live") && !d.State.Active() {
		return errorf("Requested operation is not valid: domain is not running")
	}
	words, set := inv.vals["new-desc"]
	set = set || inv.Bool("edit")
	what := "description"
	if inv.Bool("title") {
		what = "title"
	}
	if !set {
		if what == "title" {
			// virsh's extra channel, with no line end: the command's
			// blank line ends it, and -q shows nothing.
			inv.status("No title for domain: %s", cellText(d.Name))
			return nil
		}
		xml, err := inv.Backend.XML(ctx, d.Ref(), inv.Bool("config"))
		if err != nil {
			return err
		}
		desc, err := xmlElementText(xml, "description")
		if err != nil {
			return err
		}
		if desc == "" {
			inv.status("No description for domain: %s", cellText(d.Name))
			return nil
		}
		// virsh prints the text as it is, with no line end of its own:
		// the command's blank line ends it, and under -q nothing does.
		fmt.Fprint(inv.Out, backend.PrintableLines(desc))
		return nil
	}
	failed := fmt.Sprintf("Failed to set new domain %s", what)
	if what == "title" {
		return &Error{Msg: failed, Err: errorf("Operation not supported: xend keeps no domain title")}
	}
	if err := backend.AllowChange(inv.Backend, "virDomainSetMetadata"); err != nil {
		return &Error{Msg: failed, Err: err}
	}
	if d.State.Active() && (inv.Bool("live") || !inv.Bool("config")) {
		return &Error{Msg: failed, Err: errorf("Operation not supported: xend cannot change the description of a running domain; --config sets it for its next start")}
	}
	format, err := inv.Backend.ConfigFormat(ctx)
	if err != nil {
		return &Error{Msg: failed, Err: err}
	}
	if format < 4 {
		return &Error{Msg: failed, Err: errorf("Operation not supported: xend config format %d keeps no description (format 4 does)", format)}
	}
	xml, err := inv.Backend.XML(ctx, d.Ref(), true)
	if err != nil {
		return &Error{Msg: failed, Err: err}
	}
	desc := strings.Join(words, " ")
	if inv.Bool("edit") {
		if _, given := inv.vals["new-desc"]; !given {
			if desc, err = xmlElementText(xml, "description"); err != nil {
				return &Error{Msg: failed, Err: err}
			}
		}
		edited, err := editText(ctx, inv, desc)
		if err != nil {
			return err
		}
		if edited == desc {
			inv.status("Domain description not changed.\n")
			return nil
		}
		desc = edited
	}
	newXML, err := setXMLElementText(xml, "description", desc)
	if err != nil {
		return &Error{Msg: failed, Err: err}
	}
	if _, err := inv.Backend.Define(ctx, []byte(newXML)); err != nil {
		return &Error{Msg: failed, Err: err}
	}
	inv.status("Domain description updated successfully")
	return nil
}
