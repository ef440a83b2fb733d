package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"xvirsh/backend"
)

// The life-cycle commands beyond start and stop: save/restore, dump,
// migrate, autostart, reset, rename and send-key, each one xend op.

func manageCommands() []*Command {
	return []*Command{
		{
			Name:        "save",
			Flags:       Changes,
			Group:       groupDomain,
			Summary:     "save a domain state to a file",
			Description: "Save the RAM state of a running domain.",
			Opts: []Opt{
				domainOpt("domain name, id or uuid", unpausedGuest),
				fileOpt("file", "where to save the data"),
			},
			Run: func(ctx context.Context, inv *Invocation) error {
				d, err := inv.domain(ctx)
				if err != nil {
					return err
				}
				file := inv.String("file")
				if err := inv.Backend.Save(ctx, d.Ref(), file); err != nil {
					return &Error{Msg: fmt.Sprintf("Failed to save domain '%s' to %s", inv.String("domain"), file), Err: err}
				}
				// virsh ends its progress line first, hence the blank line.
				inv.status("\nDomain '%s' saved to %s\n", inv.String("domain"), file)
				return nil
			},
		},
		{
			Name:        "restore",
			Flags:       Changes,
			Group:       groupDomain,
			Summary:     "restore a domain from a saved state in a file",
			Description: "Restore a domain.",
			Opts:        []Opt{fileOpt("file", "the state to restore")},
			Run: func(ctx context.Context, inv *Invocation) error {
				file := inv.String("file")
				if err := inv.Backend.Restore(ctx, file); err != nil {
					return &Error{Msg: fmt.Sprintf("Failed to restore domain from %s", file), Err: err}
				}
				inv.status("Domain restored from %s\n", file)
				return nil
			},
		},
		{
			Name:        "dump",
			Flags:       Changes,
			Group:       groupDomain,
			Summary:     "dump the core of a domain to a file for analysis",
			Description: "Core dump a domain.",
			Opts: []Opt{
				domainOpt("domain name, id or uuid", guestActive),
				fileOpt("file", "where to dump the core"),
				{Name: "live", Kind: KindBool, Help: "perform a live core dump if supported"},
				{Name: "crash", Kind: KindBool, Help: "crash the domain after core dump"},
				{Name: "reset", Kind: KindBool, Help: "reset the domain after core dump"},
			},
			Run: func(ctx context.Context, inv *Invocation) error {
				d, err := inv.domain(ctx)
				if err != nil {
					return err
				}
				file := inv.String("file")
				fl := backend.DumpFlags{Live: inv.Bool("live"), Crash: inv.Bool("crash"), Reset: inv.Bool("reset")}
				if err := inv.Backend.CoreDump(ctx, d.Ref(), file, fl); err != nil {
					return &Error{Msg: fmt.Sprintf("Failed to core dump domain '%s' to %s", inv.String("domain"), file), Err: err}
				}
				inv.status("\nDomain '%s' dumped to %s\n", inv.String("domain"), file)
				return nil
			},
		},
		{
			Name:    "migrate",
			Flags:   Changes,
			Group:   groupDomain,
			Summary: "migrate domain to another host",
			Description: "Migrate domain to another host.  Add --live for live migration.\n" +
				"xend moves the domain itself: DESTURI is the destination xend,\n" +
				"xen+unix:///PATH (a xend on this machine), http://HOST:PORT/ or\n" +
				"xenmigr://HOST:PORT (HOST's relocation port PORT).",
			Opts: []Opt{
				domainOpt("domain name, id or uuid", unpausedGuest),
				{Name: "desturi", Kind: KindString, Required: true, Positional: true,
					Help: "connection URI of the destination host", Complete: completeURI},
				{Name: "live", Kind: KindBool, Help: "live migration"},
			},
			Run: func(ctx context.Context, inv *Invocation) error {
				d, err := inv.domain(ctx)
				if err != nil {
					return err
				}
				return inv.Backend.Migrate(ctx, d.Ref(), inv.String("desturi"), inv.Bool("live"))
			},
		},
		{
			Name:        "autostart",
			Flags:       Changes,
			Group:       groupDomain,
			Summary:     "autostart a domain",
			Description: "Configure a domain to be automatically started at boot.",
			Opts: []Opt{
				domainOpt("domain name, id or uuid", notDom0),
				{Name: "disable", Kind: KindBool, Help: "disable autostarting"},
			},
			Run: func(ctx context.Context, inv *Invocation) error {
				d, err := inv.domain(ctx)
				if err != nil {
					return err
				}
				on, what := !inv.Bool("disable"), "mark"
				if !on {
					what = "unmark"
				}
				name := inv.String("domain")
				if err := inv.Backend.SetAutostart(ctx, d.Ref(), on); err != nil {
					return &Error{Msg: fmt.Sprintf("Failed to %s domain '%s' as autostarted", what, name), Err: err}
				}
				inv.status("Domain '%s' %sed as autostarted\n", name, what)
				return nil
			},
		},
		{
			Name:        "reset",
			Flags:       Changes,
			Group:       groupDomain,
			Summary:     "reset a domain",
			Description: "Reset the target domain as if by power button",
			Opts:        []Opt{domainOpt("domain name, id or uuid", guestActive)},
			Run: func(ctx context.Context, inv *Invocation) error {
				d, err := inv.domain(ctx)
				if err != nil {
					return err
				}
				if err := inv.Backend.Reset(ctx, d.Ref()); err != nil {
					return &Error{Msg: fmt.Sprintf("Failed to reset domain '%s'", inv.String("domain")), Err: err}
				}
				inv.status("Domain '%s' was reset\n", inv.String("domain"))
				return nil
			},
		},
		{
			Name:        "domrename",
			Flags:       Changes,
			Group:       groupDomain,
			Summary:     "rename a domain",
			Description: "Rename an inactive domain.",
			Opts: []Opt{
				domainOpt("domain name or uuid", inactiveState),
				{Name: "new-name", Kind: KindString, Required: true, Positional: true, Help: "new domain name", NoComplete: true},
			},
			Run: func(ctx context.Context, inv *Invocation) error {
				d, err := inv.domainBy(ctx, refKinds{uuid: true, name: true})
				if err != nil {
					return err
				}
				// virsh renames inactive domains only; xend would rename a
				// running one too.
				if d.State.Active() {
					return errorf("Requested operation is not valid: cannot rename active domain")
				}
				// virsh's domrename adds no line of its own to libvirt's error.
				if err := inv.Backend.Rename(ctx, d.Ref(), inv.String("new-name")); err != nil {
					return err
				}
				inv.status("Domain successfully renamed\n")
				return nil
			},
		},
		{
			Name:    "send-key",
			Flags:   Changes,
			Group:   groupDomain,
			Summary: "Send keycodes to the guest",
			Description: "Send keycodes (integers or symbolic names) to the guest\n" +
				"xend can send the magic SysRq keys only: KEY_LEFTALT KEY_SYSRQ KEY_x.",
			Opts: []Opt{
				domainOpt("domain name, id or uuid", guestActive),
				{Name: "codeset", Kind: KindString, Help: "the codeset of keycodes, default:linux", Complete: completeWords("linux")},
				{Name: "holdtime", Kind: KindNumber, Help: "the time (in milliseconds) how long the keys will be held", NoComplete: true},
				{Name: "keycode", Kind: KindArgv, Required: true, Positional: true, Help: "the key code", Complete: completeSysrqKeys},
			},
			Run: runSendKey,
		},
	}
}

// completeSysrqKeys offers the keys xend can send: Alt, SysRq and the
// letters and digits SysRq takes.
func completeSysrqKeys(context.Context, *Env, string) []Candidate {
	out := []Candidate{{Text: "KEY_LEFTALT"}, {Text: "KEY_SYSRQ"}}
	for c := 'A'; c <= 'Z'; c++ {
		out = append(out, Candidate{Text: "KEY_" + string(c)})
	}
	for c := '0'; c <= '9'; c++ {
		out = append(out, Candidate{Text: "KEY_" + string(c)})
	}
	return out
}

// sysrqKey reads KEY_LEFTALT KEY_SYSRQ KEY_x (any order of the first two,
// KEY_RIGHTALT too) as the SysRq letter x.
func sysrqKey(codes []string) (byte, bool) {
	if len(codes) != 3 {
		return 0, false
	}
	mods := map[string]bool{}
	for _, c := range codes[:2] {
		mods[strings.ToUpper(c)] = true
	}
	if !mods["KEY_SYSRQ"] || !(mods["KEY_LEFTALT"] || mods["KEY_RIGHTALT"]) {
		return 0, false
	}
	k := strings.ToUpper(codes[2])
	if len(k) != 5 || !strings.HasPrefix(k, "KEY_") {
		return 0, false
	}
	c := k[4]
	switch {
	case c >= 'A' && c <= 'Z':
		return c - 'A' + 'a', true
	case c >= '0' && c <= '9':
		return c, true
	}
	return 0, false
}

func runSendKey(ctx context.Context, inv *Invocation) error {
	if cs, ok := inv.Lookup("codeset"); ok && cs != "linux" {
		return errorf("unsupported codeset: %s (xend sends linux SysRq keys only)", cs)
	}
	if v, ok := inv.Lookup("holdtime"); ok {
		if _, err := strconv.ParseUint(v, 10, 31); err != nil {
			return errorf("Numeric value '%s' for <holdtime> option is malformed or out of range", v)
		}
	}
	d, err := inv.domain(ctx)
	if err != nil {
		return err
	}
	key, ok := sysrqKey(inv.Argv("keycode"))
	if !ok {
		return fmt.Errorf("Operation not supported: xend sends magic SysRq keys only: KEY_LEFTALT KEY_SYSRQ KEY_x")
	}
	// virsh's send-key adds no line of its own to libvirt's error.
	return inv.Backend.Sysrq(ctx, d.Ref(), key)
}
