package commands

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"

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
