package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"xvirsh/backend"
)

// lifecycleOp describes a state-changing command on one domain. virsh
// names the domain in its messages as the user typed it (`destroy 3`
// prints "Domain '3' destroyed"); start uses the domain's name.
type lifecycleOp struct {
	name, summary, desc, domainHelp string
	filter                          stateFilter
	done                            string // success message, %s = domain
	byName                          bool   // messages use the name, not the typed text
	// onBroken: the op also applies to a domain whose record the host
	// cannot read (backend.ErrBroken), known only by the UUID typed.
	onBroken bool
	check    func(backend.Domain) error
	op       func(b backend.Backend, ctx context.Context, ref string) error
	// extra options, and run, which replaces op when set and reads them.
	extra []Opt
	run   func(ctx context.Context, inv *Invocation, ref string) error
	pre   func(inv *Invocation) error // checks the options before anything is asked
}

func (l lifecycleOp) command() *Command {
	return &Command{
		Name:        l.name,
		Group:       groupDomain,
		Summary:     l.summary,
		Description: l.desc,
		Flags:       Changes,
		Opts:        append([]Opt{domainOpt(l.domainHelp, l.filter)}, l.extra...),
		Run: func(ctx context.Context, inv *Invocation) error {
			if l.pre != nil {
				if err := l.pre(inv); err != nil {
					return err
				}
			}
			d, err := inv.domain(ctx)
			if err != nil && l.onBroken && errors.Is(err, backend.ErrBroken) {
				d, err = backend.Domain{UUID: inv.String("domain")}, nil
			}
			if err != nil {
				return err
			}
			shown := inv.String("domain")
			if l.byName {
				shown = d.Name
			}
			if l.check != nil {
				if err := l.check(d); err != nil {
					return err
				}
			}
			op := func() error { return l.op(inv.Backend, ctx, d.Ref()) }
			if l.run != nil {
				op = func() error { return l.run(ctx, inv, d.Ref()) }
			}
			if err := op(); err != nil {
				return &Error{Msg: fmt.Sprintf("Failed to %s domain '%s'", l.name, shown), Err: err}
			}
			inv.status(l.done+"\n", shown)
			return nil
		},
	}
}

func lifecycleCommands() []*Command {
	ops := []lifecycleOp{
		{
			name: "start", summary: "start a (previously defined) inactive domain",
			desc:       "Start a domain that is defined but not running.",
			domainHelp: "name of the inactive domain", filter: inactiveState,
			done: "Domain '%s' started", byName: true,
			check: func(d backend.Domain) error {
				if d.State.Active() {
					return errorf("Domain is already active")
				}
				return nil
			},
			extra: []Opt{{Name: "paused", Kind: KindBool, Help: "leave the guest paused after start"}},
			run:   runStart,
		},
		{
			name: "destroy", summary: "destroy (stop) a domain",
			desc:       "Forcefully stop a given domain, but leave its resources intact.",
			domainHelp: "domain name, id or uuid", filter: guestActive,
			done: "Domain '%s' destroyed",
			op:   backend.Backend.Destroy,
			// xend's destroy never escalates, so it is always graceful.
			extra: []Opt{{Name: "graceful", Kind: KindBool, Help: "terminate gracefully"}},
		},
		{
			name: "shutdown", summary: "gracefully shutdown a domain",
			desc:       "Run shutdown in the target domain.",
			domainHelp: "domain name, id or uuid", filter: guestActive,
			done: "Domain '%s' is being shutdown",
			extra: []Opt{{Name: "mode", Kind: KindString, Help: "shutdown mode: acpi|agent|initctl|signal|paravirt",
				Complete: completeWords(shutdownModes...)}},
			pre: checkShutdownMode,
			run: runShutdown,
		},
		{
			name: "reboot", summary: "reboot a domain",
			desc:       "Run a reboot command in the target domain.",
			domainHelp: "domain name, id or uuid", filter: guestActive,
			done: "Domain '%s' is being rebooted",
			op:   backend.Backend.Reboot,
		},
		{
			name: "suspend", summary: "suspend a domain",
			desc:       "Suspend a running domain.",
			domainHelp: "domain name, id or uuid", filter: unpausedGuest,
			done: "Domain '%s' suspended",
			op:   backend.Backend.Suspend,
		},
		{
			name: "resume", summary: "resume a domain",
			desc:       "Resume a previously suspended domain.",
			domainHelp: "domain name, id or uuid", filter: pausedState,
			done: "Domain '%s' resumed",
			op:   backend.Backend.Resume,
		},
		{
			name: "undefine", summary: "undefine a domain",
			desc:       "Undefine an inactive domain, or convert persistent to transient.",
			domainHelp: "domain name, id or uuid", filter: notDom0,
			done: "Domain '%s' has been undefined", onBroken: true,
			op: backend.Backend.Undefine,
		},
	}
	var cmds []*Command
	for _, op := range ops {
		cmds = append(cmds, op.command())
	}
	return append(cmds, resourceCommands()...)
}

// resourceCommands change a domain's memory and vCPUs, and convert between
// its identifiers.
func resourceCommands() []*Command {
	return []*Command{
		{
			Name:        "setmem",
			Group:       groupDomain,
			Flags:       Changes,
			Summary:     "change memory allocation",
			Description: "Change the current memory allocation in the guest domain.",
			Opts: []Opt{
				domainOpt("domain name, id or uuid", anyState),
				sizeOpt("new memory size, as scaled integer (default KiB)"),
			},
			Run: func(ctx context.Context, inv *Invocation) error {
				d, err := inv.domain(ctx)
				if err != nil {
					return err
				}
				kib, err := inv.ScaledKiB("size")
				if err != nil {
					return err
				}
				return inv.Backend.SetMemory(ctx, d.Ref(), kib)
			},
		},
		{
			Name:        "setmaxmem",
			Group:       groupDomain,
			Flags:       Changes,
			Summary:     "change maximum memory limit",
			Description: "Change the maximum memory allocation limit in the guest domain.",
			Opts: []Opt{
				domainOpt("domain name, id or uuid", anyState),
				sizeOpt("new maximum memory size, as scaled integer (default KiB)"),
			},
			Run: func(ctx context.Context, inv *Invocation) error {
				d, err := inv.domain(ctx)
				if err != nil {
					return err
				}
				kib, err := inv.ScaledKiB("size")
				if err != nil {
					return err
				}
				if err := inv.Backend.SetMaxMemory(ctx, d.Ref(), kib); err != nil {
					return &Error{Msg: "Unable to change MaxMemorySize", Err: err}
				}
				return nil
			},
		},
		{
			Name:        "setvcpus",
			Group:       groupDomain,
			Flags:       Changes,
			Summary:     "change number of virtual CPUs",
			Description: "Change the number of virtual CPUs in the guest domain.",
			Opts: []Opt{
				domainOpt("domain name, id or uuid", anyState),
				{Name: "count", Kind: KindNumber, Required: true, Positional: true,
					Help: "number of virtual CPUs", NoComplete: true},
			},
			Run: func(ctx context.Context, inv *Invocation) error {
				d, err := inv.domain(ctx)
				if err != nil {
					return err
				}
				n, err := inv.Int("count")
				if err != nil {
					return err
				}
				if n == 0 {
					return errorf("Can't set 0 processors for a VM")
				}
				return inv.Backend.SetVCPUs(ctx, d.Ref(), n)
			},
		},
		{
			Name:    "domid",
			Group:   groupDomain,
			Summary: "convert a domain name or UUID to domain id",
			Opts:    []Opt{domainOpt("domain name or uuid", anyState)},
			Run: func(ctx context.Context, inv *Invocation) error {
				d, err := inv.domainBy(ctx, refKinds{uuid: true, name: true})
				if err != nil {
					return err
				}
				fmt.Fprintln(inv.Out, idText(d))
				return nil
			},
		},
		{
			Name:    "domname",
			Group:   groupDomain,
			Summary: "convert a domain id or UUID to domain name",
			Opts:    []Opt{domainOpt("domain id or uuid", anyState)},
			Run: func(ctx context.Context, inv *Invocation) error {
				d, err := inv.domainBy(ctx, refKinds{id: true, uuid: true})
				if err != nil {
					return err
				}
				fmt.Fprintln(inv.Out, cellText(d.Name))
				return nil
			},
		},
		{
			Name:    "domuuid",
			Group:   groupDomain,
			Summary: "convert a domain name or id to domain UUID",
			Opts:    []Opt{domainOpt("domain id or name", anyState)},
			Run: func(ctx context.Context, inv *Invocation) error {
				d, err := inv.domainBy(ctx, refKinds{id: true, name: true})
				if err != nil {
					return err
				}
				fmt.Fprintln(inv.Out, cellText(d.UUID))
				return nil
			},
		},
	}
}

func sizeOpt(help string) Opt {
	return Opt{Name: "size", Kind: KindNumber, Required: true, Positional: true, Help: help, NoComplete: true}
}

// idText is the Id column and domid output: "-" for an inactive domain.
func idText(d backend.Domain) string {
	if d.ID < 0 || !d.State.Active() {
		return "-"
	}
	return strconv.Itoa(d.ID)
}

func runStart(ctx context.Context, inv *Invocation, ref string) error {
	if inv.Bool("paused") {
		return inv.Backend.StartPaused(ctx, ref)
	}
	return inv.Backend.Start(ctx, ref)
}

// shutdownModes are virsh's; xend asks a guest to shut down one way only,
// through its PV control node in xenstore, which is virsh's paravirt.
var shutdownModes = []string{"acpi", "agent", "initctl", "signal", "paravirt"}

// checkShutdownMode refuses a mode virsh does not know, with virsh's
// message, before the domain is looked up.
func checkShutdownMode(inv *Invocation) error {
	mode, _ := inv.Lookup("mode")
	for _, m := range strings.Split(mode, ",") {
		known := mode == ""
		for _, k := range shutdownModes {
			known = known || m == k
		}
		if !known {
			return errorf("Unknown mode %s value, expecting 'acpi', 'agent', 'initctl', 'signal', or 'paravirt'", m)
		}
	}
	return nil
}

// runShutdown refuses, as a failure to shut the domain down, the modes
// xend cannot do.
func runShutdown(ctx context.Context, inv *Invocation, ref string) error {
	if mode, ok := inv.Lookup("mode"); ok {
		for _, m := range strings.Split(mode, ",") {
			if m != "paravirt" {
				return fmt.Errorf("Operation not supported: xend shuts a guest down through its PV control node only (--mode paravirt), not by %s", m)
			}
		}
	}
	return inv.Backend.Shutdown(ctx, ref)
}
