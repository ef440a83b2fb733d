package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// readOnlyView returns dir as a process sees a host on a read-only mount.
// Root ignores file permissions, so as root it is a read-only bind mount
// of dir (skipped where mounting is not allowed); otherwise dir itself,
// with every write permission taken away until the test ends.
func readOnlyView(t *testing.T, dir string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		var paths []string
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Type()&fs.ModeSymlink == 0 {
				paths = append(paths, p)
			}
			return nil
		})
		for _, p := range paths {
			fi, _ := os.Stat(p)
			os.Chmod(p, fi.Mode().Perm()&^0o222)
			t.Cleanup(func() { os.Chmod(p, fi.Mode().Perm()) })
		}
		return dir
	}
	mp := t.TempDir()
	bindReadOnly(t, dir, mp)
	if f, err := os.Create(filepath.Join(mp, "probe")); err == nil {
		f.Close()
		t.Fatal("the read-only view is writable")
	}
	return mp
}

// clockFree drops what moves with the wall clock between two runs.
var clockRE = regexp.MustCompile(`\((cpu_time|up_time|start_time) [0-9.e+]+\)|CPU time:\s+\S+`)

func clockFree(s string) string { return clockRE.ReplaceAllString(s, "<clock>") }

// TestReadOnlyHost is issue 7 point 6: a test:///DIR host on a read-only
// mount can be listed and dumped exactly as when writable; a change is
// refused with a clear message and nothing is written.
func TestReadOnlyHost(t *testing.T) {
	dir := t.TempDir()
	if st, _, errs := xv(t, "-c", "test://"+dir, "list"); st != 0 {
		t.Fatalf("seeding the host: %s", errs)
	}
	reads := [][]string{
		{"list", "--all"}, {"dominfo", "winxp"}, {"dumpxml", "fc8"}, {"dumpxml", "rhel5"},
		{"dumpxml", "--inactive", "winxp"}, {"dumpsxp", "fc8"}, {"domstate", "rhel5"}, {"nodeinfo"},
	}
	want := map[int]string{}
	for i, args := range reads {
		st, out, errs := xv(t, append([]string{"-c", "test://" + dir}, args...)...)
		if st != 0 || errs != "" {
			t.Fatalf("%v on the writable host: status %d, %s", args, st, errs)
		}
		want[i] = clockFree(out)
	}
	before := tree(t, dir)
	ro := readOnlyView(t, dir)
	for i, args := range reads {
		st, out, errs := xv(t, append([]string{"-c", "test://" + ro}, args...)...)
		if out = clockFree(out); st != 0 || errs != "" || out != want[i] {
			t.Errorf("%v read-only: status %d, stderr %q, stdout\n%s\nwant\n%s", args, st, errs, out, want[i])
		}
	}
	why := "it is on a read-only file system"
	if os.Geteuid() != 0 {
		why = "no permission to change it"
	}
	st, out, errs := xv(t, "-c", "test://"+ro, "suspend", "fc8")
	wantErr := "error: Failed to suspend domain 'fc8'\nerror: fake host " + ro + ": " + why + ": it can be listed and dumped, not changed\n"
	if st != 1 || errs != wantErr || out != "\n" {
		t.Errorf("suspend read-only: status %d, stdout %q, stderr %q; want 1, %q", st, out, errs, wantErr)
	}
	sameTree(t, "the read-only host", tree(t, dir), before)
}
