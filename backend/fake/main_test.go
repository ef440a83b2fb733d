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
// host's indexes of names and UUIDs are in step with its domains
// (checkNames).
func TestMain(m *testing.M) {
	os.Setenv("XDG_CACHE_HOME", filepath.Join(os.TempDir(), "xvirsh-test-cache"))
	stdflag.Parse()
	if f := stdflag.Lookup("test.bench"); f == nil || f.Value.String() == "" {
		afterOp = checkNames
	}
	os.Exit(m.Run())
}

// checkNames panics when h.names or h.uuids is not what a rebuild from
// h.doms would give: a change to doms or to a name that skipped them,
// which would make find answer with the wrong domain, or with one that is
// gone, and a define miss a clash.
func checkNames(h *Host) {
	if err := namesInStep(h); err != nil {
		panic(err)
	}
}

func namesInStep(h *Host) error {
	if (h.names == nil) != (h.uuids == nil) {
		return fmt.Errorf("fake: names built (%v) but uuids not, or the other way", h.names != nil)
	}
	if h.names == nil {
		return nil
	}
	if err := inStep(h, "names", h.names, func(d *dom) string { return d.name }); err != nil {
		return err
	}
	return inStep(h, "uuids", h.uuids, func(d *dom) string { return d.uuid })
}

func inStep(h *Host, what string, index map[string][]*dom, key func(*dom) string) error {
	want := map[string][]*dom{}
	for _, d := range h.doms {
		want[key(d)] = append(want[key(d)], d)
	}
	for k, doms := range index {
		if !slices.Equal(doms, want[k]) {
			return fmt.Errorf("fake: %s[%q] holds %d domains, doms %d with that key (or another order)", what, k, len(doms), len(want[k]))
		}
	}
	for k := range want {
		if _, ok := index[k]; !ok {
			return fmt.Errorf("fake: %s has no %q, which doms holds", what, k)
		}
	}
	return nil
}
