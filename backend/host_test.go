package backend

import (
	"reflect"
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
