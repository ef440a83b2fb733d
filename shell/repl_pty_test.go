//go:build linux

package shell_test

import (
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// dom0UUID is what `domuuid Domain-0` prints; the input echo cannot
// contain it.
const dom0UUID = "00000000-0000-0000-0000-000000000000"

// A whole interactive session the way a user has it: banner, prompt, Tab
// completion of commands and of domain names, a pasted command line,
// Ctrl-C at the prompt, Ctrl-D to leave; then the terminal is as it was.
func TestPtySession(t *testing.T) {
	running := guests(names(t))
	if len(running) == 0 {
		t.Fatal("the demo host has no running domain")
	}
	env, cache := testEnv(t)
	sh := startPty(t, 24, 100, env, "-c", "test:///default")

	sh.expect("Welcome to xvirsh, the virtualization interactive terminal.",
		"'quit' to quit", "xvirsh # ")

	// Two Tabs after "dom" list the dom* commands under the line, and
	// the line comes back below them.
	sh.typeKeys("dom")
	sh.send("\t")
	sh.send("\t")
	list := sh.expect("domid", "dominfo", "domuuid", "xvirsh # dom")
	for _, notDom := range []string{"dumpxml", "undefine"} {
		if strings.Contains(list, notDom) {
			t.Errorf("completion of %q offers %q:\n%s", "dom", notDom, list)
		}
	}

	// Ctrl-C at the prompt drops the line: nothing runs, a fresh prompt.
	sh.send("\x03")
	sh.expect("xvirsh # ")

	// Two Tabs after "dominfo " list the domains; the start of a name
	// and Tab complete it, Enter runs the line.
	sh.typeKeys("dominfo ")
	sh.send("\t")
	sh.send("\t")
	sh.expect(running...)
	sh.typeKeys(running[0][:2])
	sh.send("\t")
	// Only what changes is written: the rest of the name and a blank.
	sh.expect(running[0][2:] + " ")
	sh.send("\r")
	out := sh.expect("Name:", "UUID:", "State:", "xvirsh # ")
	if !strings.Contains(out, "Name:           "+running[0]) {
		t.Errorf("dominfo did not run on the completed domain name:\n%s", out)
	}

	// A line sent in one write, as pasted or from expect, runs at once.
	sh.send("list --all\r")
	sh.expect(" Id", "Name", "State", "-----", running[0], "xvirsh # ")

	// Ctrl-C after typing: the half-typed command never runs.
	sh.typeKeys("undefine " + running[0])
	sh.send("\x03")
	sh.send("domid " + running[0] + "\r")
	sh.expect("xvirsh # ")
	if strings.Contains(sh.screen(), "has been undefined") {
		t.Error("Ctrl-C did not drop the typed line: undefine ran")
	}

	// Ctrl-D on the empty line leaves with the last command's status.
	sh.send("\x04")
	if code := sh.wait(); code != 0 {
		t.Errorf("exit status %d after a successful last command", code)
	}
	sh.wantRestored()
	if strings.Contains(sh.screen(), "panic") {
		t.Errorf("panic on screen:\n%s", sh.screen())
	}

	// Every line entered was saved, the dropped ones were not.
	hist, err := os.ReadFile(filepath.Join(cache, "xvirsh", "history"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(hist)), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "dominfo ") ||
		lines[1] != "list --all" || lines[2] != "domid "+running[0] {
		t.Errorf("history file:\n%s", hist)
	}
}

// Completion of a domain argument follows the command's meaning: start
// offers stopped domains, destroy running ones.
func TestPtyCompletionByState(t *testing.T) {
	running, stopped := guests(names(t)), names(t, "--inactive")
	if len(running) == 0 || len(stopped) == 0 {
		t.Fatalf("demo host needs running and stopped domains; has %q and %q", running, stopped)
	}
	env, _ := testEnv(t)
	sh := startPty(t, 24, 100, env, "-q", "-c", "test:///default")
	sh.expect("xvirsh # ")

	sh.typeKeys("start ")
	sh.send("\t\t")
	list := sh.expect(stopped...)
	for _, n := range running {
		if slices.Contains(strings.Fields(list), n) {
			t.Errorf("start offers running domain %q:\n%s", n, list)
		}
	}
	sh.send("\x03")
	sh.expect("xvirsh # ")

	sh.typeKeys("destroy ")
	sh.send("\t\t")
	list = sh.expect(running...)
	for _, n := range stopped {
		if slices.Contains(strings.Fields(list), n) {
			t.Errorf("destroy offers stopped domain %q:\n%s", n, list)
		}
	}
	sh.send("\x03")
	sh.send("quit\r")
	if code := sh.wait(); code != 0 {
		t.Errorf("exit status %d after quit", code)
	}
}

// A FILE argument completes to the files of the directory.
func TestPtyCompletionOfFiles(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"guest-a.xml", "guest-b.xml", "other.cfg"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("<domain/>"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "guests"), 0o755); err != nil {
		t.Fatal(err)
	}
	env, _ := testEnv(t)
	sh := startPtyIn(t, dir, 24, 100, true, env, "-q", "-c", "test:///default")
	sh.expect("xvirsh # ")
	sh.typeKeys("define gu")
	sh.expect("define gu")
	// Two Tabs list what "gu" may become.
	sh.send("\t\t")
	list := sh.expect("guest-a.xml", "guest-b.xml", "guests/", "xvirsh # define gu")
	if strings.Contains(list, "other.cfg") {
		t.Errorf("files not starting with the typed word offered:\n%s", list)
	}
	sh.send("\x03")
	sh.send("quit\r")
	sh.wait()
}

// TERM=dumb (an editor's shell buffer, a serial console) gets the plain
// loop: no escape codes at all.
func TestPtyDumbTerminal(t *testing.T) {
	env, _ := testEnv(t)
	for i, e := range env {
		if strings.HasPrefix(e, "TERM=") {
			env[i] = "TERM=dumb"
		}
	}
	sh := startPty(t, 24, 80, env, "-c", "test:///default")
	sh.expect("xvirsh # ")
	sh.send("domuuid Domain-0\n")
	sh.expect(dom0UUID, "xvirsh # ")
	// Ctrl-C drops the typed line and gives a new prompt, as the line
	// editor does; the session goes on.
	sh.send("domstate win")
	sh.expect("domstate win")
	sh.send("\x03")
	sh.expect("\nxvirsh # ")
	sh.send("domname 0\n")
	sh.expect("\nDomain-0\n", "xvirsh # ")
	sh.send("quit\n")
	if code := sh.wait(); code != 0 {
		t.Errorf("exit status %d", code)
	}
	sh.mu.Lock()
	raw := sh.out.String()
	sh.mu.Unlock()
	if strings.Contains(raw, "\x1b") {
		t.Errorf("escape codes sent to a dumb terminal: %q", raw)
	}
	// The terminal echoes the typed line; the shell must not repeat it.
	if n := strings.Count(raw, "domuuid Domain-0"); n != 1 {
		t.Errorf("the typed line shows %d times:\n%s", n, raw)
	}
}

// quit leaves cleanly: status 0, terminal restored, no prompt left
// hanging after the quit line.
func TestPtyQuit(t *testing.T) {
	env, _ := testEnv(t)
	sh := startPty(t, 24, 80, env, "-c", "test:///default")
	sh.expect("xvirsh # ")
	sh.send("nosuchcommand\r")
	sh.expect("error: unknown command: 'nosuchcommand'", "xvirsh # ")
	sh.send("exit\r")
	code := sh.wait()
	if code != 0 {
		t.Errorf("exit status %d after exit", code)
	}
	sh.wantRestored()
	if tail := sh.screen(); strings.HasSuffix(strings.TrimRight(tail, " \n"), "xvirsh #") {
		t.Errorf("a prompt is left after exit:\n%q", tail[max(0, len(tail)-80):])
	}
}

// hungXend serves a xend on a unix socket that answers the connection's
// first question (its config format) and then never answers again, and
// returns the URI to reach it.
func hungXend(t *testing.T) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "xend.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("unix socket: %v", err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/xend/node") {
			io.WriteString(w, "(node (host test) (xen_major 3) (xen_minor 4) (xend_config_format 4))")
			return
		}
		<-r.Context().Done() // hung: only the client giving up ends this
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return "xen+unix://" + sock
}

// Ctrl-C while a command runs interrupts that command, and the shell goes
// on.
func TestPtyCtrlCInterruptsCommand(t *testing.T) {
	uri := hungXend(t)
	env, _ := testEnv(t)
	sh := startPty(t, 24, 80, env, "-q", "-c", uri)
	sh.expect("xvirsh # ")
	start := time.Now()
	sh.send("list\r")
	time.Sleep(500 * time.Millisecond)
	sh.send("\x03")
	out := sh.expect("error:", "xvirsh # ")
	if !strings.Contains(out, "interrupted") {
		t.Errorf("the command was not reported as interrupted:\n%s", out)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Ctrl-C took %v to stop the command", d)
	}
	// Still alive and usable.
	sh.send("connect test:///default\r")
	sh.send("domuuid Domain-0\r")
	sh.expect(dom0UUID)
	sh.send("quit\r")
	sh.wait()
	sh.wantRestored()
}

// SIGTERM while a command runs stops the command and ends the shell with
// the terminal restored and the status of death by SIGTERM.
func TestPtySIGTERMDuringCommand(t *testing.T) {
	uri := hungXend(t)
	env, _ := testEnv(t)
	sh := startPty(t, 24, 80, env, "-q", "-c", uri)
	sh.expect("xvirsh # ")
	sh.send("list\r")
	time.Sleep(500 * time.Millisecond)
	sh.cmd.Process.Signal(syscall.SIGTERM)
	if code := sh.wait(); code != 128+int(syscall.SIGTERM) {
		t.Errorf("exit status %d, want %d", code, 128+int(syscall.SIGTERM))
	}
	sh.wantRestored()
}

// A terminal that reports no size (fresh ptys, some containers) makes
// go-prompt divide by zero; the shell reads plain lines there instead.
func TestPtyZeroSize(t *testing.T) {
	env, _ := testEnv(t)
	sh := startPty(t, 0, 0, env, "-c", "test:///default")
	sh.expect("xvirsh # ")
	sh.send("domuuid Domain-0\n")
	sh.expect(dom0UUID, "xvirsh # ")
	sh.send("quit\n")
	if code := sh.wait(); code != 0 {
		t.Errorf("exit status %d", code)
	}
	if s := sh.screen(); strings.Contains(s, "panic") || strings.Contains(s, "divide") {
		t.Errorf("crash on a zero-size terminal:\n%s", s)
	}
}

// A signal at the prompt must not leave the terminal raw: SIGTERM ends
// the shell through go-prompt's own exit path, SIGHUP (the terminal went
// away, or kill -HUP) is one go-prompt does not catch.
func TestPtySignalAtPromptRestoresTerminal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			if sig == syscall.SIGHUP && signal.Ignored(syscall.SIGHUP) {
				t.Skip("run with SIGHUP ignored (nohup): xvirsh inherits that and rightly outlives a hangup")
			}
			env, _ := testEnv(t)
			sh := startPty(t, 24, 80, env, "-q", "-c", "test:///default")
			sh.expect("xvirsh # ")
			sh.cmd.Process.Signal(sig)
			sh.wait()
			sh.wantRestored()
		})
	}
}

// With a terminal on stdin and stdout but no controlling terminal
// (daemons, some CI runners), go-prompt would panic opening /dev/tty;
// the shell reads lines instead.
func TestNoControllingTerminal(t *testing.T) {
	env, _ := testEnv(t)
	sh := startPtyNoCtty(t, env, "-q", "-c", "test:///default")
	sh.send("domuuid Domain-0\n")
	sh.expect(dom0UUID)
	sh.send("quit\n")
	if code := sh.wait(); code != 0 {
		t.Errorf("exit status %d", code)
	}
	if s := sh.screen(); strings.Contains(s, "panic") {
		t.Errorf("panic:\n%s", s)
	}
}
