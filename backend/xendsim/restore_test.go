package xendsim

import (
	"net/http"
	"net/http/httptest"
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
	h := NewHandler(fake.NewDefault())
	file := filepath.Join(t.TempDir(), "fc8.save")
	send := func(path, form string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	form := "op=save&file=" + url.QueryEscape(file)
	if w := send("/xend/domain/fc8", form); w.Code != http.StatusAccepted || w.Body.Len() != 0 {
		t.Fatalf("save: %d %q", w.Code, w.Body)
	}
	w := send("/xend/domain/", "op=restore&file="+url.QueryEscape(file))
	if w.Code != http.StatusCreated || w.Body.Len() != 0 || !strings.HasSuffix(w.Header().Get("Location"), "/xend/domain/fc8") {
		t.Fatalf("restore: %d %q Location %q", w.Code, w.Body, w.Header().Get("Location"))
	}
	w = send("/xend/domain/", "op=restore&file="+url.QueryEscape(file))
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "already exists with ID") {
		t.Fatalf("restore again: %d %q, want 200 and xend's clash", w.Code, w.Body)
	}
}
