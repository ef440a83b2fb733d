//go:build linux

package shell_test

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"xvirsh/backend/fake"
	"xvirsh/backend/xendsim"
)

// slowXend is the simulator over the demo host, answering every domain
// request after 2 s once slow is set, as a loaded xend with thousands of
// domains does. It returns the URI to reach it.
func slowXend(t *testing.T, slow *atomic.Bool) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "xend.sock")
	l, err := xendsim.Listen("unix:" + sock)
	if err != nil {
		t.Skipf("unix socket: %v", err)
	}
	sim := xendsim.NewHandler(fake.NewDefault())
	ctx, cancel := context.WithCancel(context.Background())
	sim.Intercept(func(r *xendsim.Request, _ net.Conn) bool {
		if slow.Load() && strings.HasPrefix(r.Path, "/xend/domain") {
			select {
			case <-time.After(2 * time.Second):
			case <-ctx.Done():
				return true
			}
		}
		return false
	})
	done := make(chan struct{})
	go func() {
		defer close(done)
		xendsim.Serve(ctx, l, sim)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return "xen+unix://" + sock
}

// TestPtyCompletionWhileTheHostIsSlow: after a command, the shell refreshes
// its list of domains in the background; while that waits on a slow host,
// Tab completes from the list there was, and the keys typed after it
// reach the line, rather than Tab waiting and offering nothing.
func TestPtyCompletionWhileTheHostIsSlow(t *testing.T) {
	var slow atomic.Bool
	uri := slowXend(t, &slow)
	env, _ := testEnv(t)
	sh := startPty(t, 24, 100, env, "-q", "-c", uri)
	sh.expect("xvirsh # ")
	sh.typeKeys("dominfo wi")
	sh.send("\t")
	sh.expect("dominfo winxp ")
	sh.send("\x03")
	sh.expect("xvirsh # ")

	slow.Store(true)
	sh.send("domid fc8\r") // slow itself; the refresh after it is slow too
	sh.expect("2", "xvirsh # ")
	sh.typeKeys("dominfo f")
	sh.send("\t")
	sh.typeKeys("--x")
	sh.expect("dominfo fc8 --x")
	sh.send("\x03")
	sh.expect("xvirsh # ")
	slow.Store(false)
	sh.send("quit\r")
	if code := sh.wait(); code != 0 {
		t.Errorf("exit status %d after quit", code)
	}
}
