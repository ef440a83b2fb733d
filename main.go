// Command xvirsh is a virsh-style shell for Xen hosts managed by xend.
//
//	xvirsh [-c URI] [-q] [COMMAND [ARG]...]
//	xvirsh [-c URI] [-q] 'COMMAND; COMMAND ...'
//
// With no command it starts the interactive shell. This file is only the
// composition root: it reads the global options, builds the commands.Env
// and picks one-shot or interactive mode.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"

	"xvirsh/backend/connect"
	"xvirsh/commands"
	"xvirsh/shell"

	// Readies the process for a short run before the other inits: maps
	// the binary's code and the heap's next pages at once (see its
	// package comment).
	_ "aaa/faststart"
)

// defaultURI is the embedded demo host, so that a bare `xvirsh` (or `go
// run .`) opens a shell that works on any machine; operators of a real
// host say -c xen:/// or set XVIRSH_DEFAULT_CONNECT_URI once.
const defaultURI = "test:///default"

// uriEnv chooses the connection when -c is not given, like virsh's
// VIRSH_DEFAULT_CONNECT_URI.
const uriEnv = "XVIRSH_DEFAULT_CONNECT_URI"

// gcPercent is the collector's target unless $GOGC says otherwise. Go's
// default of 100 collects first at 4 MB and again at each doubling: a
// `list --all` of 10,000 domains on test:///DIR ran three cycles while its
// two index readers were busy and took 0.14 s instead of 0.10 (run in
// turn with the same command at GOGC=200; 400 also helps the listing
// through xend by 6 %). The client's peak RSS stays within 3 MB of the
// default's at 10,000 domains, and the demo host's one-shot commands never
// collect at all. xend-sim, a server, goes back to Go's default
// (commands/xendsim.go).
const gcPercent = 400

func main() {
	growStack(0)
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// growStack takes the main goroutine's stack from the 4 KB it leaves the
// package inits with to 8 KB while only main's frame is on it. A command
// of the demo host goes past 4 KB (a listing, reading the brief records a
// dozen frames deep), and the runtime then copies the stack, unwinding
// every frame above through the binary's tables: in perf profiles of
// one-shot `list --all`, the costliest copy of the run, most of it page
// faults on the tables of a score of functions. Grown here, the copy
// unwinds main and the runtime's frame below it; the 8 KB are allocated
// either way.
//
//go:noinline
func growStack(i int) byte {
	var frame [5 << 10]byte
	frame[i] = 1
	return frame[len(frame)-1-i]
}

// options are xvirsh's global options.
type options struct {
	uri     string
	quiet   bool
	ro      bool
	help    bool
	version bool
	rest    []string // the command and its arguments
}

// parseOptions reads options up to the first word that is not one, as
// virsh's getopt does, so a command's own options are never taken for
// global ones.
func parseOptions(args []string) (options, error) {
	var o options
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			o.rest = args[i+1:]
			return o, nil
		case a == "--connect":
			if i+1 >= len(args) {
				return o, fmt.Errorf("option '-c'/'--connect' requires an argument")
			}
			i++
			o.uri = args[i]
		case strings.HasPrefix(a, "--connect="):
			o.uri = strings.TrimPrefix(a, "--connect=")
		case a == "--quiet":
			o.quiet = true
		case a == "--readonly":
			o.ro = true
		case a == "--help":
			o.help = true
		case a == "--version":
			o.version = true
		case len(a) > 1 && a[0] == '-' && a[1] != '-':
			// Short options bundle as with getopt: -rq, -qc URI, -rcURI.
			var err error
			if i, err = o.shortBundle(args, i); err != nil {
				return o, err
			}
		case strings.HasPrefix(a, "-") && a != "-":
			return o, fmt.Errorf("unsupported option '%s'. See --help.", a)
		default:
			o.rest = args[i:]
			return o, nil
		}
	}
	return o, nil
}

// shortBundle reads args[i], a word of short options, and returns the
// index of the last word it used: -c takes the rest of the word or, when
// that is empty, the next one.
func (o *options) shortBundle(args []string, i int) (int, error) {
	a := args[i]
	for j := 1; j < len(a); j++ {
		switch a[j] {
		case 'c':
			if j+1 < len(a) {
				o.uri = a[j+1:]
				return i, nil
			}
			if i+1 >= len(args) {
				return i, fmt.Errorf("option '-c'/'--connect' requires an argument")
			}
			o.uri = args[i+1]
			return i + 1, nil
		case 'q':
			o.quiet = true
		case 'r':
			o.ro = true
		case 'h':
			o.help = true
		case 'v', 'V':
			o.version = true
		default:
			return i, fmt.Errorf("unsupported option '-%s'. See --help.", string(rune(a[j])))
		}
	}
	return i, nil
}

const usage = `
xvirsh [options]... [<command_string>]
xvirsh [options]... <command> [args...]

  options:
    -c | --connect=URI      hypervisor connection URI
    -h | --help             this help
    -q | --quiet            quiet mode
    -r | --readonly         connect readonly
    -v | --version          program version

  URIs: test:///default (built-in demo host), test:///DIR (demo host kept
  in DIR), xen:/// (local xend), xen+unix:///PATH, http://HOST:PORT/.
  Default: $XVIRSH_DEFAULT_CONNECT_URI, else test:///default.

  commands (non interactive mode): see 'xvirsh help'

`

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, err := parseOptions(args)
	if err != nil {
		fmt.Fprintf(stderr, "error: %s\n", err)
		return 1
	}
	if o.help {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if o.version {
		fmt.Fprintln(stdout, commands.Version)
		return 0
	}
	uri := o.uri
	if uri == "" {
		uri = os.Getenv(uriEnv)
	}
	if uri == "" {
		uri = defaultURI
	}
	env := commands.NewEnv(&commands.IOStreams{In: stdin, Out: stdout, Err: stderr}, uri, connect.OpenContext)
	env.Quiet = o.quiet
	env.ReadOnly = o.ro
	defer env.Close()
	if !env.CheckURI() {
		return 1
	}

	if len(o.rest) == 0 {
		return shell.Run(context.Background(), env)
	}
	// Ctrl-C cancels a one-shot command (a long xend-sim, a slow host)
	// and lets it clean up, rather than killing the process mid-write;
	// so do SIGTERM and SIGHUP (the terminal closed, or a service
	// manager's reload), after which xend-sim leaves no socket behind.
	ctx, stop := catchSignals(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	var ok bool
	if len(o.rest) == 1 {
		ok, _ = env.ExecLine(ctx, o.rest[0])
	} else {
		ok = env.ExecArgs(ctx, o.rest)
	}
	if !ok {
		return 1
	}
	return 0
}

// signalCtx is the one-shot command's context, cancelled by the first of
// its signals, which it catches the first time its Done channel is asked
// for. Catching them costs the runtime a thread that owns the signal mask,
// another that waits for them, and a round trip between them per signal,
// at start and again at exit: more than a millisecond of a one-shot
// command. What waits on the context asks for Done before it waits, and
// commands.Env asks for it before any command that may need to finish or
// clean up (see Env.call); a command that only reads the demo host, in
// this process's memory, never does, and a signal ends it as it would
// have ended the process a moment before, in the runtime's start-up.
type signalCtx struct {
	context.Context                    // cancelled by the first signal
	cancel          context.CancelFunc // cancels it
	sigs            []os.Signal
	once            sync.Once      // catches the signals, or (stop) rules it out
	ch              chan os.Signal // where they arrive once caught
}

func (c *signalCtx) Done() <-chan struct{} {
	c.once.Do(c.catch)
	return c.Context.Done()
}

func (c *signalCtx) catch() {
	c.ch = make(chan os.Signal, 1)
	signal.Notify(c.ch, c.sigs...)
	go func() {
		select {
		case <-c.ch:
			c.cancel()
		case <-c.Context.Done():
		}
		// Once the first signal has asked the command to stop, give
		// the signals back to the system: a second Ctrl-C kills a
		// command that does not listen.
		signal.Stop(c.ch)
	}()
}

// stop cancels the context and lets go of the signals, if they were
// caught, before it returns.
func (c *signalCtx) stop() {
	c.cancel()
	c.once.Do(func() {})
	if c.ch != nil {
		signal.Stop(c.ch)
	}
}

// catchSignals returns a context cancelled by the first of sigs once its
// Done channel has been asked for, and the function that releases it.
func catchSignals(parent context.Context, sigs ...os.Signal) (context.Context, func()) {
	inner, cancel := context.WithCancel(parent)
	c := &signalCtx{Context: inner, cancel: cancel, sigs: sigs}
	return c, c.stop
}
