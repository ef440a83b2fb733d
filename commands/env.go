package commands

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"xvirsh/backend"
	"xvirsh/backend/connect"
)

// Env is what every command runs against: the streams, the connection and
// the command table. The shell and main build one and keep it for the
// whole session.
type Env struct {
	IO  *IOStreams
	URI string // current connection URI
	// Backend returns the connection, opening it on first use so that
	// help and the converters work with no host at all. ctx is the
	// command's: Ctrl-C must be able to abandon a host that never answers
	// the first request.
	Backend func(ctx context.Context) (backend.Backend, error)
	// Connect opens a connection for a URI (backend/connect.OpenContext in
	// main); ctx bounds what opening waits for (a directory lock).
	Connect func(ctx context.Context, uri string) (backend.Backend, error)
	Quiet   bool
	// ReadOnly is virsh's -r: the connection refuses every change
	// (set by -r and by connect --readonly, cleared by connect).
	ReadOnly bool
	// Interactive is set by the shell: commands run from its prompt (or
	// from lines piped into it), not from the command line. cd needs it.
	Interactive bool
	// Commands is the table; nil means Default().
	Commands []*Command

	mu       sync.Mutex
	conn     backend.Backend // what the lazy Backend opened, closed by Close
	switched bool            // connect replaced the lazy Backend
	domains  domainCache
}

// NewEnv returns an Env whose Backend opens uri through open on first use.
func NewEnv(streams *IOStreams, uri string, open func(ctx context.Context, uri string) (backend.Backend, error)) *Env {
	e := &Env{IO: streams, URI: uri, Connect: open}
	e.Backend = e.lazy(uri)
	return e
}

// lazy opens uri once; a failed open is retried on the next command, as
// virsh retries a lost connection. A completion's background fetch and a
// command may both want the connection: the second joins the open already
// under way (its result is theirs too) and stops waiting when its own ctx
// ends, so Ctrl-C never waits on someone else's slow host.
func (e *Env) lazy(uri string) func(ctx context.Context) (backend.Backend, error) {
	type opening struct {
		done chan struct{}
		b    backend.Backend
		err  error
	}
	var (
		b   backend.Backend // guarded by e.mu
		cur *opening        // the open under way, guarded by e.mu
	)
	return func(ctx context.Context) (backend.Backend, error) {
		e.mu.Lock()
		if b != nil {
			defer e.mu.Unlock()
			return b, nil
		}
		if o := cur; o != nil {
			e.mu.Unlock()
			select {
			case <-o.done:
				return o.b, o.err
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		o := &opening{done: make(chan struct{})}
		cur = o
		e.mu.Unlock()

		o.b, o.err = e.open(ctx, uri)
		e.mu.Lock()
		cur = nil
		switch {
		case o.err != nil:
		case e.switched:
			// connect replaced this connection while it opened.
			o.b.Close()
			o.b, o.err = nil, errors.New("connection replaced")
		default:
			b, e.conn = o.b, o.b
		}
		e.mu.Unlock()
		close(o.done)
		return o.b, o.err
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
	b, err := e.Connect(ctx, uri)
	if err != nil {
		return nil, err
	}
	// The demo host answers from memory: there is no daemon to find dead,
	// and its format is read when a command needs it. A probe would build
	// its node record for nothing, and a deadline arm a timer and have the
	// one-shot context catch Ctrl-C (see call).
	if connect.Resident(uri) {
		return b, nil
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	if _, err := b.ConfigFormat(ctx); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// CheckURI reports, with virsh's error, a URI that names no host at all
// (a typing error, an unknown scheme), so that the run ends at once with
// status 1 as virsh's does, rather than opening a session in which every
// command fails, or running a script whose last command needs no host.
// Whether the host answers is still left to the first command that
// needs it: help and the converters work with xend down.
func (e *Env) CheckURI() bool {
	if err := connect.Check(e.URI); err != nil {
		e.printErr(connectError(err))
		return false
	}
	return true
}

// switchTo makes b the connection for uri, closing the one opened before.
func (e *Env) switchTo(uri string, b backend.Backend) {
	e.mu.Lock()
	old := e.conn
	e.conn, e.switched = b, true
	e.mu.Unlock()
	if old != nil && old != b {
		old.Close()
	}
	e.URI = uri
	e.mu.Lock()
	e.Backend = func(context.Context) (backend.Backend, error) { return b, nil }
	e.mu.Unlock()
	e.domains.reset()
}

// backendFunc is e.Backend, for a goroutine other than the one that runs
// commands (connect replaces it).
func (e *Env) backendFunc() func(context.Context) (backend.Backend, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.Backend
}

// Close closes the connection the Env opened, if any.
func (e *Env) Close() error {
	e.domains.stop()
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

// find returns the command called name, hidden ones included. Until
// something needs the whole table (help, completion), it builds the
// families one by one and stops at the one that has name: a one-shot
// command spent a quarter of a millisecond building and sorting every
// command (31 KB of options and closures) to run one.
func (e *Env) find(name string) *Command {
	if e.Commands == nil {
		for _, family := range families() {
			for _, c := range family() {
				if c.Name == name {
					return c
				}
			}
		}
		return nil
	}
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
		inv, err := e.parse(w)
		if err != nil {
			e.printErr(err)
			return false, false
		}
		invs = append(invs, inv)
	}
	ok = true
	for i, inv := range invs {
		// Ctrl-C stops the line, not just the command it caught: the
		// rest would only fail one by one with "interrupted". The status
		// stays the last run command's (xend-sim ends well on Ctrl-C).
		if i > 0 && ctx.Err() != nil {
			return ok, false
		}
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
	inv, err := e.parse(args)
	if err != nil {
		e.printErr(err)
		return false
	}
	return e.run(ctx, inv)
}

// parse finds the command and binds its words; `CMD --help` becomes
// `help CMD`.
func (e *Env) parse(words []string) (*Invocation, error) {
	cmd := e.find(words[0])
	if cmd == nil {
		return nil, fmt.Errorf("unknown command: '%s'", words[0])
	}
	inv, err := e.newInvocation(cmd, words[1:])
	if errors.Is(err, errHelp) {
		help := e.find("help")
		return e.newInvocation(help, []string{"--", cmd.Name})
	}
	return inv, err
}

// run executes a bound command: opens the connection when the command
// needs one, prints the handler's error, then virsh's blank line, which
// virsh prints only after a command that ran: not when the connection
// could not be opened.
func (e *Env) run(ctx context.Context, inv *Invocation) bool {
	ran, err := e.call(backend.WithWarnings(ctx, e.warner()), inv)
	// Any command may have changed the domains completion offers.
	e.domains.commandRan(e)
	if err != nil {
		e.printErr(err)
	}
	if ran && !e.Quiet && !inv.Cmd.has(Quit) {
		// Write, not io.WriteString: asking whether Out is a
		// StringWriter makes the runtime build that pairing's method
		// table the first time, reading all of *os.File's methods: some
		// 40 µs of a one-shot command, for one byte.
		e.IO.Out.Write(newline)
	}
	return err == nil
}

var newline = []byte{'\n'}

func (e *Env) call(ctx context.Context, inv *Invocation) (ran bool, err error) {
	// A one-shot command's context catches Ctrl-C (and SIGTERM, SIGHUP)
	// from the moment its Done channel is asked for (main.go): what
	// waits on it asks anyway, and so, here, does every command that may
	// change a host or write a file, or that opens anything but the demo
	// host, so that a signal lets it finish or clean up rather than
	// killing it mid-write. One that only reads the demo host, held in
	// this process's memory, has nothing to wait for or clean up.
	if inv.Cmd.has(Changes|NoBackend) || !connect.Resident(e.URI) {
		ctx.Done()
	}
	if !inv.Cmd.has(NoBackend) {
		if err := inv.connect(ctx); err != nil {
			return false, err
		}
	}
	// A handler bug must not take the shell down with it.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %s: %v", inv.Cmd.Name, r)
		}
	}()
	return true, inv.Cmd.Run(ctx, inv)
}

// connect gives inv the session's connection, opening it on first use.
func (inv *Invocation) connect(ctx context.Context) error {
	b, err := inv.Env.Backend(ctx)
	if err != nil {
		return connectError(err)
	}
	// Every command gets the read-only view, flagged Changes or not:
	// a command the table forgot to flag must still not change the host.
	if inv.Env.ReadOnly {
		b = backend.ReadOnly(b)
	}
	inv.Backend = b
	return nil
}

// connectError is virsh's report of a connection that could not be
// opened, with the cause on the next line.
func connectError(err error) error {
	return &Error{Msg: "failed to connect to the hypervisor", Err: err}
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

// warner is the one place a host's warnings reach the operator: each
// distinct one once per command, on stderr, as `warning: …`, at the moment
// the host meets it (a lock wait is news while it lasts, not after).
func (e *Env) warner() func(string) {
	var mu sync.Mutex
	seen := map[string]bool{}
	return func(msg string) {
		mu.Lock()
		defer mu.Unlock()
		if seen[msg] {
			return
		}
		seen[msg] = true
		fmt.Fprintf(e.IO.Err, "warning: %s\n", backend.PrintableLines(msg))
	}
}

// printErr writes err as virsh does: `error: ` and one line per level of
// *Error context.
func (e *Env) printErr(err error) {
	if errors.Is(err, errGiveUp) {
		return // reported already (edit)
	}
	w := e.IO.Err
	for err != nil {
		if ce, ok := err.(*Error); ok {
			fmt.Fprintf(w, "error: %s\n", backend.PrintableLines(ce.Msg))
			err = ce.Err
			continue
		}
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(w, "error: interrupted")
			return
		}
		// A deadline with nothing to add says "timed out"; one that names
		// what did not answer (xend at ADDR …) is printed as it is.
		if errors.Is(err, context.DeadlineExceeded) && err.Error() == context.DeadlineExceeded.Error() {
			fmt.Fprintln(w, "error: timed out")
			return
		}
		// Whatever a host put in an error, a terminal gets no control
		// characters from it.
		fmt.Fprintf(w, "error: %s\n", backend.PrintableLines(err.Error()))
		return
	}
}

// domainCache keeps the domain names and states completion offers.
//
// The prompt asks for completions on Tab, in its input loop: a completion
// that waits on the host freezes typing, and a Ctrl-C typed meanwhile is
// read as a key after the next command rather than stopping it. So in the
// shell the list is fetched in the background (after every command, since
// a command may change it, and every domainCacheRefresh while the shell
// waits), and a Tab takes whatever list is there, however old: a stale list is better than none, and than a frozen line. Only
// when there has never been a list does a Tab wait for the first fetch,
// and then no longer than completionWait after that fetch began.
//
// Outside the shell (a one-shot `complete`, tests) nothing runs in the
// background: a command empties the list, and the next completion fetches
// it, waiting as above.
type domainCache struct {
	mu       sync.Mutex
	at       time.Time // when list was fetched, or the fetch failed
	list     []backend.Domain
	gen      int           // bumped by reset; a fetch from before is dropped
	stale    bool          // a command ran since the list was fetched
	fetching chan struct{} // closed when the fetch in flight ends
	deadline time.Time     // how long completions wait for that fetch
	quit     chan struct{} // closed to end the periodic refresh; nil when none runs
}

const (
	domainCacheTTL     = 2 * time.Second
	domainCacheRefresh = 30 * time.Second
	completionWait     = 500 * time.Millisecond
	// fetchTimeout bounds a background fetch, the first connection
	// included.
	fetchTimeout = probeTimeout
)

// reset forgets the list: the host changed (connect), or, outside the
// shell, a command may have changed its domains.
func (c *domainCache) reset() {
	c.mu.Lock()
	c.list, c.at, c.stale = nil, time.Time{}, false
	c.gen++
	c.mu.Unlock()
}

// commandRan is called after every command. In the shell it starts a
// refresh in the background and keeps the list meanwhile; elsewhere it
// resets it.
func (c *domainCache) commandRan(e *Env) {
	if !e.Interactive {
		c.reset()
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stale = true
	c.startLocked(e.Backend, backend.DomainStates)
	if c.quit == nil {
		c.quit = make(chan struct{})
		go c.tick(e, c.quit)
	}
}

// tick refreshes the list every domainCacheRefresh for the life of the
// shell, so that a Tab after a long pause still finds it current.
func (c *domainCache) tick(e *Env, quit chan struct{}) {
	t := time.NewTicker(domainCacheRefresh)
	defer t.Stop()
	for {
		select {
		case <-quit:
			return
		case <-t.C:
		}
		open := e.backendFunc()
		c.mu.Lock()
		c.startLocked(open, backend.DomainStates)
		c.mu.Unlock()
	}
}

// stop ends the periodic refresh.
func (c *domainCache) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.quit != nil {
		close(c.quit)
		c.quit = nil
	}
}

// startLocked starts a fetch unless one is under way; c.mu is held. The
// shell lists with backend.DomainStates, names and states only, since it
// refreshes after every command; a one-shot completion takes the full
// listing, in virsh's order (running domains by id), as virsh's complete
// command prints it.
func (c *domainCache) startLocked(open func(context.Context) (backend.Backend, error), list lister) {
	if c.fetching != nil {
		return
	}
	c.fetching = make(chan struct{})
	c.deadline = time.Now().Add(completionWait)
	go c.fetch(open, list, c.gen, c.fetching)
}

type lister func(context.Context, backend.Backend) ([]backend.Domain, error)

// listAll is every domain, as brief as completion reads it (its id, name
// and state, see stateFilter).
func listAll(ctx context.Context, b backend.Backend) ([]backend.Domain, error) {
	return b.List(ctx, backend.ListAll|backend.ListBrief)
}

// get returns the list for a completion.
func (c *domainCache) get(ctx context.Context, e *Env) []backend.Domain {
	c.mu.Lock()
	fresh := !c.at.IsZero() && !c.stale && time.Since(c.at) < domainCacheTTL
	if fresh {
		defer c.mu.Unlock()
		return c.list
	}
	// e.Backend is read here, in the goroutine that runs commands (and
	// so connect, which replaces it), not in the fetch.
	list := lister(listAll)
	if e.Interactive {
		list = backend.DomainStates
	}
	c.startLocked(e.Backend, list)
	if !c.at.IsZero() && e.Interactive {
		defer c.mu.Unlock()
		return c.list // whatever age: the refresh just started is for the next Tab
	}
	done, deadline := c.fetching, c.deadline
	c.mu.Unlock()

	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	select {
	case <-done:
	case <-ctx.Done():
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.list
}

func (c *domainCache) fetch(open func(context.Context) (backend.Backend, error), list lister, gen int, done chan struct{}) {
	defer close(done)
	ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
	defer cancel()
	b, err := open(ctx)
	var doms []backend.Domain
	if err == nil {
		doms, err = list(ctx, b)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fetching == done {
		c.fetching = nil
	}
	if gen == c.gen {
		// A failed fetch keeps the list there was: stale beats none.
		if err == nil || c.at.IsZero() {
			c.list = doms
		}
		c.at, c.stale = time.Now(), false
	}
}
