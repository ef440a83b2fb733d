//go:build linux

package shell

import (
	"errors"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	prompt "github.com/c-bata/go-prompt"
	"golang.org/x/sys/unix"
)

// tty is the prompt.ConsoleParser go-prompt reads keys from. It replaces
// go-prompt's own PosixParser for two reasons (virsh-ux.md §3.3):
//   - opening /dev/tty is an error here, not a panic, so Run can fall back
//     to the plain line loop when there is no controlling terminal;
//   - it keeps its own copy of the terminal state from before raw mode.
//     go-prompt v0.2.6 saves the state through a pointer that its raw-mode
//     code then modifies, so its TearDown "restores" raw mode and leaves the
//     user's shell without echo. With this parser every TearDown, including
//     the one go-prompt runs before it calls os.Exit on a signal, puts the
//     real cooked state back.
type tty struct {
	f     *os.File
	fd    int
	saved unix.Termios

	mu sync.Mutex
}

// openTTY opens the controlling terminal and records its current state.
func openTTY() (*tty, error) {
	f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	fd := int(f.Fd())
	st, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &tty{f: f, fd: fd, saved: *st}, nil
}

// Setup enters raw mode, derived from the saved state each time so that the
// saved copy is never touched. Output processing (OPOST) stays on, so "\n"
// from a command still starts a new line.
func (t *tty) Setup() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	raw := t.saved
	raw.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP |
		unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	raw.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	raw.Cflag &^= unix.CSIZE | unix.PARENB
	raw.Cflag |= unix.CS8
	raw.Cc[unix.VMIN] = 1
	raw.Cc[unix.VTIME] = 0
	// go-prompt's reader must be able to stop, so reads may not block; it
	// waits for input in WaitInput instead.
	if err := syscall.SetNonblock(t.fd, true); err != nil {
		return err
	}
	return unix.IoctlSetTermios(t.fd, unix.TCSETS, &raw)
}

// TearDown restores the state the terminal had before the shell started.
func (t *tty) TearDown() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.restoreLocked()
}

func (t *tty) restoreLocked() error {
	err := syscall.SetNonblock(t.fd, false)
	if e := unix.IoctlSetTermios(t.fd, unix.TCSETS, &t.saved); e != nil {
		err = e
	}
	return err
}

// Close restores the terminal and releases it. It is safe to call more than
// once, which the several exit paths of Run rely on.
func (t *tty) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.f == nil {
		return nil
	}
	err := t.restoreLocked()
	if e := t.f.Close(); e != nil && err == nil {
		err = e
	}
	t.f = nil
	return err
}

// abandon is Close on the way out of an accident (a panic, SIGHUP): the
// prompt had no chance to turn bracketed paste off, so it is done here.
func (t *tty) abandon() {
	t.mu.Lock()
	if t.f != nil {
		t.f.WriteString("\x1b[?2004l")
	}
	t.mu.Unlock()
	t.Close()
}

func (t *tty) Read() ([]byte, error) {
	buf := make([]byte, 1024)
	n, err := syscall.Read(t.fd, buf)
	if err != nil {
		return nil, err
	}
	if n <= 0 {
		return nil, errors.New("no input")
	}
	return buf[:n], nil
}

// WaitInput waits until the terminal has input, or timeout passes, so that
// go-prompt reads a key as it is typed rather than on its next 10 ms poll.
func (t *tty) WaitInput(timeout time.Duration) bool {
	fds := []unix.PollFd{{Fd: int32(t.fd), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, int(timeout/time.Millisecond))
	return err == nil && n > 0
}

// Fallback size for a terminal that reports none: go-prompt divides by the
// width and panics on a 0x0 terminal (some containers, fresh ptys).
const (
	fallbackCols = 80
	fallbackRows = 24
)

// GetWinSize never panics, unlike go-prompt's, and never reports zero.
func (t *tty) GetWinSize() *prompt.WinSize {
	ws := &prompt.WinSize{Row: fallbackRows, Col: fallbackCols}
	if w, err := unix.IoctlGetWinsize(t.fd, unix.TIOCGWINSZ); err == nil {
		if w.Row > 0 {
			ws.Row = w.Row
		}
		if w.Col > 0 {
			ws.Col = w.Col
		}
	}
	return ws
}

// width reports the terminal's width as the terminal itself gives it.
func (t *tty) width() int {
	w, err := unix.IoctlGetWinsize(t.fd, unix.TIOCGWINSZ)
	if err != nil {
		return 0
	}
	return int(w.Col)
}

var _ prompt.ConsoleParser = (*tty)(nil)

// restoreOnHangup restores the terminal when SIGHUP arrives and then lets
// the signal end the process as it normally would. go-prompt does not catch
// SIGHUP, so without this a `kill -HUP` would leave the terminal raw.
//
// A shell started with SIGHUP ignored (under nohup) is meant to outlive a
// hangup: it is left ignored, as Reset would leave it anyway.
func restoreOnHangup(t *tty) (stop func()) {
	if signal.Ignored(syscall.SIGHUP) {
		return func() {}
	}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case <-ch:
			t.abandon()
			signal.Reset(syscall.SIGHUP)
			syscall.Kill(os.Getpid(), syscall.SIGHUP)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}
