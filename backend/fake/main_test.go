package fake

import (
	stdflag "flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestMain sends the indexes of the directory hosts the tests make
// (backend/fake/index.go) to a cache of the tests' own, not the user's.
// Outside benchmarks, every operation of every test also checks that the
// host's index of names is in step with its domains (checkNames).
func TestMain(m *testing.M) {
	os.Setenv("XDG_CACHE_HOME", filepath.Join(os.TempDir(), "xvirsh-test-cache"))
	stdflag.Parse()
	if f := stdflag.Lookup("test.bench"); f == nil || f.Value.String() == "" {
		afterOp = checkNames
	}
	os.Exit(m.Run())
}

// checkNames panics when h.names is not what a rebuild from h.doms would
// give: a change to doms or to a name that skipped the index, which would
// make find answer with the wrong domain, or with one that is gone.
func checkNames(h *Host) {
	if err := namesInStep(h); err != nil {
		panic(err)
	}
}

func namesInStep(h *Host) error {
	if h.names == nil {
		return nil
	}
	want := map[string][]*dom{}
	for _, d := range h.doms {
		want[d.name] = append(want[d.name], d)
	}
	for name, doms := range h.names {
		if !slices.Equal(doms, want[name]) {
			return fmt.Errorf("fake: names[%q] holds %d domains, doms %d with that name (or another order)", name, len(doms), len(want[name]))
		}
	}
	for name := range want {
		if _, ok := h.names[name]; !ok {
			return fmt.Errorf("fake: names has no %q, which doms holds", name)
		}
	}
	return nil
}
