package xendsim

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"xvirsh/backend/fake"
)

// TestSaveRestoreOverHTTP: save answers 202 and its Location; restore
// answers 201 Created with a Location naming the domain, an empty body,
// and the domain runs again (xend-protocol.md §3).
func TestSaveRestoreOverHTTP(t *testing.T) {
	sock := startSim(t, fake.NewDefault())
	file := filepath.Join(t.TempDir(), "fc8.save")
	form := "op=save&file=" + url.QueryEscape(file)
	if r := exchange(t, sock, post("/xend/domain/fc8", form)); r.statusLine != "HTTP/1.1 202 Accepted" || r.body != "" {
		t.Fatalf("save: %q %q", r.statusLine, r.body)
	}
	r := exchange(t, sock, post("/xend/domain/", "op=restore&file="+url.QueryEscape(file)))
	if loc, _ := r.header("Location"); r.statusLine != "HTTP/1.1 201 created" || r.body != "" || !strings.HasSuffix(loc, "/xend/domain/fc8") {
		t.Fatalf("restore: %q %q Location %q", r.statusLine, r.body, loc)
	}
	r = exchange(t, sock, post("/xend/domain/", "op=restore&file="+url.QueryEscape(file)))
	if r.statusLine != "HTTP/1.1 200 OK" || !strings.Contains(r.body, "already exists with ID") {
		t.Fatalf("restore again: %q %q, want 200 and xend's clash", r.statusLine, r.body)
	}
}
