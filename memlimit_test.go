package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMemoryThatCannotFit is issue 7 point 6: create and define refuse a
// memory size the host cannot hold, with a clear error and nothing
// written; a record that says so anyway is shown unwrapped.
func TestMemoryThatCannotFit(t *testing.T) {
	domainXML := func(name, mem, cur string) string {
		s := "<domain type='xen'><name>" + name + "</name><memory unit='KiB'>" + mem + "</memory>"
		if cur != "" {
			s += "<currentMemory unit='KiB'>" + cur + "</currentMemory>"
		}
		return s + "<os><type>linux</type><kernel>/boot/vmlinuz</kernel></os></domain>"
	}
	const host = "8388608" // the demo host's 8 GiB, in KiB
	tests := []struct {
		name, cmd, xml, want string
	}{
		{"define, more than the host", "define", domainXML("big", "8389632", ""),
			"error: Failed to define domain from FILE\nerror: invalid argument: <memory> of 8389632 KiB does not fit the host, which has " + host + " KiB\n"},
		{"create, more than the host", "create", domainXML("big", "17179869184", ""),
			"error: Failed to create domain from FILE\nerror: invalid argument: <memory> of 17179869184 KiB does not fit the host, which has " + host + " KiB\n"},
		{"current memory over the host", "create", domainXML("big", "17179869184", "9437184"),
			"error: Failed to create domain from FILE\nerror: invalid argument: <memory> of 17179869184 KiB does not fit the host, which has " + host + " KiB\n"},
		{"the largest scaled integer", "define", domainXML("big", "18014398509481983", ""),
			"error: Failed to define domain from FILE\nerror: unsupported configuration: <memory> of 18014398509481983 KiB is more than the 8796093022208 MiB a domain can have\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			uri := "test://" + filepath.Join(dir, "host")
			file := filepath.Join(dir, "big.xml")
			os.WriteFile(file, []byte(tt.xml), 0o644)
			if st, _, errs := xv(t, "-c", uri, "list"); st != 0 {
				t.Fatal(errs)
			}
			before := tree(t, filepath.Join(dir, "host"))
			st, out, errs := xv(t, "-c", uri, tt.cmd, file)
			want := strings.ReplaceAll(tt.want, "FILE", file)
			if st != 1 || errs != want || strings.TrimSpace(out) != "" {
				t.Errorf("status %d, stdout %q, stderr:\n%s\nwant 1 and\n%s", st, out, errs, want)
			}
			sameTree(t, tt.cmd, tree(t, filepath.Join(dir, "host")), before)
		})
	}

	// A record that holds such a value anyway (written by hand, or by
	// another xend client) lists, and shows its size unwrapped.
	dir := t.TempDir()
	if st, _, errs := xv(t, "-c", "test://"+dir, "list"); st != 0 {
		t.Fatal(errs)
	}
	cfg := filepath.Join(dir, "domains", rhel5UUID, "config.sxp")
	data, _ := os.ReadFile(cfg)
	huge := strings.Replace(string(data), "(memory 384)", "(memory 18014398509481984)", 1)
	huge = strings.Replace(huge, "(maxmem 384)", "(maxmem 18014398509481984)", 1)
	if huge == string(data) {
		t.Fatalf("rhel5's record has no (memory 384)/(maxmem 384):\n%s", data)
	}
	os.WriteFile(cfg, []byte(huge), 0o644)
	st, out, errs := xv(t, "-c", "test://"+dir, "list --all --name; dominfo rhel5")
	if st != 0 || errs != "" || !strings.Contains(out, "rhel5\n") ||
		!strings.Contains(out, "Max memory:     18446744073709551615 KiB\n") {
		t.Errorf("status %d, stderr %q, stdout:\n%s", st, errs, out)
	}
}
