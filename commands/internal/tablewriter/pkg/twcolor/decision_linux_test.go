package twcolor

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/fatih/color"
	"golang.org/x/sys/unix"
)

// TestDecisionIsFatihs runs this test binary again with each environment
// and each kind of standard output (a terminal, a pipe, /dev/null, a
// file), and compares the decision fatih/color made at that process's
// init with the one twcolor makes there when first asked.
func TestDecisionIsFatihs(t *testing.T) {
	pts, err := openPty(t)
	if err != nil {
		t.Skip("no pseudo-terminal:", err)
	}
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	file, err := os.Create(t.TempDir() + "/out")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()

	stdouts := map[string]func() (*os.File, func()){
		"terminal": func() (*os.File, func()) { return pts, func() {} },
		"pipe": func() (*os.File, func()) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			go func() { _, _ = bytes.NewBuffer(nil).ReadFrom(r); r.Close() }()
			return w, func() { w.Close() }
		},
		"devnull": func() (*os.File, func()) { return devNull, func() {} },
		"file":    func() (*os.File, func()) { return file, func() {} },
	}
	envs := [][]string{
		{"TERM=xterm-256color"},
		{},
		{"TERM=dumb"},
		{"TERM=vt100", "NO_COLOR=1"},
		{"TERM=vt100", "NO_COLOR="},
		{"TERM=dumb", "NO_COLOR=yes"},
	}
	sawColour := false
	for name, open := range stdouts {
		for _, env := range envs {
			t.Run(fmt.Sprintf("%s/%s", name, strings.Join(env, ",")), func(t *testing.T) {
				out, done := open()
				defer done()
				cmd := exec.Command(os.Args[0], "-test.run=^TestDecisionHelper$", "-test.count=1")
				// A race-enabled child otherwise sleeps a second at exit.
				cmd.Env = append(withoutColourVars(os.Environ()), "TWCOLOR_DECISION_HELPER=1",
					strings.TrimSpace("GORACE="+os.Getenv("GORACE")+" atexit_sleep_ms=0"))
				cmd.Env = append(cmd.Env, env...)
				cmd.Stdout = out
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				if err := cmd.Run(); err != nil {
					t.Fatalf("%v: %s", err, stderr.String())
				}
				var undecidedAtStart, fatihNo, twNo bool
				var fatihS, twS string
				if _, err := fmt.Sscanf(stderr.String(), "%t %t %t %q %q", &undecidedAtStart, &fatihNo, &twNo, &fatihS, &twS); err != nil {
					t.Fatalf("helper said %q: %v", stderr.String(), err)
				}
				if !undecidedAtStart {
					t.Error("twcolor decided before it was first asked")
				}
				if fatihNo != twNo || fatihS != twS {
					t.Errorf("fatih/color: NoColor %v, %q; twcolor: %v, %q", fatihNo, fatihS, twNo, twS)
				}
				if !twNo {
					sawColour = true
				}
			})
		}
	}
	if !sawColour {
		t.Error("no case had colour on: the terminal case did not see a terminal")
	}
}

// TestDecisionHelper is the child of TestDecisionIsFatihs.
func TestDecisionHelper(t *testing.T) {
	if os.Getenv("TWCOLOR_DECISION_HELPER") != "1" {
		t.Skip("run by TestDecisionIsFatihs")
	}
	undecidedAtStart := state.Load() == undecided
	fatihNo := color.NoColor
	twNo := NoColor()
	fmt.Fprintf(os.Stderr, "%t %t %t %q %q", undecidedAtStart, fatihNo, twNo,
		color.New(color.FgRed, color.Bold).Sprint("x"), Sprint("x", FgRed, Bold))
}

func withoutColourVars(env []string) []string {
	var kept []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "NO_COLOR=") && !strings.HasPrefix(kv, "TERM=") {
			kept = append(kept, kv)
		}
	}
	return kept
}

// openPty opens a pseudo-terminal pair as creack/pty does on Linux and
// returns its terminal end; both ends are closed when the test ends.
func openPty(t *testing.T) (*os.File, error) {
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { ptmx.Close() })
	fd := int(ptmx.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		return nil, err
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		return nil, err
	}
	pts, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { pts.Close() })
	// Whatever the child writes there is read and dropped.
	go func() { _, _ = bytes.NewBuffer(nil).ReadFrom(ptmx) }()
	return pts, nil
}
