package commands

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// escapeKey is virsh's console escape, Ctrl-] (as xenconsole's).
const escapeKey = 0x1d

// consoleTTY is the domain's console pty as its live XML names it (the
// tty xenstore holds: /local/domain/ID/console/tty), "" when unknown.
func consoleTTY(xml string) string {
	nodes, err := xpathSelect(xml, "/domain/devices/console/@tty | /domain/devices/serial/@tty")
	if err != nil || len(nodes) == 0 {
		return ""
	}
	return nodes[0].attr.Value
}

// relayConsole joins the terminal in to the console pty at path until
// Ctrl-] is typed, the pty closes (the domain went away) or ctx ends. It
// polls rather than blocking in a read, so that nothing is left reading
// the terminal afterwards to swallow the next command's keys.
func relayConsole(ctx context.Context, in *os.File, out io.Writer, path string) error {
	// Asked for first: it has a one-shot command catch SIGTERM and SIGHUP
	// (see main.go) before the terminal goes raw, so that they end the
	// relay and the terminal is restored rather than left raw.
	done := ctx.Done()
	pty, err := os.OpenFile(path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		return fmt.Errorf("cannot open the console %s: %s", path, errnoText(err))
	}
	defer pty.Close()
	state, err := term.MakeRaw(int(in.Fd()))
	if err != nil {
		return fmt.Errorf("cannot put the terminal in raw mode: %w", err)
	}
	defer term.Restore(int(in.Fd()), state)
	fds := []unix.PollFd{{Fd: int32(in.Fd()), Events: unix.POLLIN}, {Fd: int32(pty.Fd()), Events: unix.POLLIN}}
	buf := make([]byte, 4096)
	for {
		select {
		case <-done:
			return ctx.Err()
		default:
		}
		fds[0].Revents, fds[1].Revents = 0, 0
		if _, err := unix.Poll(fds, 200); err != nil && !errors.Is(err, unix.EINTR) {
			return err
		}
		if fds[1].Revents&(unix.POLLIN|unix.POLLHUP|unix.POLLERR) != 0 {
			n, err := unix.Read(int(pty.Fd()), buf)
			if n > 0 {
				out.Write(buf[:n])
			}
			if n <= 0 || err != nil {
				return nil // the domain's console closed
			}
		}
		if fds[0].Revents&(unix.POLLIN|unix.POLLHUP) != 0 {
			n, err := unix.Read(int(in.Fd()), buf)
			if n <= 0 || err != nil {
				return nil
			}
			data := buf[:n]
			if i := bytes.IndexByte(data, escapeKey); i >= 0 {
				pty.Write(data[:i])
				return nil
			}
			if _, err := pty.Write(data); err != nil {
				return nil
			}
		}
	}
}
