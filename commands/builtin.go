package commands

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// builtinCommands are the shell's own: help, quit/exit, connect, cd, pwd,
// echo (which virsh lists too), and the hidden complete that makes
// completion scriptable.
func builtinCommands() []*Command {
	quit := func(context.Context, *Invocation) error { return nil }
	return []*Command{
		{
			Name:        "cd",
			Group:       groupShell,
			Summary:     "change the current directory",
			Description: "Change the current directory.",
			Flags:       NoBackend,
			Opts: []Opt{
				{Name: "dir", Kind: KindString, Positional: true,
					Help: "directory to switch to (default: home or else root)", Complete: completeDir},
			},
			Run: runCd,
		},
		{
			Name:    "echo",
			Group:   groupShell,
			Summary: "echo arguments. Used for internal testing.",
			Flags:   NoBackend,
			Opts: []Opt{
				{Name: "string", Kind: KindArgv, Positional: true, Help: "arguments to echo", NoComplete: true},
			},
			Run: func(_ context.Context, inv *Invocation) error {
				// No line end: virsh's echo leaves it to the blank line
				// every command ends with, so `-q echo hi` prints "hi"
				// alone, as virsh does.
				fmt.Fprint(inv.Out, strings.Join(inv.Argv("string"), " "))
				return nil
			},
		},
		{
			Name:    "exit",
			Group:   groupShell,
			Summary: "quit this interactive terminal",
			Description: "Leave the interactive terminal. End of input (Ctrl-D at an empty\n" +
				"prompt) does the same.",
			Flags: NoBackend | Quit,
			Run:   quit,
		},
		{
			Name:        "help",
			Group:       groupShell,
			Summary:     "print help",
			Description: "Prints global help, command specific help, or help for a\ngroup of related commands",
			Flags:       NoBackend,
			Opts: []Opt{
				{Name: "command", Kind: KindString, Positional: true,
					Help:     "Prints global help, command specific help, or help for a group of related commands",
					Complete: completeHelpTopic},
			},
			Run: runHelp,
		},
		{
			Name:        "pwd",
			Group:       groupShell,
			Summary:     "print the current directory",
			Description: "Print the current directory.",
			Flags:       NoBackend,
			Run:         runPwd,
		},
		{
			Name:    "quit",
			Group:   groupShell,
			Summary: "quit this interactive terminal",
			Description: "Leave the interactive terminal. End of input (Ctrl-D at an empty\n" +
				"prompt) does the same.",
			Flags: NoBackend | Quit,
			Run:   quit,
		},
		{
			Name:        "connect",
			Group:       groupShell,
			Summary:     "(re)connect to hypervisor",
			Description: "Connect to a Xen host (or the built-in test host). Without a URI,\nreconnect to the current one.",
			Flags:       NoBackend,
			Opts: []Opt{
				{Name: "name", Kind: KindString, Positional: true, Help: "hypervisor connection URI", Complete: completeURI},
				{Name: "readonly", Kind: KindBool, Help: "read-only connection"},
			},
			Run: runConnect,
		},
		{
			Name:    "complete",
			Group:   groupShell,
			Summary: "print completions for a command line. Used for internal testing.",
			Flags:   Hidden | NoBackend,
			Opts: []Opt{
				{Name: "text", Kind: KindArgv, Positional: true, Help: "the line before the cursor, as words", NoComplete: true},
			},
			Run: func(ctx context.Context, inv *Invocation) error {
				for _, c := range inv.Env.Complete(ctx, strings.Join(inv.Argv("text"), " ")) {
					fmt.Fprintln(inv.Out, c.Text)
				}
				return nil
			},
		},
	}
}

func runHelp(_ context.Context, inv *Invocation) error {
	cmds := inv.Env.commands()
	topic, ok := inv.Lookup("command")
	if !ok {
		writeAllHelp(inv.Out, cmds)
		return nil
	}
	if c := inv.Env.find(topic); c != nil {
		writeCommandHelp(inv.Out, c)
		return nil
	}
	for _, g := range groupsOf(cmds) {
		if g.Keyword == topic {
			writeGroupHelp(inv.Out, g, cmds)
			return nil
		}
	}
	return errorf("command or command group '%s' doesn't exist", topic)
}

func runConnect(ctx context.Context, inv *Invocation) error {
	e := inv.Env
	uri, ok := inv.Lookup("name")
	if !ok {
		uri = e.URI
	}
	b, err := e.open(ctx, uri)
	if err != nil {
		return connectError(err)
	}
	e.switchTo(uri, b)
	e.ReadOnly = inv.Bool("readonly")
	return nil
}

// runCd changes the directory the session's relative file names start
// from. As in virsh, only an interactive session may: a one-shot command
// would change nothing anyone sees.
func runCd(_ context.Context, inv *Invocation) error {
	if !inv.Env.Interactive {
		return errorf("cd: command valid only in interactive mode")
	}
	dir, ok := inv.Lookup("dir")
	if !ok {
		dir = "/"
		if home, err := os.UserHomeDir(); err == nil {
			dir = home
		}
	}
	if err := os.Chdir(dir); err != nil {
		return errorf("cd: %s: %s", errnoText(err), dir)
	}
	return nil
}

func runPwd(_ context.Context, inv *Invocation) error {
	dir, err := os.Getwd()
	if err != nil {
		return errorf("pwd: cannot get the current directory: %s", errnoText(err))
	}
	fmt.Fprintln(inv.Out, dir)
	return nil
}
