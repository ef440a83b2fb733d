package fake

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xvirsh/backend"
)

// A corrupt record costs its own domain only: the others work, every read
// of the host warns naming the file, the domain itself fails with the
// reason, and delete removes it.
func TestCorruptRecordCostsItsDomainOnly(t *testing.T) {
	dir := t.TempDir()
	h, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	const u = "8b1e7f3a-2c5d-4e9f-a1b2-c3d4e5f60718"
	bad := filepath.Join(dir, "domains", u, "config.sxp")
	if err := os.WriteFile(bad, []byte("(domain (name rhel5"), 0o644); err != nil {
		t.Fatal(err)
	}
	var warnings []string
	wctx := backend.WithWarnings(ctx, func(m string) { warnings = append(warnings, m) })
	for _, name := range []string{"Domain-0", "winxp", "fc8"} {
		if _, err := h.Domain(wctx, name); err != nil {
			t.Errorf("healthy %s: %v", name, err)
		}
	}
	if _, err := h.Domain(ctx, "rhel5"); err == nil {
		t.Error("the broken record still answers by name")
	}
	want := bad + ": it is not a readable S-expression (1:9: list opened here is never closed (missing ')')); domain " + u + " is left out (undefine " + u + " removes it)"
	if len(warnings) != 3 || warnings[0] != want {
		t.Errorf("warnings = %q, want %q once per read", warnings, want)
	}
	_, err = h.Domain(ctx, u)
	wantErr(t, err, backend.ErrBroken, "unreadable domain record "+bad+": it is not a readable S-expression (1:9:")

	// Served to clients, the host names the file relative to its directory.
	h.HidePaths()
	_, err = h.Domain(ctx, u)
	wantErr(t, err, backend.ErrBroken, "unreadable domain record domains/"+u+"/config.sxp: it is not")
	if strings.Contains(err.Error(), dir) {
		t.Errorf("a host hiding its paths told %q", err)
	}
	mustOp(t, h, u, "delete")
	if _, err := os.Stat(filepath.Dir(bad)); !os.IsNotExist(err) {
		t.Errorf("delete left the broken record: %v", err)
	}
}
