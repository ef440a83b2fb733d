package shell

import (
	"context"
	"fmt"
	"slices"
	"strings"

	prompt "github.com/c-bata/go-prompt"
)

// repl runs go-prompt on the terminal t. It owns t: every way out of here,
// including a panic, restores the terminal to the state it had on entry.
// go-prompt's own exits (os.Exit on SIGINT/SIGTERM/SIGQUIT at the prompt)
// go through t.TearDown first, which restores it as well.
func (s *session) repl(ctx context.Context, t *tty) (code int) {
	defer t.Close()
	defer func() {
		if p := recover(); p != nil {
			t.abandon()
			s.warn(fmt.Errorf("internal error in the prompt: %v", p))
			code = 1
		}
	}()
	stopHUP := restoreOnHangup(t)
	defer stopHUP()

	hist := s.openHistory()

	comp := &completer{ctx: ctx, complete: s.complete}
	var (
		last     int
		leaving  bool
		histWarn bool
	)
	executor := func(line string) {
		// go-prompt has just left raw mode; the command runs on a cooked
		// terminal, so Ctrl-C is SIGINT and reaches runLine.
		if strings.TrimSpace(line) == "" {
			return
		}
		if hist != nil {
			if err := hist.Add(line); err != nil && !histWarn {
				histWarn = true
				s.warn(fmt.Errorf("cannot save history: %w", err))
			}
		}
		r := s.runLine(ctx, line)
		last = status(r.ok)
		switch {
		case r.sig != 0:
			last, leaving = sigStatus(r.sig), true
		case r.quit || ctx.Err() != nil:
			leaving = true
		}
	}
	var histEntries []string
	if hist != nil {
		// A copy: go-prompt appends to the slice it is given.
		histEntries = slices.Clone(hist.Entries())
	}
	p, err := newPrompt(executor, func(prompt.Document) []prompt.Suggest { return nil },
		prompt.OptionParser(&keySplitter{ConsoleParser: t}),
		prompt.OptionPrefix(s.promptText()),
		prompt.OptionLivePrefix(func() (string, bool) { return s.promptText(), true }),
		prompt.OptionTabCompleter(comp.Tab),
		prompt.OptionColor(colorWanted(s.getenv)),
		prompt.OptionBracketedPaste(true),
		prompt.OptionPasteFilter(pasteText),
		prompt.OptionHistory(histEntries),
		prompt.OptionSetExitCheckerOnInput(func(string, bool) bool {
			return leaving || ctx.Err() != nil
		}),
	)
	if err != nil {
		// Nothing has run yet: carry on as if there were no terminal.
		t.Close()
		return s.plain(ctx)
	}
	if !s.quiet {
		fmt.Fprint(s.out, s.banner)
	}
	// Ctrl-D on an empty line makes Run return; go-prompt has then already
	// moved to a new line, as virsh does on EOF.
	p.Run()
	return interactiveStatus(last)
}

// colorWanted says whether the prompt may be coloured: only when the
// terminal says it takes colour (COLORTERM, which colour terminal
// emulators set) and the user has not turned colour off (NO_COLOR, see
// no-color.org). By default the byte stream is the same on every
// terminal, so one expect script fits them all.
func colorWanted(getenv func(string) string) bool {
	return getenv("NO_COLOR") == "" && getenv("COLORTERM") != "" && getenv("TERM") != "dumb"
}

// newPrompt is prompt.New without its panics. New opens /dev/tty for a
// parser of its own before our OptionParser replaces it, and panics if
// that fails; the descriptor it opens stays unused until exit.
func newPrompt(exec prompt.Executor, comp prompt.Completer, opts ...prompt.Option) (p *prompt.Prompt, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return prompt.New(exec, comp, opts...), nil
}

// openHistory loads the history file; problems are reported once and the
// shell works on without a file.
func (s *session) openHistory() *history {
	size, err := historySize(s.getenv)
	if err != nil {
		s.warn(err)
	}
	path, err := historyPath(s.getenv)
	if err != nil {
		s.warn(fmt.Errorf("no history file: %w", err))
		return nil
	}
	h, err := loadHistory(path, size)
	if err != nil {
		s.warn(fmt.Errorf("cannot read history: %w", err))
	}
	return h
}
