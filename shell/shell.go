// Package shell is xvirsh's interactive front end: the go-prompt REPL when
// it talks to a terminal, a plain line loop otherwise (pipes, CI,
// `xvirsh < script`). It is the only package that imports go-prompt and
// knows nothing about commands beyond Env.ExecLine and Env.Complete.
package shell

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"xvirsh/commands"
)

// Prompt is virsh's prompt with our name.
const Prompt = "xvirsh # "

// PromptReadOnly is virsh's prompt for a session started with -r.
const PromptReadOnly = "xvirsh > "

// bannerFor is what virsh prints on entering interactive mode, unless
// -q, with a line naming the host: the demo host's domains look real
// enough to be taken for a real host's.
func bannerFor(uri string) string {
	return "Welcome to xvirsh, the virtualization interactive terminal.\n" +
		hostLine(uri) + "\n" +
		"\n" +
		"Type:  'help' for help with commands\n" +
		"       'quit' to quit\n" +
		"\n"
}

// demoURI is the built-in demo host, main's default.
const demoURI = "test:///default"

func hostLine(uri string) string {
	switch {
	case uri == demoURI:
		return "Connected to " + uri + " (the demo host; -c xen:/// for the local xend)"
	case strings.HasPrefix(uri, "test://"):
		return "Connected to " + uri + " (a demo host kept on disk; -c xen:/// for the local xend)"
	default:
		// The connection opens when the first command needs it.
		return "Host: " + uri
	}
}

// Run reads command lines until quit, exit or end of input and returns
// the exit status. A session at a terminal ends with 0 whatever its last
// command did, as virsh's interactive mode (virsh-ux.md §1.10); input from
// a pipe or file ends with 0 when the last command succeeded (or none
// ran) and 1 when it failed, so scripts can test it. 128+N when signal N
// ended the session.
func Run(ctx context.Context, env *commands.Env) int {
	env.Interactive = true
	s := &session{
		exec:   env.ExecLine,
		in:     env.IO.In,
		out:    env.IO.Out,
		errw:   env.IO.Err,
		quiet:  env.Quiet,
		prompt: promptFor(env),
		// connect --readonly and connect change the prompt, as in virsh.
		livePrompt: func() string { return promptFor(env) },
		banner:     bannerFor(env.URI),
		getenv:     os.Getenv,
		complete:   env.Complete,
	}
	if t := s.terminal(); t != nil {
		return s.repl(ctx, t)
	}
	return s.plain(ctx)
}

// session is one run of the shell over some streams.
type session struct {
	exec     func(ctx context.Context, line string) (ok, quit bool)
	complete func(ctx context.Context, textBeforeCursor string) []commands.Candidate
	in       io.Reader
	out      io.Writer
	errw     io.Writer
	quiet    bool
	prompt   string
	// livePrompt, when set, gives the prompt before each line instead.
	livePrompt func() string
	banner     string
	getenv     func(string) string
}

// terminal opens the controlling terminal when the go-prompt REPL can work
// there, and returns nil when the plain loop must be used instead: stdin or
// stdout not a terminal (go-prompt would read /dev/tty and ignore the piped
// input, and draw escape codes into a pipe), no controlling terminal at all
// (go-prompt panics), a terminal that reports zero width (go-prompt divides
// by it), or TERM=dumb (a terminal that cannot take the escape codes).
func (s *session) terminal() *tty {
	if !isTerminal(s.in) || !isTerminal(s.out) || s.getenv("TERM") == "dumb" {
		return nil
	}
	t, err := openTTY()
	if err != nil {
		return nil
	}
	if t.width() <= 0 {
		t.Close()
		return nil
	}
	return t
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// interactiveStatus is the exit status of a session at a terminal: 0, or
// the status of the signal that ended it.
func interactiveStatus(last int) int {
	if last >= 128 {
		return last
	}
	return 0
}

// status is the exit status for the last command's result.
func status(ok bool) int {
	if ok {
		return 0
	}
	return 1
}

// warn prints a problem of the shell itself (not of a command) once.
func (s *session) warn(err error) {
	fmt.Fprintf(s.errw, "error: %v\n", err)
}

func promptFor(env *commands.Env) string {
	if env.ReadOnly {
		return PromptReadOnly
	}
	return Prompt
}

// promptText is the prompt for the next line.
func (s *session) promptText() string {
	if s.livePrompt != nil {
		return s.livePrompt()
	}
	return s.prompt
}
