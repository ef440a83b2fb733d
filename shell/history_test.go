package shell

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestHistoryPath(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    string
		wantErr bool
	}{
		{"XDG cache dir", map[string]string{"XDG_CACHE_HOME": "/c", "HOME": "/h"}, "/c/xvirsh/history", false},
		{"fallback to HOME", map[string]string{"HOME": "/h"}, "/h/.cache/xvirsh/history", false},
		{"relative XDG ignored", map[string]string{"XDG_CACHE_HOME": "rel", "HOME": "/h"}, "/h/.cache/xvirsh/history", false},
		{"nothing set", map[string]string{}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := historyPath(envOf(tt.env))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("historyPath = %q, %v; want %q, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestHistorySize(t *testing.T) {
	tests := []struct {
		val     string
		want    int
		wantErr bool
	}{
		{"", 500, false},
		{"0", 0, false},
		{"1000", 1000, false},
		{"500000", 500000, false},
		{"500001", 500, true},
		{"-1", 500, true},
		{"lots", 500, true},
	}
	for _, tt := range tests {
		got, err := historySize(envOf(map[string]string{histSizeEnv: tt.val}))
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("historySize(%q) = %d, %v; want %d, error %v", tt.val, got, err, tt.want, tt.wantErr)
		}
		if err != nil && err.Error() != "Bad $XVIRSH_HISTSIZE value." {
			t.Errorf("message = %q", err)
		}
	}
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

func TestHistoryAddAndReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "deep", "xvirsh", "history")
	h, err := loadHistory(path, 500)
	if err != nil {
		t.Fatalf("missing file: %v", err)
	}
	for _, l := range []string{"list --all", "", "   ", "list --all", "dominfo vm1", "bogus"} {
		if err := h.Add(l); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"list --all", "dominfo vm1", "bogus"}
	if got := readLines(t, path); !slices.Equal(got, want) {
		t.Errorf("file = %q, want %q", got, want)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode = %v, %v; want 0600", fi.Mode(), err)
	}
	h2, err := loadHistory(path, 500)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(h2.Entries(), want) {
		t.Errorf("reloaded = %q, want %q", h2.Entries(), want)
	}
}

func TestHistoryIsBounded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history")
	const max = 20
	h, _ := loadHistory(path, max)
	for i := range 100 {
		if err := h.Add(fmt.Sprintf("domid vm%d", i)); err != nil {
			t.Fatal(err)
		}
		if n := len(readLines(t, path)); n > max+max/10 {
			t.Fatalf("after %d adds the file has %d lines, bound %d", i+1, n, max)
		}
	}
	if n := len(h.Entries()); n != max {
		t.Errorf("in memory: %d entries, want %d", n, max)
	}
	h2, _ := loadHistory(path, max)
	got := h2.Entries()
	if len(got) != max || got[max-1] != "domid vm99" || got[0] != "domid vm80" {
		t.Errorf("reloaded %d entries %q..%q, want the newest %d", len(got), got[0], got[len(got)-1], max)
	}
	// No temporary files left next to the history.
	if ents, _ := os.ReadDir(filepath.Dir(path)); len(ents) != 1 {
		t.Errorf("directory holds %d files, want only the history", len(ents))
	}
}

func TestHistoryLoadCutsOversizedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history")
	var b strings.Builder
	for i := range 50 {
		fmt.Fprintf(&b, "cmd%d\n", i)
	}
	os.WriteFile(path, []byte(b.String()), 0o600)
	h, err := loadHistory(path, 10)
	if err != nil {
		t.Fatal(err)
	}
	if e := h.Entries(); len(e) != 10 || e[0] != "cmd40" {
		t.Errorf("entries = %q", e)
	}
	h.Add("new")
	if got := readLines(t, path); len(got) != 10 || got[9] != "new" || got[0] != "cmd41" {
		t.Errorf("file after add = %q", got)
	}
}

func TestHistorySizeZeroWritesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history")
	h, _ := loadHistory(path, 0)
	h.Add("list")
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("history file written with size 0: %v", err)
	}
}
