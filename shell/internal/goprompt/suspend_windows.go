//go:build windows

package prompt

// suspend: Windows consoles have no job control; Ctrl-Z is ignored.
func (p *Prompt) suspend() {}
