package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"golang.org/x/term"

	"xvirsh/backend"
)

// errGiveUp ends edit after the operator answered n: virsh has reported
// the error already and prints nothing more, but the command failed.
var errGiveUp = errors.New("edit abandoned")

func editCommand() *Command {
	return &Command{
		Name:        "edit",
		Group:       groupDomain,
		Summary:     "edit XML configuration for a domain",
		Description: "Edit the XML configuration for a domain.\nThe editor is $VISUAL, else $EDITOR, else vi; saving defines the domain.",
		Flags:       Changes,
		Opts: []Opt{
			domainOpt("domain name, id or uuid", notDom0),
			{Name: "skip-validate", Kind: KindBool, Help: "skip validation of the XML against the schema"},
		},
		Run: runEdit,
	}
}

// runEdit is virsh-edit.c: dump the persistent XML (passwords included)
// to a temporary file, run the editor on it, and define what comes back,
// unless it is unchanged; when the define fails, or someone else changed
// the domain meanwhile, ask what to do, on a terminal only.
func runEdit(ctx context.Context, inv *Invocation) error {
	if err := backend.AllowSecure(inv.Backend); err != nil {
		return err
	}
	d, err := inv.domain(ctx)
	if err != nil {
		return err
	}
	orig, err := inv.Backend.XML(ctx, d.Ref(), true)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp("", "xvirsh*.xml")
	if err != nil {
		return errorf("Failed to create temporary file: %s", errnoText(err))
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = io.WriteString(f, orig)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return errorf("%s: write: %s", tmp, errnoText(err))
	}
	relax := !inv.Bool("skip-validate")
	for {
		if err := runEditor(ctx, inv, tmp); err != nil {
			return err
		}
		edited, err := os.ReadFile(tmp)
		if err != nil {
			return errorf("%s: read: %s", tmp, errnoText(err))
		}
		if string(edited) == orig {
			inv.status("Domain '%s' XML configuration not changed.\n", d.Name)
			return nil
		}
		msg := ""
		// Did someone else change the domain while it was edited?
		if now, err := inv.Backend.XML(ctx, d.Ref(), true); err != nil {
			return err
		} else if now != orig {
			msg = "The XML configuration was changed by another user."
			orig = now
		}
	define:
		for {
			if msg == "" {
				nd, err := defineEdited(ctx, inv, edited)
				if err == nil {
					inv.status("Domain '%s' XML configuration edited.\n", nd.Name)
					return nil
				}
				inv.Env.printErr(err)
				msg = "Failed."
			}
			switch askReedit(inv, msg, relax) {
			case 'y':
				break define
			case 'f':
				msg = ""
			case 'i':
				// xvirsh validates nothing beyond reading the XML, so
				// without validation is the same define again.
				relax = false
				msg = ""
			default:
				return errGiveUp
			}
		}
	}
}

func defineEdited(ctx context.Context, inv *Invocation, xml []byte) (backend.Domain, error) {
	if err := checkXMLSyntax(xml); err != nil {
		return backend.Domain{}, err
	}
	return inv.Backend.Define(ctx, xml)
}

// editorSafe are the characters a command or file name may hold to be run
// without a shell (libvirt's vshEditFile ACCEPTED_CHARS).
const editorSafe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/.+,=:@%"

// runEditor runs $VISUAL, $EDITOR or vi on file as vshEditFile does: an
// editor setting with options or other shell syntax through sh -c, a plain
// one directly; on the session's terminal.
func runEditor(ctx context.Context, inv *Invocation, file string) error {
	editor := os.Getenv("VISUAL")
	if editor == "" {
		editor = os.Getenv("EDITOR")
	}
	if editor == "" {
		editor = "vi"
	}
	var cmd *exec.Cmd
	if strings.Trim(editor, editorSafe) == "" {
		cmd = exec.CommandContext(ctx, editor, file)
	} else {
		if strings.Trim(file, editorSafe) != "" {
			return errorf("%s: temporary filename contains shell meta or other unacceptable characters (is $TMPDIR wrong?)", file)
		}
		cmd = exec.CommandContext(ctx, "sh", "-c", editor+" "+file)
	}
	if in, ok := inv.Env.IO.In.(*os.File); ok {
		cmd.Stdin = in
	}
	cmd.Stdout, cmd.Stderr = inv.Out, inv.Env.IO.Err
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ee):
		return errorf("internal error: Child process (%s %s) unexpected exit status %d", editor, file, ee.ExitCode())
	}
	return errorf("internal error: cannot execute binary %s: %s", editor, errnoText(err))
}

// askReedit is vshAskReedit: on a terminal, one key in raw mode, until it
// is one of the answers; without a terminal no question, and the edit
// fails with the message, as virsh's does.
func askReedit(inv *Invocation, msg string, relax bool) byte {
	in, ok := inv.Env.IO.In.(*os.File)
	if !ok || !term.IsTerminal(int(in.Fd())) {
		inv.Env.printErr(errorf("%s", msg))
		return 'n'
	}
	choices := "[y,n,f,?]"
	if relax {
		choices = "[y,n,i,f,?]"
	}
	state, err := term.MakeRaw(int(in.Fd()))
	if err != nil {
		inv.Env.printErr(errorf("%s", msg))
		return 'n'
	}
	defer func() {
		term.Restore(int(in.Fd()), state)
		fmt.Fprint(inv.Out, "\r\n")
	}()
	raw := func(lines ...string) {
		for _, l := range lines {
			fmt.Fprintf(inv.Out, "%s\r\n", l)
		}
	}
	buf := make([]byte, 1)
	for {
		fmt.Fprintf(inv.Out, "\r%s Try again? %s: ", msg, choices)
		if n, err := in.Read(buf); n == 0 || err != nil {
			return 'n'
		}
		c := buf[0] | 0x20 // lower case
		switch {
		case c == '?':
			raw("", "y - yes, start editor again", "n - no, throw away my changes")
			if relax {
				raw("i - turn off validation and try to redefine again")
			}
			raw("f - force, try to redefine again", "? - print this help")
		case c == 'y' || c == 'n' || c == 'f' || relax && c == 'i':
			return c
		case buf[0] == 3 || buf[0] == 4: // Ctrl-C, Ctrl-D in raw mode
			return 'n'
		}
	}
}

// editText runs the editor on text in a temporary file and gives back
// what was saved, its final line end dropped (desc --edit).
func editText(ctx context.Context, inv *Invocation, text string) (string, error) {
	f, err := os.CreateTemp("", "xvirsh*.txt")
	if err != nil {
		return "", errorf("Failed to create temporary file: %s", errnoText(err))
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = io.WriteString(f, text+"\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", errorf("%s: write: %s", tmp, errnoText(err))
	}
	if err := runEditor(ctx, inv, tmp); err != nil {
		return "", err
	}
	b, err := os.ReadFile(tmp)
	if err != nil {
		return "", errorf("%s: read: %s", tmp, errnoText(err))
	}
	return strings.TrimSuffix(string(b), "\n"), nil
}
