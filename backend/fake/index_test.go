package fake

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xvirsh/backend"
)

// briefs is what a listing of h reads, as text, and whether it came from
// the index alone.
func briefs(t *testing.T, h *Host) (string, bool) {
	t.Helper()
	recs, err := h.AllBriefDomains(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var b []string
	for _, r := range recs {
		r.Delete("cpu_time") // the clock moves between two reads
		b = append(b, r.String())
	}
	h.mu.Lock()
	light := h.light
	h.mu.Unlock()
	return strings.Join(b, "\n"), light
}

// truth is the listing read from every file, by a host with no index.
func truth(t *testing.T, dir string) string {
	t.Helper()
	h, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	recs, err := h.AllDomains(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var b []string
	for _, r := range recs {
		r = backend.Brief(r)
		r.Delete("cpu_time")
		b = append(b, r.String())
	}
	return strings.Join(b, "\n")
}

// TestIndexStaysTrue: a listing served from the index says what reading
// every file says, whoever changed the directory and however: another
// process through xvirsh, a config.sxp edited in place, a runtime change,
// an index that is corrupt or from another directory.
func TestIndexStaysTrue(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := t.TempDir()
	a, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	for _, n := range []string{"one", "two", "three"} {
		if err := a.New(ctx, mustParse(t, pvConfig(n, ""))); err != nil {
			t.Fatal(err)
		}
	}
	mustOp(t, a, "two", "start")
	check := func(step string, wantLight bool) {
		t.Helper()
		b, err := Open(dir) // a new process
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		got, light := briefs(t, b)
		if want := truth(t, dir); got != want {
			t.Errorf("%s: listing\n%s\nwant\n%s", step, got, want)
		}
		if light != wantLight {
			t.Errorf("%s: served from the index: %v, want %v", step, light, wantLight)
		}
	}
	check("after xvirsh's own changes", true)

	// Edited in place, behind xvirsh's back: same inode, same directory.
	var path string
	for _, d := range a.doms {
		if d.name == "three" {
			path = filepath.Join(dir, domainsDir, d.uuid, configFile)
		}
	}
	data, _ := os.ReadFile(path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(strings.Replace(string(data), "(memory 128)", "(memory 100)", 1))
	f.Close()
	check("after an edit in place", false)
	if got, _ := briefs(t, a); !strings.Contains(got, "(memory 100)") {
		t.Errorf("the first host does not see the edit after a while:\n%s", got)
	}
	check("once rebuilt", true)

	mustOp(t, a, "one", "start")
	check("after a start", true)

	idx := a.store.indexPath()
	os.WriteFile(idx, []byte("(index (version 2) garbage"), 0o600)
	check("with a corrupt index", false)
	check("once rebuilt again", true)

	// Another directory's index is not this one's.
	other := t.TempDir()
	o, err := Open(other)
	if err != nil {
		t.Fatal(err)
	}
	briefs(t, o)
	o.Close()
	data, _ = os.ReadFile(o.store.indexPath())
	os.WriteFile(idx, data, 0o600)
	check("with another directory's index", false)

	// Reading never changes the directory itself.
	if _, err := os.Stat(filepath.Join(dir, "index.sxp")); err == nil {
		t.Error("the index is kept inside the host directory")
	}
}

// TestIndexKeysUpperCaseDirectory: a domain whose directory is named by
// its UUID in another spelling than xend's (upper case) is still keyed by
// the config.sxp that is there, so an edit in place is seen. Its key was
// taken from domains/<canonical UUID>, a path that does not exist: a zero
// key, which a zero stat matched for ever.
func TestIndexKeysUpperCaseDirectory(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := t.TempDir()
	a, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	const u = "0000000a-0000-4000-8000-00000000000b"
	if err := a.New(ctx, mustParse(t, pvConfig("upper", u))); err != nil {
		t.Fatal(err)
	}
	a.Close()
	upper := filepath.Join(dir, domainsDir, strings.ToUpper(u))
	if err := os.Rename(filepath.Join(dir, domainsDir, u), upper); err != nil {
		t.Fatal(err)
	}
	list := func() (string, bool) {
		h, err := Open(dir) // a new process
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close()
		return briefs(t, h)
	}
	if got, _ := list(); !strings.Contains(got, "(name upper)") {
		t.Fatalf("the domain in %s is not listed:\n%s", upper, got)
	}
	if _, light := list(); !light {
		t.Fatal("the second listing is not served from the index")
	}
	if k := a.store.configKey(strings.ToUpper(u)); k == (statKey{}) {
		t.Fatalf("no key for %s/config.sxp", upper)
	}
	path := filepath.Join(upper, configFile)
	data, _ := os.ReadFile(path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(strings.Replace(string(data), "(memory 128)", "(memory 64)", 1))
	f.Close()
	got, light := list()
	if want := truth(t, dir); got != want || light {
		t.Errorf("after an edit in place: listing (from the index: %v)\n%s\nwant\n%s", light, got, want)
	}
	if !strings.Contains(got, "(memory 64)") {
		t.Errorf("the edit is not seen:\n%s", got)
	}
}
