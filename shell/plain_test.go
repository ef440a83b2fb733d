package shell

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeCommands records the lines it is given; "fail" fails, "quit" quits,
// "panic" panics, "wait" blocks until its context ends.
type fakeCommands struct {
	lines []string
	out   *bytes.Buffer
}

func (f *fakeCommands) exec(ctx context.Context, line string) (ok, quit bool) {
	f.lines = append(f.lines, line)
	switch strings.Fields(line)[0] {
	case "fail":
		return false, false
	case "quit", "exit":
		return true, true
	case "panic":
		var m map[string]int
		m["x"]++
	case "wait":
		select {
		case <-ctx.Done():
			fmt.Fprintln(f.out, "cancelled")
			return false, false
		case <-time.After(5 * time.Second):
			fmt.Fprintln(f.out, "not cancelled")
			return true, false
		}
	}
	fmt.Fprintf(f.out, "ran %d bytes\n", len(line))
	return true, false
}

var banner = bannerFor(demoURI)

func newPlain(input string, quiet bool) (*session, *fakeCommands, *bytes.Buffer, *bytes.Buffer) {
	var out, errw bytes.Buffer
	f := &fakeCommands{out: &out}
	return &session{
		exec:   f.exec,
		in:     strings.NewReader(input),
		out:    &out,
		errw:   &errw,
		quiet:  quiet,
		prompt: Prompt,
		banner: banner,
		getenv: envOf(nil),
	}, f, &out, &errw
}

func TestPlainLoop(t *testing.T) {
	long := "echo " + strings.Repeat("x", 200<<10) // past bufio.Scanner's 64 KiB
	tests := []struct {
		name      string
		input     string
		quiet     bool
		wantLines []string
		wantOut   string
		wantCode  int
	}{
		{
			name:      "virsh-like output when not quiet",
			input:     "list\nquit\n",
			wantLines: []string{"list", "quit"},
			wantOut:   banner + Prompt + "list\nran 4 bytes\n" + Prompt + "quit\n\n",
		},
		{
			name:      "not quiet: every line echoed, blank and unterminated ones too",
			input:     "a\r\n\nb",
			wantLines: []string{"a", "b"},
			wantOut:   banner + Prompt + "a\nran 1 bytes\n" + Prompt + "\n" + Prompt + "b\nran 1 bytes\n" + Prompt + "\n",
		},
		{
			name:      "quiet: no banner, no prompts",
			input:     "list\n",
			quiet:     true,
			wantLines: []string{"list"},
			wantOut:   "ran 4 bytes\n",
		},
		{
			name:      "EOF leaves a newline after the lone prompt",
			input:     "",
			wantOut:   banner + Prompt + "\n",
			wantLines: nil,
		},
		{
			name:      "lines after quit are not run",
			input:     "quit\nlist\n",
			quiet:     true,
			wantLines: []string{"quit"},
			wantOut:   "",
		},
		{
			name:      "CRLF, blank lines and an unterminated last line",
			input:     "a\r\n\n   \nb",
			quiet:     true,
			wantLines: []string{"a", "b"},
			wantOut:   "ran 1 bytes\nran 1 bytes\n",
		},
		{
			name:      "long line arrives whole",
			input:     long + "\n",
			quiet:     true,
			wantLines: []string{long},
			wantOut:   fmt.Sprintf("ran %d bytes\n", len(long)),
		},
		{
			name:      "status of the last command",
			input:     "list\nfail\n",
			quiet:     true,
			wantLines: []string{"list", "fail"},
			wantOut:   "ran 4 bytes\n",
			wantCode:  1,
		},
		{
			name:      "blank lines keep the status",
			input:     "fail\n\n   \n",
			quiet:     true,
			wantLines: []string{"fail"},
			wantCode:  1,
		},
		{
			name:      "a later success clears the failure",
			input:     "fail\nlist\n\n",
			quiet:     true,
			wantLines: []string{"fail", "list"},
			wantOut:   "ran 4 bytes\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f, out, errw := newPlain(tt.input, tt.quiet)
			code := s.plain(context.Background())
			if code != tt.wantCode {
				t.Errorf("exit status %d, want %d", code, tt.wantCode)
			}
			if !slices.Equal(f.lines, tt.wantLines) {
				t.Errorf("ran %.60q, want %.60q", f.lines, tt.wantLines)
			}
			if out.String() != tt.wantOut {
				t.Errorf("stdout %.200q, want %.200q", out.String(), tt.wantOut)
			}
			if errw.Len() != 0 {
				t.Errorf("stderr %q", errw.String())
			}
		})
	}
}

func TestPlainLoopSurvivesPanic(t *testing.T) {
	s, f, _, errw := newPlain("panic\nlist\n", true)
	if code := s.plain(context.Background()); code != 0 {
		t.Errorf("exit status %d after a good last command", code)
	}
	if !slices.Equal(f.lines, []string{"panic", "list"}) {
		t.Errorf("ran %q", f.lines)
	}
	if !strings.HasPrefix(errw.String(), "error: internal error: ") {
		t.Errorf("stderr %q", errw.String())
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("input/output error") }

func TestPlainLoopReadError(t *testing.T) {
	s, _, _, errw := newPlain("", true)
	s.in = failingReader{}
	if code := s.plain(context.Background()); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if got := errw.String(); got != "error: reading input: input/output error\n" {
		t.Errorf("stderr %q", got)
	}
}

// Ctrl-C (SIGINT) while a command runs cancels that command only.
func TestInterruptCancelsCommand(t *testing.T) {
	s, f, out, _ := newPlain("wait\nlist\n", true)
	go func() {
		time.Sleep(200 * time.Millisecond)
		syscall.Kill(syscall.Getpid(), syscall.SIGINT)
	}()
	code := s.plain(context.Background())
	if !strings.HasPrefix(out.String(), "cancelled\n") {
		t.Errorf("stdout %q: the command was not cancelled", out.String())
	}
	if !slices.Equal(f.lines, []string{"wait", "list"}) || code != 0 {
		t.Errorf("ran %q, status %d: the shell should go on after Ctrl-C", f.lines, code)
	}
}

// SIGTERM while a command runs cancels it and ends the session.
func TestTerminateEndsSession(t *testing.T) {
	s, f, out, _ := newPlain("wait\nlist\n", true)
	go func() {
		time.Sleep(200 * time.Millisecond)
		syscall.Kill(syscall.Getpid(), syscall.SIGTERM)
	}()
	code := s.plain(context.Background())
	if out.String() != "cancelled\n" || !slices.Equal(f.lines, []string{"wait"}) {
		t.Errorf("stdout %q, ran %q", out.String(), f.lines)
	}
	if code != 128+int(syscall.SIGTERM) {
		t.Errorf("exit status %d, want %d", code, 128+int(syscall.SIGTERM))
	}
}
