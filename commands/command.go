// Package commands is xvirsh's command table and the machinery generated
// from it: the tokenizer, the argument binder, help, completion and the
// dispatcher. Each command is one Command value; nothing outside the table
// switches on a command name.
package commands

import (
	"context"
	"io"
)

// Kind is the type of an option's value. It decides how the binder consumes
// words and how help writes the synopsis.
type Kind int

const (
	KindBool   Kind = iota + 1 // present or not; never takes a value
	KindString                 // one word
	KindNumber                 // one word, parsed by the handler (plain or scaled integer)
	KindArgv                   // every remaining data word; must be the last option
)

// Completer returns every candidate for an option value; the caller filters
// by prefix. It must not print and should return quickly.
type Completer func(ctx context.Context, e *Env, word string) []Candidate

// Opt is one option of a command.
type Opt struct {
	Name       string
	Kind       Kind
	Required   bool
	Positional bool // may be given as plain data, in declaration order
	Help       string
	Complete   Completer
	// NoComplete says a String/Number option deliberately has no completer
	// (the table test insists on one or the other).
	NoComplete bool
}

// Flags mark commands that behave differently in the dispatcher or help.
type Flags int

const (
	// Hidden commands run but do not appear in help or completion.
	Hidden Flags = 1 << iota
	// NoBackend commands run without opening a connection.
	NoBackend
	// Quit ends the current line and the shell after it runs.
	Quit
	// Changes marks a command that changes the host. On a read-only
	// connection (-r, connect --readonly) every command runs against
	// backend.ReadOnly, which refuses each change with virsh's message
	// after the command's own context line, as virsh prints both; the
	// flag is the table's list of what must be refused, and
	// TestReadOnlyRefusesChanges holds each flagged command to it.
	Changes
)

// Group is a help section, like virsh's "Domain Management (help keyword
// 'domain')".
type Group struct {
	Name    string
	Keyword string
}

// Command is one row of the table.
type Command struct {
	Name        string
	Group       *Group
	Summary     string // one line, shown in `help`
	Description string // paragraph shown in `help NAME`; may be empty
	Opts        []Opt
	Flags       Flags
	Run         func(ctx context.Context, inv *Invocation) error
}

func (c *Command) has(f Flags) bool { return c.Flags&f != 0 }

// Opt returns the option called name, or nil.
func (c *Command) Opt(name string) *Opt {
	for i := range c.Opts {
		if c.Opts[i].Name == name {
			return &c.Opts[i]
		}
	}
	return nil
}

// IOStreams are the streams a command writes to. Data goes to Out, errors
// (printed by the dispatcher only) to Err.
type IOStreams struct {
	In       io.Reader
	Out, Err io.Writer
}

// Candidate is one completion: Text replaces the word before the cursor
// (from CompletionWord's start); Value is that word as the command will
// read it, quotes removed.
type Candidate struct {
	Text, Description string
	Value             string
}
