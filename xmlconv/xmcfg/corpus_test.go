package xmcfg

import (
	"os"
	"path/filepath"
	"testing"
)

// corpusDir is libvirt's xm corpus in the shared conformance folder, which
// lives beside the repository and is not part of it
// (../shared/conformance/README.md); XVIRSH_CORPUS names another corpus
// root. Tests that need it skip when it is not there.
func corpusDir(t testing.TB) string {
	root := os.Getenv("XVIRSH_CORPUS")
	if root == "" {
		root = filepath.Join("..", "..", "..", "shared", "conformance", "corpus")
	}
	dir := filepath.Join(root, "xmconfig")
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Skipf("no xm corpus at %s", dir)
	}
	return dir
}

// Every file of libvirt's xm corpus reads, has a name, and survives a
// rewrite with every value intact.
func TestCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpusDir(t), "*.cfg"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .cfg files in the corpus (%v)", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			c, err := ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Entries) == 0 {
				t.Fatal("no entries")
			}
			if _, err := c.ReqStr("name"); err != nil {
				t.Fatal(err)
			}
			out, err := c.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			back, err := Parse(out, "rewritten")
			if err != nil || !sameEntries(back.Entries, c.Entries) {
				t.Fatalf("rewrite does not read back (%v):\n%s", err, out)
			}
		})
	}
}
