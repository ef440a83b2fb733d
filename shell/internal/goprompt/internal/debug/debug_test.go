package debug

import (
	"os"
	"strings"
	"sync"
	"testing"
)

// fresh puts the package back as a new process has it, in an empty
// working directory, with the environment variable name set to value.
func fresh(t *testing.T, name, value string) {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	t.Setenv(name, value)
	reset := func() {
		logOnce, logfile = sync.Once{}, nil
		assertOnce, enableAssert = sync.Once{}, false
	}
	reset()
	t.Cleanup(func() {
		Teardown()
		reset()
		_ = os.Chdir(wd)
	})
}

func TestLogOpensOnFirstUse(t *testing.T) {
	fresh(t, envEnableLog, "1")
	if _, err := os.Stat(logFileName); !os.IsNotExist(err) {
		t.Fatalf("%s before anything is logged: %v", logFileName, err)
	}
	Log("hello")
	AssertNoError(os.ErrClosed)
	Teardown()
	b, err := os.ReadFile(logFileName)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "debug_test.go:") || !strings.HasSuffix(lines[0], ": hello") ||
		!strings.HasSuffix(lines[1], ": [ASSERT] "+os.ErrClosed.Error()) {
		t.Errorf("%s:\n%s", logFileName, b)
	}
}

func TestLogOff(t *testing.T) {
	fresh(t, envEnableLog, "")
	Log("hello")
	Assert(false, "not kept")
	Teardown()
	if _, err := os.Stat(logFileName); !os.IsNotExist(err) {
		t.Errorf("%s without %s: %v", logFileName, envEnableLog, err)
	}
}

func TestAssertPanicsWhenAsked(t *testing.T) {
	for _, v := range []string{"1", "true"} {
		t.Run(v, func(t *testing.T) {
			fresh(t, envAssertPanic, v)
			defer func() {
				if r := recover(); r != "boom" {
					t.Errorf("Assert(false) with %s=%s: recovered %v, want boom", envAssertPanic, v, r)
				}
			}()
			Assert(true, "not this one")
			Assert(false, "boom")
		})
	}
	fresh(t, envAssertPanic, "yes")
	Assert(false, "no panic")
	AssertNoError(os.ErrClosed)
}
