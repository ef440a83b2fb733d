package renderer

import (
	"html"
	"testing"
)

// escapeHTML stands in for html.EscapeString (see FORK.md).
func TestEscapeHTMLIsHTMLEscapeString(t *testing.T) {
	for _, s := range []string{"", "plain", `<a href="x">Tom & Jerry's</a>`, "&amp;", "日本<語>", "'\"<>&"} {
		if got, want := escapeHTML(s), html.EscapeString(s); got != want {
			t.Errorf("escapeHTML(%q) = %q, want %q", s, got, want)
		}
	}
}
