//go:build linux

package shell_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// ptyTimeout bounds every wait for output; a broken shell fails the test
// instead of hanging it.
const ptyTimeout = 10 * time.Second

// ptyShell is xvirsh running on a pty of its own, as a user's terminal.
type ptyShell struct {
	t    testing.TB
	ptmx *os.File // our side: what we type, what the terminal shows
	tty  *os.File // the terminal the shell uses, kept open to inspect it
	cmd  *exec.Cmd

	mu      sync.Mutex
	out     bytes.Buffer // everything the terminal received
	seen    int          // how far expect has matched in out
	lastRaw string       // the raw bytes the last expect matched in

	before string // `stty -g` of the terminal before xvirsh started
	cols   int    // the terminal's width

	exited chan struct{}
	err    error // from Wait
}

// startPty starts xvirsh with args on a new pty of the given size, as the
// session leader with the pty as its controlling terminal (go-prompt reads
// /dev/tty, so anything less would reach the test runner's terminal).
func startPty(t testing.TB, rows, cols uint16, env []string, args ...string) *ptyShell {
	t.Helper()
	return startPtyIn(t, "", rows, cols, true, env, args...)
}

// startPtyNoCtty gives xvirsh the pty as stdin, stdout and stderr, in a
// session with no controlling terminal, so /dev/tty cannot be opened.
func startPtyNoCtty(t *testing.T, env []string, args ...string) *ptyShell {
	t.Helper()
	return startPtyIn(t, "", 24, 80, false, env, args...)
}

// startPtyIn is the general form: xvirsh runs in directory dir ("" for
// the test's), on a rows x cols pty, with or without it as the controlling
// terminal.
func startPtyIn(t testing.TB, dir string, rows, cols uint16, ctty bool, env []string, args ...string) *ptyShell {
	t.Helper()
	return startProgram(t, xvirshBinary(t), dir, rows, cols, ctty, env, args...)
}

// startProgram runs any program (a shell to start xvirsh from) that way.
func startProgram(t testing.TB, bin, dir string, rows, cols uint16, ctty bool, env []string, args ...string) *ptyShell {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty on this system: %v", err)
	}
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: rows, Cols: cols}); err != nil {
		t.Fatal(err)
	}
	s := &ptyShell{t: t, ptmx: ptmx, tty: tty, cols: int(cols), exited: make(chan struct{})}
	s.before = s.sttyState()
	s.cmd = exec.Command(bin, args...)
	s.cmd.Env = env
	s.cmd.Dir = dir
	s.cmd.Stdin, s.cmd.Stdout, s.cmd.Stderr = tty, tty, tty
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: ctty, Ctty: 0}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			s.mu.Lock()
			s.out.Write(buf[:n])
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() {
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-s.exited:
		default:
			s.cmd.Process.Kill()
			<-s.exited
		}
		tty.Close()
		ptmx.Close()
		if t.Failed() {
			t.Logf("terminal output:\n%s", s.screen())
		}
	})
	return s
}

// ansi matches the escape sequences go-prompt draws with: CSI sequences,
// OSC titles and the single-letter ESC D / ESC M scrolls.
var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[DM78]`)

func plainText(b []byte) string {
	s := ansi.ReplaceAllString(string(b), "")
	// Line ends as \r\n, and the lone \r that readline (bash) writes.
	return strings.ReplaceAll(s, "\r", "")
}

// screen is everything shown so far, without escape codes.
func (s *ptyShell) screen() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return plainText(s.out.Bytes())
}

// expect waits until the output after the last match contains every one
// of wants (each as a plain substring, escape codes removed) and returns
// that output.
func (s *ptyShell) expect(wants ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(ptyTimeout)
	for {
		s.mu.Lock()
		raw := s.out.Bytes()[s.seen:]
		text := plainText(raw)
		n := len(s.out.Bytes())
		s.mu.Unlock()
		missing := ""
		for _, w := range wants {
			if !strings.Contains(text, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			s.mu.Lock()
			s.lastRaw = string(raw)
			s.seen = n
			s.mu.Unlock()
			return text
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %q; got since the last match:\n%s", missing, text)
		}
		select {
		case <-s.exited:
			// One last look at what arrived before the exit.
			time.Sleep(50 * time.Millisecond)
			s.mu.Lock()
			text = plainText(s.out.Bytes()[s.seen:])
			s.mu.Unlock()
			for _, w := range wants {
				if !strings.Contains(text, w) {
					s.t.Fatalf("xvirsh exited (%v) before printing %q; output since the last match:\n%s", s.err, w, text)
				}
			}
			return text
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// raw is everything the terminal received, escape codes included.
func (s *ptyShell) raw() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// send writes keys to the terminal in one write, as a paste or expect's
// send does.
func (s *ptyShell) send(keys string) {
	s.t.Helper()
	if _, err := s.ptmx.Write([]byte(keys)); err != nil {
		s.t.Fatal(err)
	}
}

// typeKeys writes one key at a time, as a person types.
func (s *ptyShell) typeKeys(keys string) {
	s.t.Helper()
	for _, r := range keys {
		s.send(string(r))
		time.Sleep(15 * time.Millisecond)
	}
}

// wait waits for the shell to exit and returns its exit status.
func (s *ptyShell) wait() int {
	s.t.Helper()
	select {
	case <-s.exited:
	case <-time.After(ptyTimeout):
		s.t.Fatalf("xvirsh did not exit; output:\n%s", s.screen())
	}
	s.drain()
	var ee *exec.ExitError
	if errors.As(s.err, &ee) {
		return ee.ExitCode()
	}
	if s.err != nil {
		s.t.Fatal(s.err)
	}
	return 0
}

// drain waits until the terminal has gone quiet, so that everything the
// shell wrote before exiting is in s.out.
func (s *ptyShell) drain() {
	last := -1
	for range 50 {
		s.mu.Lock()
		n := s.out.Len()
		s.mu.Unlock()
		if n == last {
			return
		}
		last = n
		time.Sleep(50 * time.Millisecond)
	}
}

// sttyState is `stty -g` of the shell's terminal: its complete settings.
func (s *ptyShell) sttyState() string {
	s.t.Helper()
	cmd := exec.Command("stty", "-g")
	cmd.Stdin = s.tty
	out, err := cmd.Output()
	if err != nil {
		s.t.Skipf("stty: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// wantRestored fails the test unless the terminal has the settings it had
// before xvirsh started.
func (s *ptyShell) wantRestored() {
	s.t.Helper()
	if after := s.sttyState(); after != s.before {
		s.t.Errorf("terminal not restored:\nbefore %s\nafter  %s", s.before, after)
	}
}
