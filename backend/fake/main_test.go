package fake

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMain sends the indexes of the directory hosts the tests make
// (backend/fake/index.go) to a cache of the tests' own, not the user's.
func TestMain(m *testing.M) {
	os.Setenv("XDG_CACHE_HOME", filepath.Join(os.TempDir(), "xvirsh-test-cache"))
	os.Exit(m.Run())
}
