package shell

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// result is what running one line gave.
type result struct {
	ok   bool
	quit bool // quit or exit ran
	// sig is a termination signal (SIGTERM, SIGQUIT) that arrived while the
	// line ran; the session ends after it.
	sig syscall.Signal
}

// runLine runs one line with Ctrl-C wired to its context: SIGINT cancels
// the command and the shell goes on, as in virsh. SIGTERM and SIGQUIT also
// cancel it and then end the session, so the caller can restore the
// terminal and leave through its normal path. Outside runLine these
// signals keep whatever handling the caller has (go-prompt's at the
// prompt, the default one in the plain loop).
func (s *session) runLine(ctx context.Context, line string) (r result) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGQUIT)
	defer signal.Stop(sigs)
	done := make(chan struct{})
	got := make(chan syscall.Signal, 1)
	go func() {
		defer close(got)
		for {
			select {
			case sg := <-sigs:
				cancel()
				if sg != os.Interrupt {
					got <- sg.(syscall.Signal)
					return
				}
			case <-done:
				return
			}
		}
	}()

	r.ok, r.quit = s.safeExec(ctx, line)
	close(done)
	r.sig = <-got
	return r
}

// safeExec keeps a panic in a command from killing the shell (and, in the
// REPL, from leaving the terminal raw).
func (s *session) safeExec(ctx context.Context, line string) (ok, quit bool) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(s.errw, "error: internal error: %v\n", p)
			ok, quit = false, false
		}
	}()
	return s.exec(ctx, line)
}

// sigStatus is the shell's conventional exit status for death by sig.
func sigStatus(sig syscall.Signal) int { return 128 + int(sig) }
