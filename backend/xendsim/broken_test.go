package xendsim

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xvirsh/backend/fake"
)

// TestDeleteBrokenRecord: a record the host cannot read stays deletable
// by UUID over the wire, also when the client quotes the path as libvirt
// 2014 does (every non-alphanumeric byte as %xx).
func TestDeleteBrokenRecord(t *testing.T) {
	const u = "8b1e7f3a-2c5d-4e9f-a1b2-c3d4e5f60718"
	for _, path := range []string{"/xend/domain/" + u, "/xend/domain/" + strings.ReplaceAll(u, "-", "%2d")} {
		t.Run(path, func(t *testing.T) {
			dir := t.TempDir()
			host, err := fake.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { host.Close() })
			bad := filepath.Join(dir, "domains", u, "config.sxp")
			if err := os.WriteFile(bad, []byte("(domain (name rhel5"), 0o644); err != nil {
				t.Fatal(err)
			}
			sock := startSim(t, host)
			r := exchange(t, sock, post(path, "op=delete"))
			if r.statusLine != "HTTP/1.1 202 Accepted" {
				t.Errorf("status line %q, want 202 Accepted (body %q)", r.statusLine, r.body)
			}
			if _, err := os.Stat(filepath.Dir(bad)); !os.IsNotExist(err) {
				t.Errorf("delete left the broken record: %v", err)
			}
		})
	}
}
