package commands

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"golang.org/x/term"

	"xvirsh/backend"
)

// xenconsoleClients are where Xen installs xend's console client, the
// program `xm console` runs (xm/main.py xm_console: xenconsole DOMID).
// Its escape is Ctrl-], virsh's default. $XVIRSH_XENCONSOLE names
// another.
var xenconsoleClients = []string{
	"/usr/lib/xen/bin/xenconsole",
	"/usr/lib64/xen/bin/xenconsole",
	"/usr/libexec/xen/bin/xenconsole",
}

const xenconsoleEnv = "XVIRSH_XENCONSOLE"

func consoleCommand() *Command {
	return &Command{
		Name:        "console",
		Group:       groupDomain,
		Summary:     "connect to the guest console",
		Description: "Connect the virtual serial console for the guest\nOn a local xend this runs xend's console client (xenconsole) for the\ndomain, as `xm console` does, or without it joins the domain's pty;\nCtrl-] leaves it.",
		Opts:        []Opt{domainOpt("domain name, id or uuid", guestActive)},
		Run:         runConsole,
	}
}

// runConsole checks in virsh's order (cmdConsole): the domain, that it
// runs, a terminal on stdin, then opening the console, which a
// read-only connection may not.
func runConsole(ctx context.Context, inv *Invocation) error {
	d, err := inv.domain(ctx)
	if err != nil {
		return err
	}
	if !d.State.Active() {
		return errorf("The domain is not running")
	}
	if d.ID == 0 {
		return errorf("Domain-0 has no console of its own: it is the host, whose console is this terminal's")
	}
	in, ok := inv.Env.IO.In.(*os.File)
	if !ok || !term.IsTerminal(int(in.Fd())) {
		return errorf("Cannot run interactive console without a controlling TTY")
	}
	if err := backend.AllowChange(inv.Backend, "virDomainOpenConsole"); err != nil {
		return err
	}
	if err := localXend(inv.Backend.URI()); err != nil {
		return &Error{Msg: fmt.Sprintf("cannot open the console of domain '%s'", d.Name), Err: err}
	}
	client, err := findXenconsole()
	if errors.Is(err, errNoXenconsole) {
		// Without xend's client, the domain's pty itself, where the
		// host names it.
		xml, xerr := inv.Backend.XML(ctx, d.Ref(), false)
		tty := ""
		if xerr == nil {
			tty = consoleTTY(xml)
		}
		if tty == "" {
			return &Error{Msg: fmt.Sprintf("cannot open the console of domain '%s'", d.Name), Err: err}
		}
		inv.status("Connected to domain '%s'\nEscape character is ^] (Ctrl + ])\n", d.Name)
		if err := relayConsole(ctx, in, inv.Out, tty); err != nil {
			return &Error{Msg: fmt.Sprintf("console of domain '%s' ended with an error", d.Name), Err: err}
		}
		fmt.Fprintln(inv.Out)
		return nil
	}
	if err != nil {
		return &Error{Msg: fmt.Sprintf("cannot open the console of domain '%s'", d.Name), Err: err}
	}
	inv.status("Connected to domain '%s'\nEscape character is ^] (Ctrl + ])\n", d.Name)
	cmd := exec.CommandContext(ctx, client, strconv.Itoa(d.ID))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = in, inv.Out, inv.Env.IO.Err
	if err := cmd.Run(); err != nil {
		return &Error{Msg: fmt.Sprintf("console of domain '%s' ended with an error", d.Name), Err: err}
	}
	// xenconsole leaves the cursor where the guest put it.
	fmt.Fprintln(inv.Out)
	return nil
}

// localXend says why a console cannot be reached through this connection:
// the console is a pty on the Xen host, which only a process on that host
// can open; xend serves none over HTTP.
func localXend(uri string) error {
	u, err := url.Parse(uri)
	if err != nil {
		return fmt.Errorf("unreadable connection URI %q", uri)
	}
	switch u.Scheme {
	case "xen", "xen+unix":
		return nil
	case "test":
		return fmt.Errorf("Operation not supported: the demo host %s runs no hypervisor, so its domains have no console; console needs a local xend (xen:///)", uri)
	}
	return fmt.Errorf("Operation not supported: the console is a pty on the Xen host and xend at %s serves no consoles over HTTP; run xvirsh -c xen:/// console there (ssh -t %s)", uri, u.Hostname())
}

func findXenconsole() (string, error) {
	if p := os.Getenv(xenconsoleEnv); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("$%s=%s: %s", xenconsoleEnv, p, errnoText(err))
		}
		return p, nil
	}
	for _, p := range xenconsoleClients {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w (looked for %s; $%s names another) and xend does not name the domain's pty",
		errNoXenconsole, strings.Join(xenconsoleClients, ", "), xenconsoleEnv)
}

var errNoXenconsole = errors.New("xend's console client is not installed")
