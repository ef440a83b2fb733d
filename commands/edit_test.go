package commands

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// editorScript writes an EDITOR that applies the sed expressions in turn,
// one per run (the last one again after that).
func editorScript(t *testing.T, exprs ...string) string {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("#!/bin/sh\nn=$(cat " + dir + "/n 2>/dev/null || echo 0)\necho $((n+1)) > " + dir + "/n\ncase $n in\n")
	for i, e := range exprs {
		pat := "*"
		if i < len(exprs)-1 {
			pat = strconv.Itoa(i)
		}
		b.WriteString(pat + ") sed -i '" + e + "' \"$1\" ;;\n")
	}
	b.WriteString("esac\n")
	p := filepath.Join(dir, "editor")
	if err := os.WriteFile(p, []byte(b.String()), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// promptWatch is the session's stdout, counting the prompts shown.
type promptWatch struct {
	mu      sync.Mutex
	b       strings.Builder
	prompts int
}

func (w *promptWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.prompts += strings.Count(string(p), "Try again?")
	return w.b.Write(p)
}

func (w *promptWatch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

func (w *promptWatch) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.prompts
}

// keys types each answer once the prompt it answers is on the screen
// and the terminal is in raw mode, as an operator would.
func keys(ptmx, tty *os.File, w *promptWatch, answers ...string) chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i, a := range answers {
			deadline := time.Now().Add(10 * time.Second)
			for time.Now().Before(deadline) {
				tio, err := unix.IoctlGetTermios(int(tty.Fd()), ioctlGetTermios)
				if w.count() > i && err == nil && tio.Lflag&unix.ICANON == 0 {
					break
				}
				time.Sleep(2 * time.Millisecond)
			}
			ptmx.WriteString(a)
		}
	}()
	return done
}

func TestEditPrompt(t *testing.T) {
	const breakName = `s/<name>rhel5</<name>rhel5<</`
	const fix = `s/<name>rhel5<</<name>rhel5</; s/<vcpu>1</<vcpu>2</`
	for _, tc := range []struct {
		name    string
		exprs   []string
		answers []string
		ok      bool
		out     []string // in order
		stderr  string
		vcpus   string
	}{
		{"help then yes re-edits and defines", []string{breakName, fix}, []string{"?", "y"}, true,
			[]string{"\rFailed. Try again? [y,n,i,f,?]: ", "\r\ny - yes, start editor again\r\nn - no, throw away my changes\r\ni - turn off validation and try to redefine again\r\nf - force, try to redefine again\r\n? - print this help\r\n",
				"\rFailed. Try again? [y,n,i,f,?]: \r\n", "Domain 'rhel5' XML configuration edited.\n"},
			"error: (domain_definition):2: expected element name after <\n", "CPU(s):         2"},
		{"no throws the changes away", []string{breakName}, []string{"n"}, false,
			[]string{"\rFailed. Try again? [y,n,i,f,?]: \r\n"}, "", "CPU(s):         1"},
		{"force asks again while it fails", []string{breakName}, []string{"f", "xn"}, false,
			[]string{"Failed. Try again? [y,n,i,f,?]: \r\n\rFailed. Try again? [y,n,i,f,?]: "}, "", "CPU(s):         1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("VISUAL", "")
			t.Setenv("EDITOR", editorScript(t, tc.exprs...))
			ptmx, tty, err := pty.Open()
			if err != nil {
				t.Skipf("no pty: %v", err)
			}
			defer ptmx.Close()
			defer tty.Close()
			e, _, errb := demoEnv(t)
			out := &promptWatch{}
			e.IO.In, e.IO.Out = tty, out
			done := keys(ptmx, tty, out, tc.answers...)
			ok, _ := e.ExecLine(context.Background(), "edit rhel5")
			<-done
			if ok != tc.ok {
				t.Errorf("ok = %v; stdout %q stderr %q", ok, out, errb)
			}
			rest := out.String()
			for _, want := range tc.out {
				i := strings.Index(rest, want)
				if i < 0 {
					t.Fatalf("stdout %q lacks %q", out, want)
				}
				rest = rest[i+len(want):]
			}
			if !strings.HasPrefix(errb.String(), tc.stderr) || !strings.Contains(errb.String(), "expected element name") {
				t.Errorf("stderr = %q", errb)
			}
			after := &promptWatch{}
			e.IO.Out = after
			e.ExecLine(context.Background(), "dominfo rhel5")
			if !strings.Contains(after.String(), tc.vcpus) {
				t.Errorf("after: %s", after)
			}
		})
	}
}

func TestEditWithoutTerminal(t *testing.T) {
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", editorScript(t, `s/<name>rhel5</<name>rhel5<</`))
	e, out, errb := demoEnv(t)
	if ok, _ := e.ExecLine(context.Background(), "edit rhel5"); ok {
		t.Fatal("edit succeeded")
	}
	if !strings.HasSuffix(errb.String(), "error: Failed.\n") || strings.Contains(out.String(), "Try again") {
		t.Errorf("stdout %q stderr %q", out, errb)
	}
}
