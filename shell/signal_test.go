//go:build linux

package shell_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// xend-sim removes its socket when SIGHUP (a closed terminal, a service
// manager) or SIGTERM ends it, as it does on Ctrl-C, so that the next
// start does not find a stale socket in its way.
func TestXendSimSignalsRemoveSocket(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			sock := filepath.Join(t.TempDir(), "xend.sock")
			cmd := exec.Command(xvirshBinary(t), "xend-sim", "--listen", "unix:"+sock)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			deadline := time.Now().Add(ptyTimeout)
			for {
				if _, err := os.Stat(sock); err == nil {
					break
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatal("xend-sim did not create its socket")
				}
				time.Sleep(20 * time.Millisecond)
			}
			cmd.Process.Signal(sig)
			select {
			case <-done:
			case <-time.After(ptyTimeout):
				cmd.Process.Kill()
				t.Fatalf("xend-sim did not stop on %v", sig)
			}
			if _, err := os.Stat(sock); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("socket left behind after %v (stat: %v)", sig, err)
			}
		})
	}
}
