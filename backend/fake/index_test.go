package fake

import (
	"fmt"
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

// upperCaseHost is a host directory (the demo host) with a domain "upper"
// defined with UUID u, its directory then renamed to u in upper case, as
// another tool or a hand may have written it.
func upperCaseHost(t *testing.T, u string) string {
	t.Helper()
	dir := t.TempDir()
	a, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.New(ctx, mustParse(t, pvConfig("upper", u))); err != nil {
		t.Fatal(err)
	}
	a.Close()
	if err := os.Rename(filepath.Join(dir, domainsDir, u), filepath.Join(dir, domainsDir, strings.ToUpper(u))); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestIndexKeysUpperCaseDirectory: a domain whose directory is named by
// its UUID in another spelling than xend's (upper case) is still keyed by
// the config.sxp that is there, so an edit in place is seen. Its key was
// taken from domains/<canonical UUID>, a path that does not exist: a zero
// key, which a zero stat matched for ever.
func TestIndexKeysUpperCaseDirectory(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	const u = "0000000a-0000-4000-8000-00000000000b"
	dir := upperCaseHost(t, u)
	upper := filepath.Join(dir, domainsDir, strings.ToUpper(u))
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
	a, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	fd := a.store.openDomains()
	defer closeFd(fd)
	if k := keyAt(fd, strings.ToUpper(u), nil); k == (statKey{}) {
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

// oddHost is a host directory whose index must carry what a line cannot
// hold as it is: a domain directory named with a tab and a newline around
// an upper-case UUID (xend's loader trims and folds it), values with
// spaces, tabs, newlines, backslashes, = and *, a broken record under a name
// with a newline in it; two images, of which the record carries the
// first. n more plain domains pad it out, so that a big one is read in
// halves.
func oddHost(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	h, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	mustOp(t, h, "rhel5", "start")
	h.Close()
	write := func(name, data string) {
		t.Helper()
		d := filepath.Join(dir, domainsDir, name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, configFile), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("\t0000000A-0000-4000-8000-00000000000B\n", `(domain (name odd) (uuid 0000000a-0000-4000-8000-00000000000b)
	(memory 64) (memory 32) (maxmem) (vcpus (2)) (vcpu_avail "1 \\x09\t\n\\\\") (on_xend_start "start=now*")
	(image (linux)) (image (hvm (kernel hvmloader))))`)
	write("\n0000000c-0000-4000-8000-00000000000d ", "(domain (name broken")
	for i := range n {
		write(fmt.Sprintf("%08x-0000-4000-8000-%012x", i+100, i+100),
			fmt.Sprintf("(domain (name pad%05d) (uuid %08x-0000-4000-8000-%012x) (memory 256) (vcpus 1) (image (linux)))", i, i+100, i+100))
	}
	return dir
}

// listing is what a new process lists on dir: the brief records, the
// warnings about broken records, and whether the index served them.
func listing(t *testing.T, dir string) (recs, warnings string, light bool) {
	t.Helper()
	h, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	var w []string
	wctx := backend.WithWarnings(ctx, func(m string) { w = append(w, m) })
	if _, err := h.AllBriefDomains(wctx); err != nil {
		t.Fatal(err)
	}
	recs, light = briefs(t, h)
	return recs, strings.Join(w, "\n"), light
}

// TestIndexCarriesAnyByte: whatever bytes a directory's name or a value
// holds, the listing served from the index is the one read from the files.
func TestIndexCarriesAnyByte(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	for _, n := range []int{0, 600} {
		dir := oddHost(t, n)
		want, wantWarn, _ := listing(t, dir)
		if !strings.Contains(want, "(name odd)") || !strings.Contains(wantWarn, "0000000c-0000-4000-8000-00000000000d") {
			t.Fatalf("the odd host lists\n%s\nwarning\n%s", want, wantWarn)
		}
		got, warn, light := listing(t, dir)
		if !light {
			t.Errorf("%d domains: the second listing is not served from the index", n)
		}
		if got != want || warn != wantWarn || got != truth(t, dir) {
			t.Errorf("%d domains: from the index\n%s\n%s\nwant\n%s\n%s", n, got, warn, want, wantWarn)
		}
	}
}

// TestIndexCutOrGarbledIsRebuilt: an index cut short or damaged anywhere
// is never believed: the listing is the one the files give, no error is
// reported, and the index is rebuilt.
func TestIndexCutOrGarbledIsRebuilt(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	for _, n := range []int{0, 600} {
		dir := oddHost(t, n)
		want, wantWarn, _ := listing(t, dir)
		h, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		idx := h.store.indexPath()
		h.Close()
		good, err := os.ReadFile(idx)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitAfter(string(good), "\n")
		damaged := map[string]string{
			"empty":             "",
			"no end line":       strings.Join(lines[:len(lines)-2], ""),
			"a line twice":      strings.Join(append(lines[:3:3], lines[2:]...), ""),
			"two lines swapped": strings.Join(append(append(lines[:2:2], lines[3], lines[2]), lines[4:]...), ""),
			"a line added":      strings.Join(lines[:len(lines)-2], "") + "d\tx\n" + lines[len(lines)-2],
			"old S-expression":  "(index (version 4) garbage)\n",
		}
		// Every part of a small index; of a big one, where it is cut in
		// halves and a few places besides.
		at := []int{len(good) / 2, len(good)/2 - 1, len(good)/2 + 1}
		for i, parts := 0, 41/(1+n/100); i < len(good); i += max(1, len(good)/parts) {
			at = append(at, i)
		}
		for _, i := range at {
			damaged[fmt.Sprintf("cut at %d", i)] = string(good[:i])
			for _, c := range []byte{'\t', '\n', '\\', good[i] ^ 1} {
				g := []byte(string(good))
				if g[i] == c {
					continue
				}
				g[i] = c
				damaged[fmt.Sprintf("byte %d is %q", i, c)] = string(g)
			}
		}
		for what, data := range damaged {
			if err := os.WriteFile(idx, []byte(data), 0o600); err != nil {
				t.Fatal(err)
			}
			got, warn, light := listing(t, dir)
			if light || got != want || warn != wantWarn {
				t.Fatalf("%d domains, index %s: served from it: %v; listing\n%s\n%s\nwant\n%s\n%s",
					n, what, light, got, warn, want, wantWarn)
			}
			if rebuilt, _ := os.ReadFile(idx); string(rebuilt) != string(good) {
				if _, _, light := listing(t, dir); !light {
					t.Fatalf("%d domains, index %s: not rebuilt", n, what)
				}
			}
		}
	}
}

// TestOldIndexIsRemoved: the index of a version before 5 (<hash>.sxp) is
// never read again, and writing the new one removes it.
func TestOldIndexIsRemoved(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := t.TempDir()
	h, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	h.store.indexPath()
	old := h.store.oldIndex
	h.Close()
	if !strings.HasSuffix(old, ".sxp") || !strings.HasSuffix(h.store.index, ".index") {
		t.Fatalf("index %s, old index %s", h.store.index, old)
	}
	os.MkdirAll(filepath.Dir(old), 0o700)
	if err := os.WriteFile(old, []byte("(index (version 4))\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, light := listing(t, dir); light {
		t.Fatal("the first listing is served from an index")
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("the old index is still there: %v", err)
	}
	if _, _, light := listing(t, dir); !light {
		t.Error("the second listing is not served from the index")
	}
}

// TestUpperCaseDirectoryIsChangedInPlace: a definition found in an
// upper-case domains/ directory (written by hand or another tool) is
// redefined and undefined there, not beside it: a redefine must not leave
// two definitions of one UUID, an undefine must not leave the domain to
// come back at the next read.
func TestUpperCaseDirectoryIsChangedInPlace(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	const u = "0000000a-0000-4000-8000-00000000000c"
	dir := upperCaseHost(t, u)
	upper := strings.ToUpper(u)
	entries := func() []string {
		es, err := os.ReadDir(filepath.Join(dir, domainsDir))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range es {
			if strings.EqualFold(e.Name(), u) { // the demo domains aside
				names = append(names, e.Name())
			}
		}
		return names
	}
	h, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	redefined := strings.Replace(pvConfig("upper", u), "(memory 128)", "(memory 64)", 1)
	if err := h.New(ctx, mustParse(t, redefined)); err != nil {
		t.Fatal(err)
	}
	if got := entries(); len(got) != 1 || got[0] != upper {
		t.Errorf("after a redefine, domains/ holds %v, want [%s]", got, upper)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, domainsDir, upper, configFile)); !strings.Contains(string(data), "(memory 64)") {
		t.Errorf("the redefine did not reach %s:\n%s", upper, data)
	}
	mustOp(t, h, "upper", "delete")
	h.Close()
	if got := entries(); len(got) != 0 {
		t.Errorf("after an undefine, domains/ holds %v", got)
	}
	if got := truth(t, dir); strings.Contains(got, "upper") {
		t.Errorf("the undefined domain is read back:\n%s", got)
	}
}
