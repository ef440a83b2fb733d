//go:build !windows

package prompt

import (
	"os"
	"os/signal"
	"syscall"
	"time"
)

// orphanWait is how long suspend waits to be stopped: in a process group
// that no shell controls (orphaned) the kernel discards SIGTSTP, and no
// SIGCONT ever comes.
const orphanWait = 500 * time.Millisecond

// suspend is Ctrl-Z (xvirsh fork): in raw mode the key is a plain byte,
// so the prompt does what the terminal would, cleanly: it leaves the line,
// restores the terminal, stops the process group as SIGTSTP from the
// terminal would, and on SIGCONT takes the terminal back and redraws the
// line. The stop is asynchronous (the signal reaches another thread), so
// it waits for SIGCONT before drawing anything.
func (p *Prompt) suspend() {
	p.renderer.Suspend()
	_ = p.in.TearDown()
	cont := make(chan os.Signal, 1)
	signal.Notify(cont, syscall.SIGCONT)
	if err := syscall.Kill(0, syscall.SIGTSTP); err == nil {
		select {
		case <-cont:
		case <-time.After(orphanWait):
		}
	}
	signal.Stop(cont)
	_ = p.in.Setup()
	p.renderer.UpdateWinSize(p.in.GetWinSize())
}
