package commands

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"xvirsh/backend"
	"xvirsh/backend/connect"
	"xvirsh/backend/fake"
)

// hungHost is a host that accepts the connection and then never answers,
// like an xend stuck in a request.
type hungHost struct {
	backend.Backend
	asked *atomic.Int32 // how many requests it got; may be nil
}

func (h hungHost) ConfigFormat(ctx context.Context) (int, error) {
	if h.asked != nil {
		h.asked.Add(1)
	}
	<-ctx.Done()
	return 0, ctx.Err()
}

func (hungHost) Close() error { return nil }

// execInterrupted runs line with Ctrl-C pressed shortly after it starts
// and returns its stderr. A command that ignores Ctrl-C fails the test
// instead of hanging it.
func execInterrupted(t *testing.T, e *Env, errb *bytes.Buffer, line string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan bool, 1)
	go func() {
		ok, _ := e.ExecLine(ctx, line)
		done <- ok
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case ok := <-done:
		if ok {
			t.Errorf("%q succeeded after Ctrl-C", line)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("%q still runs 10s after Ctrl-C", line)
	}
	return errb.String()
}

func TestCtrlCStopsAHungFirstConnection(t *testing.T) {
	e, _, errb := bufEnv(t, "xen:///",
		func(context.Context, string) (backend.Backend, error) { return hungHost{}, nil })
	got := execInterrupted(t, e, errb, "list; dominfo fc8")
	// One error: the rest of the line does not run after Ctrl-C.
	want := "error: failed to connect to the hypervisor\nerror: interrupted\n"
	if got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
}

func TestCtrlCStopsWaitingForTheHostLock(t *testing.T) {
	dir := t.TempDir()
	if _, err := fake.Open(dir); err != nil {
		t.Fatal(err)
	}
	// Another process in the middle of a change: its flock on DIR/lock.
	lock, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	e, _, errb := bufEnv(t, "test://"+dir, connect.OpenContext)
	got := execInterrupted(t, e, errb, "list")
	if want := "error: failed to connect to the hypervisor\nerror: interrupted\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
}

// go-prompt asks for completions on every key, in its input loop. On a host
// that does not answer, Tab after a command name must not cost a wait per
// key (typing would crawl, and a Ctrl-C typed meanwhile would be read as a
// key after the next command instead of stopping it): one fetch runs in
// the background and only the first key waits for it, and briefly.
func TestCompletionDoesNotWaitOnAHungHostAtEveryKey(t *testing.T) {
	var asked atomic.Int32
	e, _, _ := bufEnv(t, "xen:///",
		func(context.Context, string) (backend.Backend, error) { return hungHost{asked: &asked}, nil })
	start := time.Now()
	for _, text := range []string{"dominfo ", "dominfo f", "dominfo fc", "dominfo fc8", "start "} {
		if got := e.Complete(context.Background(), text); len(got) != 0 {
			t.Errorf("Complete(%q) = %v from a host that never answered", text, got)
		}
	}
	// A wait of completionWait at every key would take five of them.
	if d := time.Since(start); d > 3*completionWait {
		t.Errorf("five completions took %v: each waited on the host", d)
	}
	if n := asked.Load(); n != 1 {
		t.Errorf("the host was asked %d times, want one fetch", n)
	}
}
