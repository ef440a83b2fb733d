package commands

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"

	"xvirsh/backend/connect"
	"xvirsh/backend/fake"
	"xvirsh/backend/xendsim"
)

// xendSimCommand serves xend's HTTP protocol over the fake host, so that
// xvirsh (or anything that speaks to xend) can be tried against it:
//
//	xvirsh xend-sim --listen unix:/tmp/xend.sock &
//	xvirsh -c xen+unix:///tmp/xend.sock list --all
func xendSimCommand() *Command {
	return &Command{
		Name:    "xend-sim",
		Group:   groupXen,
		Summary: "serve xend's HTTP protocol over the fake host until interrupted",
		Description: "Run a simulated xend: the demo host (or the one persisted in DIR)\n" +
			"served on a unix socket (unix:PATH) or TCP (HOST:PORT, default\n" +
			"127.0.0.1:8000). Stop it with Ctrl-C.",
		Flags: NoBackend,
		Opts: []Opt{
			{Name: "listen", Kind: KindString, Help: "unix:PATH or HOST:PORT to listen on", NoComplete: true},
			{Name: "state", Kind: KindString, Help: "directory that keeps the host's domains", Complete: completeFile},
			{Name: "config-format", Kind: KindNumber, Help: "xend config format to report, 1..4", Complete: completeVersion},
		},
		Run: runXendSim,
	}
}

func runXendSim(ctx context.Context, inv *Invocation) error {
	// main.go raises the collector's target for the client's short runs;
	// a server holding a host for hours keeps Go's default. At 400,
	// xend-sim's peak RSS over 30 listings of 10,000 domains went from
	// 237 to 356 MB, and it answered them no faster.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(100)
	}
	format, err := configFormat(inv, "config-format", "format", 0)
	if err != nil {
		return err
	}
	var host *fake.Host
	if dir, ok := inv.Lookup("state"); ok {
		if host, err = fake.OpenContext(ctx, dir); err != nil {
			return &Error{Msg: fmt.Sprintf("failed to open host state in %s", dir), Err: err}
		}
		if format != 0 {
			host.SetConfigFormat(format)
		}
		// Clients learn nothing of where the state lives; the warnings
		// about bad records, printed here, name the files in full.
		host.HidePaths()
		host.Resident()
	} else {
		// The demo host as test:///default?format=N has it: configs in
		// that format's shape, and below 3 no managed domains.
		if format == 0 {
			format = 4
		}
		host = fake.NewDefaultFormat(format)
	}
	defer host.Close()
	host.SetRelocator(connect.Relocate)
	addr := inv.String("listen")
	l, err := xendsim.Listen(addr)
	if err != nil {
		return err
	}
	inv.status("xend simulator listening on %s (xend config format %d); Ctrl-C stops it\n",
		l.Addr(), host.ConfigFormat())
	return xendsim.Serve(ctx, l, xendsim.NewHandler(host))
}
