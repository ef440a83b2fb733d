package shell_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// The pty and expect tests drive the real program, built once per test run:
// go-prompt keeps process-wide state (its saved termios, signal handlers),
// so it cannot be exercised in-process.
var (
	buildOnce sync.Once
	buildDir  string
	buildBin  string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// xvirshBinary returns the path of a freshly built xvirsh.
func xvirshBinary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and drives the xvirsh binary; skipped with -short")
	}
	buildOnce.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		buildDir, buildErr = os.MkdirTemp("", "xvirsh-shell-test-")
		if buildErr != nil {
			return
		}
		buildBin = filepath.Join(buildDir, "xvirsh")
		cmd := exec.Command(goTool, "build", "-o", buildBin, ".")
		cmd.Dir = ".." // the module root, where main.go is
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildBin
}

// oneShot runs `xvirsh -c test:///default ARGS...` and returns its stdout.
func oneShot(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(xvirshBinary(t), append([]string{"-c", "test:///default"}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("xvirsh %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

// names runs a `list --name` variant and returns the names it printed.
func names(t *testing.T, args ...string) []string {
	t.Helper()
	return strings.Fields(oneShot(t, append([]string{"list", "--name"}, args...)...))
}

// guests drops Domain-0 from names: the tests want domains a user made.
func guests(names []string) []string {
	var out []string
	for _, n := range names {
		if n != "Domain-0" {
			out = append(out, n)
		}
	}
	return out
}

// testEnv is a clean environment for the child: its own HOME and cache (the
// history file), a known TERM.
func testEnv(t testing.TB) (env []string, cache string) {
	t.Helper()
	home := t.TempDir()
	cache = filepath.Join(home, "cache")
	env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CACHE_HOME=" + cache,
		"TERM=xterm",
		"LANG=C.UTF-8",
	}
	return env, cache
}
