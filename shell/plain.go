package shell

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// plain is the line loop for input that is not a terminal. It behaves like
// virsh reading a pipe: the banner and a prompt before every line unless
// -q, nothing echoed, and a final newline after the last prompt. Lines may
// be of any length (bufio.Reader, not Scanner and its 64 KiB limit).
func (s *session) plain(ctx context.Context) int {
	if !s.quiet {
		fmt.Fprint(s.out, banner)
	}
	in := bufio.NewReader(s.in)
	last := 0
	for ctx.Err() == nil {
		if !s.quiet {
			fmt.Fprint(s.out, s.prompt)
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
	return last
}
