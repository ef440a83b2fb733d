package tw

import "testing"

// Styles is an array in the fork (FORK.md): every style still has its name.
func TestStylesNamesEveryStyle(t *testing.T) {
	for s := StyleNone; int(s) < len(Styles); s++ {
		if Styles[s] == "" {
			t.Errorf("style %d has no name", s)
		}
	}
	if Styles[StyleDefault] != StyleNameLight || Styles[StyleASCII] != StyleNameASCII || Styles[StyleHypno] != StyleNameHypno {
		t.Errorf("Styles: default %q, ascii %q, hypno %q", Styles[StyleDefault], Styles[StyleASCII], Styles[StyleHypno])
	}
}
