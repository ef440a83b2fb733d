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

	prompt "github.com/c-bata/go-prompt"
	"golang.org/x/term"

	"xvirsh/commands"
)

// Prompt is virsh's prompt with our name.
const Prompt = "xvirsh # "

// banner is what virsh prints on entering interactive mode, unless -q.
const banner = "Welcome to xvirsh, the virtualization interactive terminal.\n" +
	"\n" +
	"Type:  'help' for help with commands\n" +
	"       'quit' to quit\n" +
	"\n"

// Run reads command lines until quit, exit or end of input and returns
// the exit status: 0 when the last command succeeded (or none ran), 1 when
// it failed, 128+N when signal N ended the session.
func Run(ctx context.Context, env *commands.Env) int {
	s := &session{
		exec:   env.ExecLine,
		in:     env.IO.In,
		out:    env.IO.Out,
		errw:   env.IO.Err,
		quiet:  env.Quiet,
		prompt: Prompt,
		getenv: os.Getenv,
		complete: func(ctx context.Context, text string) []prompt.Suggest {
			cs := env.Complete(ctx, text)
			out := make([]prompt.Suggest, len(cs))
			for i, c := range cs {
				out[i] = prompt.Suggest{Text: c.Text, Description: c.Description}
			}
			return out
		},
	}
	if t := s.terminal(); t != nil {
		return s.repl(ctx, t)
	}
	return s.plain(ctx)
}

// session is one run of the shell over some streams.
type session struct {
	exec     func(ctx context.Context, line string) (ok, quit bool)
	complete func(ctx context.Context, textBeforeCursor string) []prompt.Suggest
	in       io.Reader
	out      io.Writer
	errw     io.Writer
	quiet    bool
	prompt   string
	getenv   func(string) string
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
