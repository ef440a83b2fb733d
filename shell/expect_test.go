//go:build linux

package shell_test

import (
	"context"
	"os/exec"
	"testing"
	"time"
)

// TestExpectScript runs testdata/expect/session.exp: expect(1) spawns
// xvirsh, sends whole lines in single writes and checks every answer as
// whole lines. It runs on a 40x120 terminal (xvirsh's line editor) and on
// one that reports no size (the plain line loop): one script must fit
// both, or a test that passes in CI fails at a terminal (issue 12).
func TestExpectScript(t *testing.T) {
	expectBin, err := exec.LookPath("expect")
	if err != nil {
		t.Skip("expect(1) is not installed")
	}
	running := guests(names(t))
	if len(running) == 0 {
		t.Fatal("the demo host has no running domain")
	}
	for _, mode := range []string{"sized", "none"} {
		t.Run(mode, func(t *testing.T) {
			env, _ := testEnv(t)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, expectBin, "-f", "../testdata/expect/session.exp",
				xvirshBinary(t), running[0], mode)
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("expect session failed: %v\n%s", err, out)
			}
			t.Logf("%s", out)
		})
	}
}
