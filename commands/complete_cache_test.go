package commands

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"xvirsh/backend"
	"xvirsh/backend/connect"
)

// slowList is a host whose listing takes delay once slow is set, as a
// loaded xend with thousands of domains does.
type slowList struct {
	backend.Backend
	slow  atomic.Bool
	lists atomic.Int64
	delay time.Duration
}

func (s *slowList) List(ctx context.Context, f backend.ListFilter) ([]backend.Domain, error) {
	s.lists.Add(1)
	if s.slow.Load() {
		select {
		case <-time.After(s.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return s.Backend.List(ctx, f)
}

// TestShellCompletionNeverWaitsOnTheHost: in the shell, a Tab after a
// command takes the list there is at once, while the refresh the command
// started runs on; the next Tab after it has landed sees the change.
func TestShellCompletionNeverWaitsOnTheHost(t *testing.T) {
	host := &slowList{delay: 2 * time.Second}
	e, _, errb := bufEnv(t, "test:///default", func(ctx context.Context, uri string) (backend.Backend, error) {
		b, err := connect.OpenContext(ctx, uri)
		host.Backend = b
		return host, err
	})
	e.Interactive = true
	ctx := context.Background()
	names := func(line string) string {
		var out []string
		for _, c := range e.Complete(ctx, line) {
			out = append(out, c.Text)
		}
		return strings.Join(out, " ")
	}
	if got := names("resume "); got != "" {
		t.Fatalf("resume offers %q before any pause", got)
	}
	host.slow.Store(true)
	if ok, _ := e.ExecLine(ctx, "suspend fc8"); !ok {
		t.Fatalf("suspend: %s", errb)
	}
	start := time.Now()
	got := names("dominfo ")
	if waited := time.Since(start); waited > time.Second {
		t.Errorf("Tab waited %s for a slow host", waited)
	}
	if got != "Domain-0 winxp fc8 rhel5" {
		t.Errorf("dominfo offers %q, want the list there was", got)
	}
	// Once the refresh is in, the paused fc8 is offered to resume.
	deadline := time.Now().Add(20 * time.Second)
	for names("resume ") != "fc8" {
		if time.Now().After(deadline) {
			t.Fatalf("resume still offers %q after the refresh", names("resume "))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
