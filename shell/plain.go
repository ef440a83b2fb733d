package shell

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
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
	last := 0
	for ctx.Err() == nil {
		if !s.quiet {
			fmt.Fprint(s.out, s.promptText())
		}
		line, err := in.ReadString('\n')
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
