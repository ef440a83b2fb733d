//go:build linux

package shell_test

import (
	"strings"
	"testing"
	"time"
)

// BenchmarkPtyKeyEcho is the time from a key typed at the prompt to its
// echo on the terminal, over a real pty: a key and a Backspace per op.
// go-prompt polled its input every 10 ms and slept another 10 ms in its
// main loop, so a key took 10-20 ms to show; the reader now waits on the
// terminal itself (goprompt.InputWaiter).
func BenchmarkPtyKeyEcho(b *testing.B) {
	env, _ := testEnv(b)
	sh := startPty(b, 24, 100, env, "-q", "-c", "test:///default")
	sh.expect("xvirsh # ")
	echo := func(key string) {
		start := len(sh.raw())
		sh.send(key)
		for deadline := time.Now().Add(ptyTimeout); ; {
			if len(sh.raw()) > start {
				return
			}
			if time.Now().After(deadline) {
				b.Fatalf("no echo of %q within %s", key, ptyTimeout)
			}
			time.Sleep(20 * time.Microsecond)
		}
	}
	b.ResetTimer()
	for range b.N {
		echo("x")
		echo("\x7f")
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(2*b.N)/1000, "ms/key")
	sh.send("\x15quit\r")
	if code := sh.wait(); code != 0 || strings.Contains(sh.screen(), "error") {
		b.Errorf("exit status %d:\n%s", code, sh.screen())
	}
}
