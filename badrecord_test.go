package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The demo host's rhel5, the one halted managed domain a new directory
// host is seeded with.
const rhel5UUID = "8b1e7f3a-2c5d-4e9f-a1b2-c3d4e5f60718"

// xv runs xvirsh as main does and returns its exit status and streams.
func xv(t *testing.T, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	status = run(args, strings.NewReader(""), &out, &errb)
	return status, out.String(), errb.String()
}

// tree is what a directory holds: path -> kind and content hash, so that a
// test can tell exactly what a command changed.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			m[rel] = "link " + target
		case d.IsDir():
			m[rel] = "dir"
		default:
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			m[rel] = fmt.Sprintf("file %x", sha256.Sum256(data))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func sameTree(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s changed %s: %q, was %q", what, p, got[p], w)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s made %s", what, p)
		}
	}
}

// TestBadRecordsHarmOnlyThemselves is issue 7 point 4: one domain record
// in a test:///DIR host that cannot be used never takes the host down.
// `list` shows every healthy domain and warns once, naming the file (as
// every command on the host does); the healthy domains keep working; the broken one fails alone with a clear
// message; `undefine UUID` removes it and nothing else.
func TestBadRecordsHarmOnlyThemselves(t *testing.T) {
	const dupUUID = "ffffffff-0000-4000-8000-000000000001"
	rhel5Cfg := func(dir string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, "domains", rhel5UUID, "config.sxp"))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	tests := []struct {
		name    string
		uuid    string // the broken domain's directory
		break_  func(t *testing.T, dir, cfg string)
		problem string
		list    string // `list --all --name` afterwards
	}{
		{"truncated", rhel5UUID, func(t *testing.T, dir, cfg string) {
			os.WriteFile(cfg, rhel5Cfg(dir)[:40], 0o644)
		}, "it is not a readable S-expression (3:5: list opened here is never closed (missing ')'))", "Domain-0\nwinxp\nfc8\n"},
		{"garbage", rhel5UUID, func(t *testing.T, dir, cfg string) {
			os.WriteFile(cfg, []byte("\x00\x1b[2J\xff))) not sxp"), 0o644)
		}, "it is not a readable S-expression (1:7: unexpected ')' after the end of the expression)", "Domain-0\nwinxp\nfc8\n"},
		{"not a config", rhel5UUID, func(t *testing.T, dir, cfg string) {
			os.WriteFile(cfg, []byte("(domain (memory 128))\n"), 0o644)
		}, "xend would refuse it: Missing VM Name", "Domain-0\nwinxp\nfc8\n"},
		{"empty", rhel5UUID, func(t *testing.T, dir, cfg string) {
			os.WriteFile(cfg, nil, 0o644)
		}, "it is empty", "Domain-0\nwinxp\nfc8\n"},
		{"a directory", rhel5UUID, func(t *testing.T, dir, cfg string) {
			os.Remove(cfg)
			os.Mkdir(cfg, 0o755)
		}, "it is a directory, not a file", "Domain-0\nwinxp\nfc8\n"},
		{"a symlink", rhel5UUID, func(t *testing.T, dir, cfg string) {
			os.Remove(cfg)
			os.Symlink("/etc/passwd", cfg)
		}, "it is a symlink, which is not followed", "Domain-0\nwinxp\nfc8\n"},
		{"a symlinked directory", rhel5UUID, func(t *testing.T, dir, cfg string) {
			elsewhere := filepath.Join(t.TempDir(), "rhel5")
			os.Rename(filepath.Dir(cfg), elsewhere)
			os.Symlink(elsewhere, filepath.Dir(cfg))
		}, "the domain's directory is a symlink, which is not followed", "Domain-0\nwinxp\nfc8\n"},
		{"UUID differs from its directory", rhel5UUID, func(t *testing.T, dir, cfg string) {
			os.WriteFile(cfg, bytes.ReplaceAll(rhel5Cfg(dir), []byte(rhel5UUID), []byte(dupUUID)), 0o644)
		}, "it holds the record of UUID " + dupUUID + ", not of its directory's", "Domain-0\nwinxp\nfc8\n"},
		{"duplicate name", dupUUID, func(t *testing.T, dir, cfg string) {
			os.Mkdir(filepath.Dir(cfg), 0o755)
			os.WriteFile(cfg, bytes.ReplaceAll(rhel5Cfg(dir), []byte(rhel5UUID), []byte(dupUUID)), 0o644)
		}, "its name 'rhel5' is already domain " + rhel5UUID + "'s", "Domain-0\nwinxp\nfc8\nrhel5\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			uri := "test://" + dir
			if st, _, errs := xv(t, "-c", uri, "list"); st != 0 {
				t.Fatalf("seeding the host: %s", errs)
			}
			cfg := filepath.Join(dir, "domains", tt.uuid, "config.sxp")
			tt.break_(t, dir, cfg)
			before := tree(t, dir)

			// list: every healthy domain, one warning naming the file.
			st, out, errs := xv(t, "-c", uri, "list", "--all", "--name")
			if st != 0 || out != tt.list+"\n" {
				t.Errorf("list: status %d, stdout %q; want 0, %q", st, out, tt.list)
			}
			warn := "warning: " + cfg + ": " + tt.problem
			warnLine := errs
			if !strings.HasPrefix(errs, warn) || strings.Count(errs, "\n") != 1 ||
				!strings.HasSuffix(errs, "; domain "+tt.uuid+" is left out (undefine "+tt.uuid+" removes it)\n") {
				t.Errorf("list: stderr %q, want one line starting %q", errs, warn)
			}
			if strings.ContainsAny(strings.TrimSuffix(errs, "\n"), "\x00\x1b\n") {
				t.Errorf("the warning carries control characters: %q", errs)
			}

			// The broken domain fails alone, saying why.
			st, out, errs = xv(t, "-c", uri, "dominfo", tt.uuid)
			want := "error: failed to get domain '" + tt.uuid + "'\nerror: unreadable domain record " + cfg + ": " + tt.problem
			if st != 1 || out != "\n" || errs != warnLine+want+"\n" {
				t.Errorf("dominfo of the broken one: status %d, stdout %q, stderr %q; want 1, %q", st, out, errs, want)
			}
			// Reading changed nothing.
			sameTree(t, "list and dominfo", tree(t, dir), before)

			// A define may not write over it.
			xml := filepath.Join(t.TempDir(), "new.xml")
			os.WriteFile(xml, []byte("<domain type='xen'><name>fresh</name><uuid>"+tt.uuid+"</uuid><memory>131072</memory><os><type>linux</type><kernel>/boot/vmlinuz</kernel></os></domain>"), 0o644)
			st, _, errs = xv(t, "-c", uri, "define", xml)
			if st != 1 || !strings.Contains(errs, "already exists as an unreadable domain record") {
				t.Errorf("define over the broken record: status %d, stderr %q", st, errs)
			}
			sameTree(t, "a refused define", tree(t, dir), before)

			// undefine UUID removes it, and only it.
			st, out, errs = xv(t, "-c", uri, "undefine", tt.uuid)
			if st != 0 || out != "Domain '"+tt.uuid+"' has been undefined\n\n" || errs != warnLine {
				t.Errorf("undefine: status %d, stdout %q, stderr %q", st, out, errs)
			}
			after := tree(t, dir)
			for p := range before {
				if p == filepath.Join("domains", tt.uuid) || strings.HasPrefix(p, filepath.Join("domains", tt.uuid)+"/") {
					delete(before, p)
				}
			}
			sameTree(t, "undefine", after, before)

			// The healthy domains still work, and the warning is gone.
			st, out, errs = xv(t, "-c", uri, "suspend fc8; resume fc8; list --all --name")
			if st != 0 || errs != "" || !strings.HasSuffix(out, tt.list+"\n") {
				t.Errorf("healthy domains after undefine: status %d, stdout %q, stderr %q", st, out, errs)
			}
		})
	}
}
