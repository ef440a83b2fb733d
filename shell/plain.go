package shell

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
)

// plain is the line loop for input that is not a terminal (or a terminal
// go-prompt cannot drive). It behaves like virsh reading a pipe: unless
// -q, the banner, a prompt before every line and the line echoed after it
// (readline does that for virsh; without it a transcript glues each
// command's output to the prompt), then a final newline after the last
// prompt. A terminal echoes typed lines itself, so they are not repeated.
// -q prints none of these: a script's output is its commands' output.
// Lines may be of any length (bufio.Reader, not Scanner and its 64 KiB
// limit).
func (s *session) plain(ctx context.Context) int {
	if !s.quiet {
		fmt.Fprint(s.out, s.banner)
	}
	echo := !s.quiet && !isTerminal(s.in)
	in := bufio.NewReader(s.in)
	var waiting *promptWait
	if isTerminal(s.in) {
		waiting = s.dropLineOnInterrupt()
		defer waiting.stop()
	}
	last := 0
	for ctx.Err() == nil {
		if !s.quiet {
			fmt.Fprint(s.out, s.promptText())
		}
		waiting.set(true)
		line, err := in.ReadString('\n')
		waiting.set(false)
		if line == "" && err != nil {
			if !errors.Is(err, io.EOF) {
				s.warn(fmt.Errorf("reading input: %w", err))
				last = 1
			}
			break
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if echo {
			fmt.Fprintln(s.out, line)
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		r := s.runLine(ctx, line)
		last = status(r.ok)
		if r.sig != 0 {
			last = sigStatus(r.sig)
			break
		}
		if r.quit {
			break
		}
	}
	if !s.quiet {
		// The last prompt is still alone on its line.
		fmt.Fprintln(s.out)
	}
	if isTerminal(s.in) {
		return interactiveStatus(last)
	}
	return last
}

// promptWait is the plain loop's Ctrl-C at a terminal (TERM=dumb, an
// editor's shell buffer): the terminal's line discipline edits the line
// and drops it on Ctrl-C, and the shell then starts a fresh prompt, as
// the line editor does, instead of ending the session. While a command
// runs, runLine's own handler cancels it; this one does nothing then.
type promptWait struct {
	mu      sync.Mutex
	waiting bool
	sigs    chan os.Signal
	done    chan struct{}
}

func (s *session) dropLineOnInterrupt() *promptWait {
	w := &promptWait{sigs: make(chan os.Signal, 1), done: make(chan struct{})}
	signal.Notify(w.sigs, os.Interrupt)
	go func() {
		for {
			select {
			case <-w.sigs:
				w.mu.Lock()
				if w.waiting && !s.quiet {
					fmt.Fprint(s.out, "\n"+s.promptText())
				}
				w.mu.Unlock()
			case <-w.done:
				return
			}
		}
	}()
	return w
}

// set says whether the loop waits for a line; the lock keeps a prompt
// from being written while a command's output is.
func (w *promptWait) set(waiting bool) {
	if w == nil {
		return
	}
	w.mu.Lock()
	w.waiting = waiting
	w.mu.Unlock()
}

func (w *promptWait) stop() {
	signal.Stop(w.sigs)
	close(w.done)
}
