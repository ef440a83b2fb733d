package backend

import (
	"reflect"
	"regexp"
	"testing"
)

func TestParseXenCaps(t *testing.T) {
	got := parseXenCaps("xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 bogus")
	want := []GuestCaps{
		{OSType: "xen", Arch: "x86_64", WordSize: 64},
		{OSType: "xen", Arch: "i686", WordSize: 32, PAE: true},
		{OSType: "hvm", Arch: "i686", WordSize: 32, PAE: true, NonPAE: true},
		{OSType: "hvm", Arch: "x86_64", WordSize: 64},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

// TestSplitXenCap holds the written-out matcher to the pattern libvirt's
// xen driver used for xen_caps words, on words that pass and on near misses.
func TestSplitXenCap(t *testing.T) {
	re := regexp.MustCompile(`^(xen|hvm)-[0-9]+\.[0-9]+-(x86_32|x86_64|ia64|powerpc64)(p|be)?$`)
	for _, w := range []string{
		"xen-3.0-x86_64", "xen-3.0-x86_32p", "hvm-3.0-x86_32", "hvm-3.1-ia64", "xen-3.0-powerpc64",
		"xen-3.0-powerpc64be", "hvm-10.22-x86_64p", "xen-3.0-ia64be",
		"", "bogus", "xen", "xen-", "xen-3.0", "xen-3.0-", "xen-3-x86_64", "xen-.0-x86_64",
		"xen-3.-x86_64", "xen-3.0.1-x86_64", "xen-a.0-x86_64", "kvm-3.0-x86_64", "Xen-3.0-x86_64",
		"xen-3.0-x86_64q", "xen-3.0-x86_32pp", "xen-3.0-x86", "xen-3.0-x86_64-", "hvm-3.0-x86_32b",
		"xen-3.0-ppc64", " xen-3.0-x86_64", "xen-3.0--x86_64", "xen--3.0-x86_64", "xen-3.0-x86_32be",
	} {
		os, arch, sfx, ok := splitXenCap(w)
		m := re.FindStringSubmatch(w)
		if ok != (m != nil) || (ok && (os != m[1] || arch != m[2] || sfx != m[3])) {
			t.Errorf("splitXenCap(%q) = %q %q %q %v, the pattern says %q", w, os, arch, sfx, ok, m)
		}
	}
}

// TestParseNodeCPUs reads node_to_cpu as xend 3.3/3.4 prints it, the
// newline a literal backslash-n on the wire (xend-protocol.md §2.2).
func TestParseNodeCPUs(t *testing.T) {
	got := parseNodeCPUs(`node0:0-3,8\n                         node1:no cpus\n node2:5`, 3)
	want := [][]int{{0, 1, 2, 3, 8}, nil, {5}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestCPUFeatures(t *testing.T) {
	for _, tc := range []struct {
		hw   string
		want []string
	}{
		{"bfebfbff:20100800:00000000:00000140:0000e3bd:00000000:00000001", []string{"vmx", "pae"}},
		{"178bfbff:ebd3fbff:00000000:00000010:00002001:00000000:0000001f", []string{"svm", "pae"}},
		{"", nil},
		{"zz", nil},
	} {
		if got := cpuFeatures(tc.hw); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("cpuFeatures(%q) = %v, want %v", tc.hw, got, tc.want)
		}
	}
}
