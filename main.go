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
	"strings"
	"syscall"

	"xvirsh/backend/connect"
	"xvirsh/commands"
	"xvirsh/shell"
)

// defaultURI is the embedded demo host, so that a bare `xvirsh` (or `go
// run .`) opens a shell that works on any machine; operators of a real
// host say -c xen:/// or set XVIRSH_DEFAULT_CONNECT_URI once.
const defaultURI = "test:///default"

// uriEnv chooses the connection when -c is not given, like virsh's
// VIRSH_DEFAULT_CONNECT_URI.
const uriEnv = "XVIRSH_DEFAULT_CONNECT_URI"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
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
		case a == "-c" || a == "--connect":
			if i+1 >= len(args) {
				return o, fmt.Errorf("option '-c'/'--connect' requires an argument")
			}
			i++
			o.uri = args[i]
		case strings.HasPrefix(a, "--connect="):
			o.uri = strings.TrimPrefix(a, "--connect=")
		case strings.HasPrefix(a, "-c") && !strings.HasPrefix(a, "--"):
			o.uri = a[2:]
		case a == "-q" || a == "--quiet":
			o.quiet = true
		case a == "-r" || a == "--readonly":
			o.ro = true
		case a == "-h" || a == "--help":
			o.help = true
		case a == "-v" || a == "--version" || a == "-V":
			o.version = true
		case strings.HasPrefix(a, "-") && a != "-":
			return o, fmt.Errorf("unsupported option '%s'. See --help.", a)
		default:
			o.rest = args[i:]
			return o, nil
		}
	}
	return o, nil
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

// signalCtx is the one-shot command's context: the first of its signals
// cancels it. Catching signals costs the runtime a thread that owns the
// signal mask, another that waits for them, and a round trip between
// them per signal; at start and again at exit that was more than a
// millisecond of a one-shot command's wall time. So they are caught in
// the background, alongside the command, and Done, which everything
// that waits on the context calls before it waits, returns once they
// are: a command that waits can always be interrupted, and one that
// never waits is not held up. A signal in the moment before (as in the
// runtime's own start-up) still ends the process.
type signalCtx struct {
	context.Context               // cancelled by the first signal
	caught          chan struct{} // closed once the signals are caught
}

func (c *signalCtx) Done() <-chan struct{} {
	<-c.caught
	return c.Context.Done()
}

// catchSignals returns a context cancelled by the first of sigs, and the
// function that releases it. After that first signal the signals go back
// to the system: a second Ctrl-C kills a command that does not listen.
func catchSignals(parent context.Context, sigs ...os.Signal) (context.Context, context.CancelFunc) {
	inner, cancel := context.WithCancel(parent)
	c := &signalCtx{Context: inner, caught: make(chan struct{})}
	go func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, sigs...)
		close(c.caught)
		select {
		case <-ch:
			cancel()
		case <-inner.Done():
		}
		signal.Stop(ch)
	}()
	return c, cancel
}
