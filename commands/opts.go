package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"xvirsh/backend"
	"xvirsh/xmlconv"
)

// stateFilter picks the domains a DOMAIN option offers in completion, as
// virsh's domain completer flags do (start offers stopped ones, destroy
// running ones). Domain-0 is never offered where xend refuses to act on it.
type stateFilter func(backend.Domain) bool

func anyState(backend.Domain) bool        { return true }
func notDom0(d backend.Domain) bool       { return d.ID != 0 }
func inactiveState(d backend.Domain) bool { return !d.State.Active() }
func guestActive(d backend.Domain) bool   { return d.State.Active() && d.ID != 0 }
func pausedState(d backend.Domain) bool   { return d.State == backend.StatePaused }
func unpausedGuest(d backend.Domain) bool {
	return guestActive(d) && d.State != backend.StatePaused
}

// domainOpt is the required positional DOMAIN option (a name, id or UUID)
// with a completer bound to filter.
func domainOpt(help string, filter stateFilter) Opt {
	return Opt{Name: "domain", Kind: KindString, Required: true, Positional: true,
		Help: help, Complete: completeDomains(filter)}
}

// fileOpt is a required positional FILE option completing paths.
func fileOpt(name, help string) Opt {
	return Opt{Name: name, Kind: KindString, Required: true, Positional: true,
		Help: help, Complete: completeFile}
}

// domain resolves the "domain" option, with virsh's error when it names
// no domain.
func (inv *Invocation) domain(ctx context.Context) (backend.Domain, error) {
	return inv.lookup(ctx, inv.String("domain"))
}

func (inv *Invocation) lookup(ctx context.Context, ref string) (backend.Domain, error) {
	d, err := inv.Backend.Lookup(ctx, ref)
	if err == nil {
		return d, nil
	}
	if errors.Is(err, backend.ErrNotFound) {
		return d, errorf("failed to get domain '%s'", ref)
	}
	return d, &Error{Msg: fmt.Sprintf("failed to get domain '%s'", ref), Err: err}
}

// refKinds say which kinds of identifier a command accepts, as virsh's
// domid (name or UUID), domname (id or UUID) and domuuid (name or id) do.
type refKinds struct{ id, uuid, name bool }

// domainBy resolves the "domain" option accepting only some kinds of
// identifier, in virsh's order: id, then UUID, then name.
func (inv *Invocation) domainBy(ctx context.Context, k refKinds) (backend.Domain, error) {
	ref := inv.String("domain")
	doms, err := inv.Backend.List(ctx, backend.ListAll)
	if err != nil {
		return backend.Domain{}, &Error{Msg: fmt.Sprintf("failed to get domain '%s'", ref), Err: err}
	}
	match := func(ok func(backend.Domain) bool) (backend.Domain, bool) {
		for _, d := range doms {
			if ok(d) {
				return d, true
			}
		}
		return backend.Domain{}, false
	}
	if id, err := strconv.Atoi(ref); k.id && err == nil && id >= 0 {
		if d, ok := match(func(d backend.Domain) bool { return d.State.Active() && d.ID == id }); ok {
			return d, nil
		}
	}
	if u, err := xmlconv.ParseUUID(ref); k.uuid && err == nil {
		if d, ok := match(func(d backend.Domain) bool { return d.UUID == u }); ok {
			return d, nil
		}
	}
	if k.name {
		if d, ok := match(func(d backend.Domain) bool { return d.Name == ref }); ok {
			return d, nil
		}
	}
	return backend.Domain{}, errorf("failed to get domain '%s'", ref)
}

// warn prints what a conversion dropped, on stderr as virsh's warnings.
func (inv *Invocation) warn(msg string) {
	fmt.Fprintf(inv.Env.IO.Err, "warning: %s\n", backend.PrintableLines(msg))
}

// status prints a success message, hidden by -q like virsh's "extra"
// output.
func (inv *Invocation) status(format string, args ...any) {
	if !inv.Env.Quiet {
		fmt.Fprintf(inv.Out, format, args...)
	}
}
