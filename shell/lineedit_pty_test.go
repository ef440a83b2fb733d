//go:build linux

package shell_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Keys as a terminal sends them.
const (
	altB      = "\x1bb"
	altF      = "\x1bf"
	altD      = "\x1bd"
	altBS     = "\x1b\x7f"
	ctrlLeft  = "\x1b[1;5D"
	ctrlRight = "\x1b[1;5C"
	ctrlA     = "\x01"
	ctrlC     = "\x03"
	ctrlE     = "\x05"
	ctrlR     = "\x12"
	ctrlY     = "\x19"
	ctrlZ     = "\x1a"
	f5        = "\x1b[15~"

	pasteOn  = "\x1b[?2004h"
	pasteOff = "\x1b[?2004l"
)

// wantLine waits for a whole output line and for more (the output
// matched is consumed: what is still wanted after it goes into more).
func (s *ptyShell) wantLine(line string, more ...string) {
	s.t.Helper()
	s.expect(append([]string{"\n" + line + "\n"}, more...)...)
}

// wantEcho waits for what `echo text` prints under -q, as virsh does:
// the text on a line of its own start and no line end, the next prompt
// right after it.
func (s *ptyShell) wantEcho(text string) {
	s.t.Helper()
	s.expect("\n"+text, "xvirsh # ")
}

// Issue 12, point 1: Tab completes as readline does. "domi" Tab "nfo
// winxp" runs dominfo (go-prompt inserted the first match: "domidnfo");
// a second Tab lists the choices; a single match completes with a blank;
// nothing is drawn while typing.
func TestPtyTabCompletesLikeReadline(t *testing.T) {
	env, _ := testEnv(t)
	sh := startPty(t, 24, 100, env, "-q", "-c", "test:///default")
	sh.expect("xvirsh # ")

	sh.typeKeys("domi")
	sh.expect("domi")
	if sh.lastRaw != "domi" {
		t.Errorf("typing wrote %q, want just the typed text", sh.lastRaw)
	}
	sh.send("\t")
	sh.typeKeys("nfo winxp")
	sh.send("\r")
	sh.wantLine("Name:           winxp", "xvirsh # ")
	if strings.Contains(sh.screen(), "domidnfo") {
		t.Errorf("Tab inserted a match:\n%s", sh.screen())
	}

	sh.typeKeys("domi")
	sh.send("\t")
	sh.cursorLine("xvirsh # domi")
	sh.send("\t")
	sh.wantLine("domid      domiflist  dominfo", "xvirsh # domi")
	sh.cursorLine("xvirsh # domi")
	sh.send(ctrlC)
	sh.expect("xvirsh # ")

	sh.typeKeys("dumpx")
	sh.send("\t")
	sh.expect("ml ")
	sh.cursorLine("xvirsh # dumpxml")
	sh.typeKeys("fc8")
	sh.send("\r")
	sh.wantLine("  <name>fc8</name>", "xvirsh # ")

	sh.send("quit\r")
	if code := sh.wait(); code != 0 {
		t.Errorf("exit status %d", code)
	}
	sh.wantRestored()
}

// Point 2: a bracketed paste stays in the line until Enter, however many
// lines it holds; the terminal's paste marking is on while a line is
// edited and off while commands run and after the shell.
func TestPtyBracketedPaste(t *testing.T) {
	env, _ := testEnv(t)
	sh := startPty(t, 24, 100, env, "-q", "-c", "test:///default")
	sh.expect("xvirsh # ")
	paste := "\x1b[200~domstate winxp\ndomstate Domain-0\n\x1b[201~"

	sh.send(paste)
	sh.expect("domstate winxp; domstate Domain-0")
	sh.cursorLine("xvirsh # domstate winxp; domstate Domain-0")
	sh.send(ctrlC)
	sh.send("echo MARK\r")
	sh.wantEcho("MARK")
	for _, l := range strings.Split(sh.screen(), "\n") {
		if l == "idle" || l == "running" {
			t.Fatalf("the paste ran without Enter:\n%s", sh.screen())
		}
	}

	sh.send(paste)
	sh.expect("domstate winxp; domstate Domain-0")
	sh.send("\r")
	sh.wantLine("idle", "\nrunning\n", "xvirsh # ")
	sh.send("quit\r")
	sh.wait()
	sh.wantRestored()

	raw := sh.raw()
	if !strings.Contains(raw, "xvirsh # "+pasteOn) {
		t.Errorf("paste marking not turned on at the prompt: %q", raw)
	}
	if !strings.Contains(raw, "domstate Domain-0"+pasteOff+"\r\nidle") {
		t.Errorf("paste marking not off while the commands ran: %q", raw)
	}
	if strings.LastIndex(raw, pasteOn) > strings.LastIndex(raw, pasteOff) {
		t.Errorf("paste marking left on after the shell: %q", raw)
	}
}

// esc matches the escape sequences a terminal-independent stream may hold:
// the paste marking only.
var strayEscape = regexp.MustCompile(`\x1b(?:\[\?2004[hl])?`)

// Point 3: the same lines whatever the terminal: a 40x120 terminal (the
// line editor) and one with no size (the plain loop) get the same
// transcript, and the editor's stream has no colour, no redraws, no
// escape code but the paste marking.
func TestPtySameLinesAnySize(t *testing.T) {
	session := func(rows, cols uint16) (screen, raw string) {
		env, _ := testEnv(t)
		sh := startPty(t, rows, cols, env, "-c", "test:///default")
		sh.expect("xvirsh # ")
		sh.typeKeys("list --all\r")
		sh.expect("winxp", "xvirsh # ")
		sh.send("dominfo fc8\r")
		sh.expect("Managed save:", "xvirsh # ")
		sh.send("dominfo nosuch\r")
		sh.expect("error: failed to get domain 'nosuch'", "xvirsh # ")
		sh.send("quit\r")
		if code := sh.wait(); code != 0 {
			t.Errorf("%dx%d: exit status %d", rows, cols, code)
		}
		sh.wantRestored()
		return strings.TrimRight(sh.screen(), "\n"), sh.raw()
	}
	sized, raw := session(40, 120)
	unsized, _ := session(0, 0)
	if sized != unsized {
		t.Errorf("transcripts differ:\n--- 40x120\n%s\n--- no size\n%s", sized, unsized)
	}
	if n := strings.Count(raw, "xvirsh # "); n != 4 {
		t.Errorf("the prompt was drawn %d times for 3 commands and quit:\n%q", n, raw)
	}
	for _, m := range strayEscape.FindAllString(raw, -1) {
		if m == "\x1b" {
			t.Errorf("escape codes besides the paste marking:\n%q", raw)
			break
		}
	}
}

// Point 4: Emacs keys edit the line as in readline, unknown keys put
// nothing into it (nor into the history), Ctrl-R finds an earlier line.
func TestPtyEmacsKeys(t *testing.T) {
	env, cache := testEnv(t)
	// Not quiet, so that each echo ends its line (with the blank line
	// every command ends with) and the next prompt starts a line of its own.
	sh := startPty(t, 24, 100, env, "-c", "test:///default")
	sh.expect("xvirsh # ")
	for _, tc := range []struct {
		keys []string
		want string
	}{
		{[]string{"echo alpha beta", altB, "X"}, "alpha Xbeta"},
		{[]string{"echo alpha beta", ctrlLeft, ctrlLeft, altF, "Y"}, "alphaY beta"},
		{[]string{"echo alpha beta", ctrlA, ctrlRight, altD, ctrlE, ctrlY}, "beta alpha"},
		{[]string{"echo alpha beta", altBS, "gamma"}, "alpha gamma"},
		{[]string{"echo a", "\x1bx", f5, "\x1b[1;2P", "b", "\x1b"}, "ab"},
		{[]string{"echo needle-one"}, "needle-one"},
		{[]string{"echo other"}, "other"},
	} {
		for _, k := range tc.keys {
			sh.send(k)
		}
		// The screen shows the line as edited, and that line runs.
		sh.cursorLine("xvirsh # echo " + tc.want)
		sh.send("\r")
		sh.wantLine(tc.want, "xvirsh # ")
	}

	sh.send(ctrlR)
	sh.typeKeys("needle")
	sh.cursorLine("(reverse-i-search)`needle': echo needle-one")
	sh.send("\r")
	sh.wantLine("needle-one", "xvirsh # ")

	sh.send("quit\r")
	sh.wait()
	sh.wantRestored()

	hist, err := os.ReadFile(filepath.Join(cache, "xvirsh", "history"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(string(hist), "\x1b\x7f") {
		t.Errorf("raw keys in the history file: %q", hist)
	}
	if !strings.Contains(string(hist), "echo ab\n") {
		t.Errorf("history file: %q", hist)
	}
}

// Ctrl-Z at a job-control shell (bash here, as a user has it) suspends
// xvirsh with the terminal as it was before xvirsh started, and fg brings
// the line back to be finished.
func TestPtyCtrlZSuspends(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	env, _ := testEnv(t)
	env = append(env, "PS1=$ ", "XV="+xvirshBinary(t))
	sh := startProgram(t, bash, t.TempDir(), 24, 100, true, env, "--norc", "--noprofile", "-i")
	sh.expect("$ ")
	sh.send("stty -g > before; \"$XV\" -q -c test:///default\r")
	sh.expect("xvirsh # ")
	sh.send("echo sus")
	sh.expect("echo sus")
	sh.send(ctrlZ)
	sh.expect("Stopped", "$ ")
	sh.send("stty -g > after; cmp before after && echo TERMINAL-RESTORED\r")
	sh.wantLine("TERMINAL-RESTORED", "$ ")
	sh.send("fg\r")
	// Drawn again after fg, not before the stop took effect.
	sh.cursorLine("xvirsh # echo sus")
	sh.send("pended\r")
	sh.wantEcho("suspended")
	sh.send("quit\r")
	sh.expect("$ ")
	sh.send("exit\r")
	sh.wait()
}

// Point 5: file completion goes through a directory whose name has a
// blank: Tab gives the quoted directory, left open, and Tab again the file
// in it, which the command then reads.
func TestPtyFileCompletionThroughBlanks(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "host dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "host dir", "guest.xml"), []byte("<domain/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	env, _ := testEnv(t)
	sh := startPtyIn(t, dir, 24, 100, true, env, "-q", "-c", "test:///default")
	sh.expect("xvirsh # ")
	sh.typeKeys("define ho")
	sh.send("\t")
	sh.expect("'host dir/")
	sh.cursorLine("xvirsh # define 'host dir/")
	sh.send("\t")
	sh.expect("guest.xml' ")
	sh.cursorLine("xvirsh # define 'host dir/guest.xml'")
	sh.send("\r")
	sh.wantLine("error: Failed to define domain from host dir/guest.xml", "xvirsh # ")
	sh.send("quit\r")
	sh.wait()
	sh.wantRestored()
}

// Point 7: a session at a terminal ends with status 0 even after a failed
// last command, as virsh's interactive mode does, on the line editor and
// on the plain loop alike (a piped session keeps 1: repl.txtar).
func TestPtyInteractiveStatus(t *testing.T) {
	for _, size := range []uint16{0, 80} {
		env, _ := testEnv(t)
		sh := startPty(t, 24, size, env, "-c", "test:///default")
		sh.expect("xvirsh # ")
		sh.send("dominfo nosuch\r")
		sh.expect("error: failed to get domain 'nosuch'", "xvirsh # ")
		sh.send("\x04")
		if code := sh.wait(); code != 0 {
			t.Errorf("width %d: exit status %d after a failed last command, want 0", size, code)
		}
		sh.wantRestored()
	}
}

// Colour only when the terminal says it takes it (COLORTERM) and NO_COLOR
// is not set; then only the prompt is coloured, output lines never.
func TestPtyColourOnlyWhenAsked(t *testing.T) {
	for _, tt := range []struct {
		extra  []string
		colour bool
	}{
		{nil, false},
		{[]string{"COLORTERM=truecolor"}, true},
		{[]string{"COLORTERM=truecolor", "NO_COLOR=1"}, false},
	} {
		env, _ := testEnv(t)
		sh := startPty(t, 24, 80, append(env, tt.extra...), "-q", "-c", "test:///default")
		sh.expect("xvirsh # ")
		sh.send("domid Domain-0\r")
		sh.wantLine("0", "xvirsh # ")
		sh.send("quit\r")
		sh.wait()
		raw := sh.raw()
		hasColour := regexp.MustCompile(`\x1b\[[0-9;]*m`).MatchString(raw)
		if hasColour != tt.colour {
			t.Errorf("env %q: colour %v, want %v:\n%q", tt.extra, hasColour, tt.colour, raw)
		}
		if strings.Contains(raw, "\x1b[0;39;49m0") || !strings.Contains(raw, "\r\n0\r\n") {
			t.Errorf("env %q: output line coloured or cut: %q", tt.extra, raw)
		}
	}
}
