//go:build !windows

package prompt

import "syscall"

// suspend is Ctrl-Z (xvirsh fork): in raw mode the key is a plain byte,
// so the prompt does what the terminal would, cleanly: it leaves the line,
// restores the terminal, stops the process group as SIGTSTP from the
// terminal would, and on SIGCONT takes the terminal back and redraws the
// line. In a process group no shell controls (orphaned), the kernel
// discards the signal and the line just comes back.
func (p *Prompt) suspend() {
	p.renderer.Suspend()
	_ = p.in.TearDown()
	_ = syscall.Kill(0, syscall.SIGTSTP)
	_ = p.in.Setup()
	p.renderer.UpdateWinSize(p.in.GetWinSize())
}
