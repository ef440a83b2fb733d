//go:build linux

package shell_test

import (
	"context"
	"os/exec"
	"testing"
	"time"
)

// TestExpectScript runs testdata/expect/session.exp: expect(1) spawns
// xvirsh, sends whole lines in single writes and checks every answer. This
// is how operators script virsh, and what go-prompt alone gets wrong (it
// takes "list --all\r" in one read as text).
func TestExpectScript(t *testing.T) {
	expectBin, err := exec.LookPath("expect")
	if err != nil {
		t.Skip("expect(1) is not installed")
	}
	running := guests(names(t))
	if len(running) == 0 {
		t.Fatal("the demo host has no running domain")
	}
	env, _ := testEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, expectBin, "-f", "../testdata/expect/session.exp",
		xvirshBinary(t), running[0])
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("expect session failed: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
