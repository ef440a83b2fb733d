//go:build !windows

package prompt

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/c-bata/go-prompt/internal/debug"
)

// notifySignals starts catching the signals handleSignals acts on
// (xvirsh fork): Run calls it before the terminal goes raw, so that no
// signal can end the process with the terminal raw; upstream registered
// them in the goroutine, after the first prompt was drawn. The one channel
// lives as long as Run; stop releases the signals.
func notifySignals() (sigCh chan os.Signal, stop func()) {
	sigCh = make(chan os.Signal, 1)
	signal.Notify(
		sigCh,
		syscall.SIGINT,
		syscall.SIGTERM,
		syscall.SIGQUIT,
		syscall.SIGWINCH,
	)
	return sigCh, func() { signal.Stop(sigCh) }
}

func (p *Prompt) handleSignals(sigCh chan os.Signal, exitCh chan int, winSizeCh chan *WinSize, stop chan struct{}) {
	in := p.in

	for {
		select {
		case <-stop:
			debug.Log("stop handleSignals")
			return
		case s := <-sigCh:
			switch s {
			case syscall.SIGINT: // kill -SIGINT XXXX or Ctrl+c
				debug.Log("Catch SIGINT")
				exitCh <- 0

			case syscall.SIGTERM: // kill -SIGTERM XXXX
				debug.Log("Catch SIGTERM")
				exitCh <- 1

			case syscall.SIGQUIT: // kill -SIGQUIT XXXX
				debug.Log("Catch SIGQUIT")
				exitCh <- 0

			case syscall.SIGWINCH:
				debug.Log("Catch SIGWINCH")
				winSizeCh <- in.GetWinSize()
			}
		}
	}
}
