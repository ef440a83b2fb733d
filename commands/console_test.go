package commands

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
	"golang.org/x/term"

	"xvirsh/backend"
	"xvirsh/backend/connect"
)

// uriBackend is a demo host that says it is reached through another URI,
// so that console takes it for a local or a remote xend.
type uriBackend struct {
	backend.Backend
	uri string
}

func (b uriBackend) URI() string { return b.uri }

// consoleEnv is an Env on the demo host, as reached through uri, whose
// standard input is a terminal.
func consoleEnv(t *testing.T, uri string) (*Env, *strings.Builder, *strings.Builder) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	t.Cleanup(func() { ptmx.Close(); tty.Close() })
	b, err := connect.Open("test:///default")
	if err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	e := NewEnv(&IOStreams{In: tty, Out: &out, Err: &errb}, uri,
		func(context.Context, string) (backend.Backend, error) { return uriBackend{b, uri}, nil })
	t.Cleanup(func() { e.Close() })
	return e, &out, &errb
}

func TestConsole(t *testing.T) {
	dir := t.TempDir()
	argsFile := filepath.Join(dir, "args")
	client := filepath.Join(dir, "xenconsole")
	script := "#!/bin/sh\necho \"$@\" > " + argsFile + "\necho guest login:\n"
	if err := os.WriteFile(client, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(xenconsoleEnv, client)

	t.Run("local xend runs xenconsole DOMID", func(t *testing.T) {
		e, out, errb := consoleEnv(t, "xen:///")
		if ok, _ := e.ExecLine(context.Background(), "console fc8"); !ok {
			t.Fatalf("console failed: %s", errb)
		}
		args, _ := os.ReadFile(argsFile)
		if string(args) != "2\n" {
			t.Errorf("xenconsole got %q, want the domid 2", args)
		}
		want := "Connected to domain 'fc8'\nEscape character is ^] (Ctrl + ])\nguest login:\n"
		if !strings.HasPrefix(out.String(), want) {
			t.Errorf("stdout = %q, want %q first", out, want)
		}
	})
	for _, tc := range []struct{ name, uri, line, stderr string }{
		{"demo host", "test:///default", "console fc8",
			"error: cannot open the console of domain 'fc8'\nerror: Operation not supported: the demo host test:///default runs no hypervisor, so its domains have no console; console needs a local xend (xen:///)\n"},
		{"remote xend", "http://xen1:8000/", "console winxp",
			"error: cannot open the console of domain 'winxp'\nerror: Operation not supported: the console is a pty on the Xen host and xend at http://xen1:8000/ serves no consoles over HTTP; run xvirsh -c xen:/// console there (ssh -t xen1)\n"},
		{"read-only", "xen:///", "connect --readonly; console fc8",
			"error: operation forbidden: read only access prevents virDomainOpenConsole\n"},
		{"shut off", "xen:///", "console rhel5", "error: The domain is not running\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _, errb := consoleEnv(t, tc.uri)
			if ok, _ := e.ExecLine(context.Background(), tc.line); ok {
				t.Fatal("console succeeded")
			}
			if errb.String() != tc.stderr {
				t.Errorf("stderr = %q\nwant     %q", errb, tc.stderr)
			}
		})
	}
	t.Run("no client installed", func(t *testing.T) {
		t.Setenv(xenconsoleEnv, filepath.Join(dir, "missing"))
		e, _, errb := consoleEnv(t, "xen:///")
		e.ExecLine(context.Background(), "console fc8")
		if !strings.Contains(errb.String(), "missing: ") {
			t.Errorf("stderr = %q", errb)
		}
	})
}

// ttyBackend is a demo host that names path as every domain's console
// pty, as xenstore would.
type ttyBackend struct {
	uriBackend
	path string
}

func (b ttyBackend) XML(ctx context.Context, ref string, inactive bool) (string, error) {
	x, err := b.Backend.XML(ctx, ref, inactive)
	return regexp.MustCompile(`tty='[^']*'`).ReplaceAllString(x, "tty='"+b.path+"'"), err
}

// TestConsolePty: without xenconsole, console joins the domain's pty
// itself: what the guest writes comes out, what is typed goes in, and
// Ctrl-] leaves.
func TestConsolePty(t *testing.T) {
	t.Setenv(xenconsoleEnv, "")
	saved := xenconsoleClients
	xenconsoleClients = []string{filepath.Join(t.TempDir(), "none")}
	defer func() { xenconsoleClients = saved }()

	guest, guestTTY, err := pty.Open() // the domain's console, xenconsoled's end and its pty
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer guest.Close()
	defer guestTTY.Close()
	if _, err := term.MakeRaw(int(guestTTY.Fd())); err != nil {
		t.Fatal(err)
	}
	user, userTTY, err := pty.Open() // the operator's terminal
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer user.Close()
	defer userTTY.Close()

	b, err := connect.Open("test:///default")
	if err != nil {
		t.Fatal(err)
	}
	out := &promptWatch{}
	e := NewEnv(&IOStreams{In: userTTY, Out: out, Err: out}, "xen:///",
		func(context.Context, string) (backend.Backend, error) {
			return ttyBackend{uriBackend{b, "xen:///"}, guestTTY.Name()}, nil
		})
	defer e.Close()

	typed := make(chan string, 1)
	go func() {
		// Wait until console holds the terminal raw, then talk.
		for i := 0; i < 2000; i++ {
			tio, err := unix.IoctlGetTermios(int(userTTY.Fd()), ioctlGetTermios)
			if err == nil && tio.Lflag&unix.ICANON == 0 {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		guest.WriteString("guest login: ")
		user.WriteString("root\r")
		buf := make([]byte, 64)
		guest.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, _ := guest.Read(buf)
		typed <- string(buf[:n])
		time.Sleep(100 * time.Millisecond) // let the guest's words reach the terminal
		user.Write([]byte{escapeKey})
	}()
	ok, _ := e.ExecLine(context.Background(), "console fc8")
	if !ok {
		t.Fatalf("console failed: %s", out)
	}
	if got := <-typed; got != "root\r" {
		t.Errorf("the guest read %q, want what was typed", got)
	}
	if want := "Connected to domain 'fc8'\nEscape character is ^] (Ctrl + ])\nguest login: \n"; !strings.HasPrefix(out.String(), want) {
		t.Errorf("output %q, want %q", out, want)
	}
	if tio, err := unix.IoctlGetTermios(int(userTTY.Fd()), ioctlGetTermios); err != nil || tio.Lflag&unix.ICANON == 0 {
		t.Error("the terminal was left in raw mode")
	}
}
