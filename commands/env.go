package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"xvirsh/backend"
)

// Env is what every command runs against: the streams, the connection and
// the command table. The shell and main build one and keep it for the
// whole session.
type Env struct {
	IO  *IOStreams
	URI string // current connection URI
	// Backend returns the connection, opening it on first use so that
	// help and the converters work with no host at all.
	Backend func() (backend.Backend, error)
	// Connect opens a connection for a URI (backend/connect.Open in main).
	Connect func(uri string) (backend.Backend, error)
	Quiet   bool
	// Commands is the table; nil means Default().
	Commands []*Command

	mu      sync.Mutex
	conn    backend.Backend // what the lazy Backend opened, closed by Close
	domains domainCache
}

// NewEnv returns an Env whose Backend opens uri through open on first use.
func NewEnv(streams *IOStreams, uri string, open func(uri string) (backend.Backend, error)) *Env {
	e := &Env{IO: streams, URI: uri, Connect: open}
	e.Backend = e.lazy(uri)
	return e
}

// lazy opens uri once; a failed open is retried on the next command, as
// virsh retries a lost connection.
func (e *Env) lazy(uri string) func() (backend.Backend, error) {
	var b backend.Backend
	return func() (backend.Backend, error) {
		e.mu.Lock()
		defer e.mu.Unlock()
		if b != nil {
			return b, nil
		}
		nb, err := e.open(context.Background(), uri)
		if err != nil {
			return nil, err
		}
		b, e.conn = nb, nb
		return b, nil
	}
}

// probeTimeout bounds the first request to a new connection.
const probeTimeout = 30 * time.Second

// open connects to uri and asks the host for its config format, so that a
// dead daemon is reported as a failed connection (as virsh does) rather
// than by whatever command happens to run first.
func (e *Env) open(ctx context.Context, uri string) (backend.Backend, error) {
	if e.Connect == nil {
		return nil, fmt.Errorf("no connection driver available for %s", uri)
	}
	b, err := e.Connect(uri)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	if _, err := b.ConfigFormat(ctx); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// switchTo makes b the connection for uri, closing the one opened before.
func (e *Env) switchTo(uri string, b backend.Backend) {
	e.mu.Lock()
	old := e.conn
	e.conn = b
	e.mu.Unlock()
	if old != nil && old != b {
		old.Close()
	}
	e.URI = uri
	e.Backend = func() (backend.Backend, error) { return b, nil }
	e.domains.reset()
}

// Close closes the connection the Env opened, if any.
func (e *Env) Close() error {
	e.mu.Lock()
	b := e.conn
	e.conn = nil
	e.mu.Unlock()
	if b == nil {
		return nil
	}
	return b.Close()
}

func (e *Env) commands() []*Command {
	if e.Commands == nil {
		e.Commands = Default()
	}
	return e.Commands
}

// find returns the command called name, hidden ones included.
func (e *Env) find(name string) *Command {
	for _, c := range e.commands() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// ExecLine runs one input line: several `;`-separated commands, comments
// and quotes allowed. Like virsh, the whole line is parsed before anything
// runs, so a typo in the third command runs none of them. It returns
// whether the last command succeeded, and quit when quit/exit ran (the
// rest of the line is then skipped).
func (e *Env) ExecLine(ctx context.Context, line string) (ok bool, quit bool) {
	words, err := Tokenize(line)
	if err != nil {
		e.printErr(err)
		return false, false
	}
	invs := make([]*Invocation, 0, len(words))
	for _, w := range words {
		inv, err := e.parse(ctx, w)
		if err != nil {
			e.printErr(err)
			return false, false
		}
		invs = append(invs, inv)
	}
	ok = true
	for _, inv := range invs {
		ok = e.run(ctx, inv)
		if inv.Cmd.has(Quit) {
			return ok, true
		}
	}
	return ok, false
}

// ExecArgs runs one command given as separate words (one-shot mode), with
// no further splitting or quote handling.
func (e *Env) ExecArgs(ctx context.Context, args []string) (ok bool) {
	if len(args) == 0 {
		return true
	}
	inv, err := e.parse(ctx, args)
	if err != nil {
		e.printErr(err)
		return false
	}
	return e.run(ctx, inv)
}

// parse finds the command and binds its words; `CMD --help` becomes
// `help CMD`.
func (e *Env) parse(ctx context.Context, words []string) (*Invocation, error) {
	cmd := e.find(words[0])
	if cmd == nil {
		return nil, fmt.Errorf("unknown command: '%s'", words[0])
	}
	inv, err := e.newInvocation(ctx, cmd, words[1:])
	if errors.Is(err, errHelp) {
		help := e.find("help")
		return e.newInvocation(ctx, help, []string{"--", cmd.Name})
	}
	return inv, err
}

// run executes a bound command: opens the connection when the command
// needs one, prints the handler's error, then virsh's blank line.
func (e *Env) run(ctx context.Context, inv *Invocation) bool {
	err := e.call(ctx, inv)
	// Any command may have changed the domains completion offers.
	e.domains.reset()
	if err != nil {
		e.printErr(err)
	}
	if !e.Quiet && !inv.Cmd.has(NoBlankLine|Quit) {
		fmt.Fprintln(e.IO.Out)
	}
	return err == nil
}

func (e *Env) call(ctx context.Context, inv *Invocation) (err error) {
	if !inv.Cmd.has(NoBackend) {
		b, err := e.Backend()
		if err != nil {
			return &Error{Msg: "failed to connect to the hypervisor", Err: err}
		}
		inv.Backend = b
	}
	// A handler bug must not take the shell down with it.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %s: %v", inv.Cmd.Name, r)
		}
	}()
	return inv.Cmd.Run(ctx, inv)
}

// Error is a failure with virsh's two-line shape: a context line (Msg,
// "Failed to start domain 'x'") and the cause on its own line.
type Error struct {
	Msg string
	Err error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return e.Msg
	}
	return e.Msg + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// errorf builds a one-line Error.
func errorf(format string, args ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}

// printErr writes err as virsh does: `error: ` and one line per level of
// *Error context.
func (e *Env) printErr(err error) {
	writeErr(e.IO.Err, err)
}

func writeErr(w io.Writer, err error) {
	for err != nil {
		var ce *Error
		if errors.As(err, &ce) && ce == err {
			fmt.Fprintf(w, "error: %s\n", ce.Msg)
			err = ce.Err
			continue
		}
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(w, "error: interrupted")
			return
		}
		if errors.Is(err, context.DeadlineExceeded) {
			fmt.Fprintln(w, "error: timed out")
			return
		}
		fmt.Fprintf(w, "error: %s\n", err)
		return
	}
}

// domainCache keeps the domain list for completion a short while, so that
// Tab on a slow host answers at once on repeated presses.
type domainCache struct {
	mu   sync.Mutex
	at   time.Time
	list []backend.Domain
}

const (
	domainCacheTTL    = 2 * time.Second
	completionTimeout = time.Second
)

func (c *domainCache) reset() {
	c.mu.Lock()
	c.list, c.at = nil, time.Time{}
	c.mu.Unlock()
}

// get returns the cached list or fetches it with a short deadline; a slow
// or broken host yields no candidates rather than a stuck prompt.
func (c *domainCache) get(ctx context.Context, e *Env) []backend.Domain {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.list != nil && time.Since(c.at) < domainCacheTTL {
		return c.list
	}
	ctx, cancel := context.WithTimeout(ctx, completionTimeout)
	defer cancel()
	// The first Tab may be what opens the connection; a host that does not
	// answer must not freeze the prompt, so opening is waited for only as
	// long as a completion may take (it finishes in the background).
	opened := make(chan backend.Backend, 1)
	go func() {
		b, _ := e.Backend()
		opened <- b
	}()
	var b backend.Backend
	select {
	case b = <-opened:
	case <-ctx.Done():
	}
	if b == nil {
		return nil
	}
	list, err := b.List(ctx, backend.ListAll)
	if err != nil {
		return nil
	}
	c.list, c.at = list, time.Now()
	return list
}
