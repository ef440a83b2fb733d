//go:build !linux

package shell

import (
	"errors"

	prompt "github.com/c-bata/go-prompt"
)

// tty is Linux-only (termios ioctls); elsewhere the shell always runs the
// plain line loop, which needs nothing from the terminal.
type tty struct{ prompt.ConsoleParser }

func openTTY() (*tty, error) {
	return nil, errors.New("interactive prompt not supported on this system")
}

func (*tty) width() int   { return 0 }
func (*tty) Close() error { return nil }
func (*tty) abandon()     {}

func restoreOnHangup(*tty) (stop func()) { return func() {} }
