package xmlconv

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"xvirsh/sexpr"
)

// The cases below carry the names of libvirt's sexpr2xml and xml2sexpr test
// pairs and exercise what those did, with inputs of our own and outputs
// derived from mapping.md, in the xend config format each pair was made
// for. Inputs and golden files live in testdata/libvirt/<direction>/.
// -update rewrites the golden files from the current output.

var libvirtSexpr2XML = []struct {
	name    string
	version int
}{
	{"pv-vfb-new-vncdisplay", 3}, // vfb (vncunused 0)(vncdisplay N) -> fixed port
	{"pv-vfb-type-crash", 3},     // vfb without (type), only (vnc 1)
	{"fv-autoport", 3},           // HVM vfb: a display number but (vncunused 1)
	{"pv-bootloader-cmdline", 1}, // bootloader, its args and a kernel cmdline
	{"disk-block-shareable", 2},  // phy: with mode w!
	{"disk-drv-blktap2-raw", 2},  // tap2:aio: in a tap2 and in a tap block
	{"disk-drv-blkback", 2},      // phy: driver
	{"curmem", 2},                // memory below maxmem; bootloader, no image
	{"net-routed", 2},            // vif-routed script and ip: ethernet
	{"fv-localtime", 1},
	{"fv-usbtablet", 1},
	{"fv-force-nohpet", 1},
	{"fv-serial-dev-2nd-port", 1}, // (serial (none /dev/ttyS1))
	{"fv-serial-pipe", 1},
	{"fv-serial-tcp-telnet", 1},
	{"fv-serial-unix", 1},
	{"fv-sound-all", 1},  // (soundhw all) -> sb16 and es1370
	{"fv-vncunused", 2},  // in-image (vncunused 1); (boot dc)
	{"vif-rate", 4},      // (rate '100Mb/s@20ms') and (type 'netfront')
	{"fv-net-rate", 4},   // (rate '2MB/s')
	{"real-xend-hvm", 4}, // a full xend 3.x record with runtime keys
	{"real-xend-hvm", 1}, // ... read as an old xend would
}

var libvirtXML2Sexpr = []struct {
	name    string
	version int
}{
	{"fv-localtime", 1},
	{"fv-usbtablet", 1},
	{"fv-force-nohpet", 1},
	{"fv-serial-dev-2nd-port", 1},
	{"fv-serial-pipe", 1},
	{"fv-serial-tcp-telnet", 1},
	{"fv-serial-unix", 1},
	{"fv-sound-all", 1},
	{"fv-empty-kernel", 1}, // <kernel></kernel> is no kernel: (kernel loader)
	{"escape", 1},          // quotes, backslash and parentheses in values
	{"escape-kernel", 1},   // HVM direct kernel, cmdline with " and &
	{"fv-vncunused", 2},
	{"fv-autoport", 3},
	{"fv-legacy-vfb", 4}, // modern HVM, ethernet vif-vnic, phy disk
	{"pv-vfb-new-auto", 3},
	{"pv-vfb-new-vncdisplay", 3},
	{"pv-vfb-type-crash", 3},
	{"pv-bootloader-cmdline", 1},
	{"curmem", 2}, // bootloader without cmdline: no image before 3.1
	{"net-routed", 2},
	{"disk-block-shareable", 2},
	{"disk-drv-loop", 2},
	{"disk-drv-blktap2", 4},
	{"disk-drv-blktap2-raw", 2},
}

// lvRuntimeOnly: what a running domain adds to X1 but a created one lacks,
// the id, vifD.N names, and a port chosen by autoport.
var lvRuntimeOnly = regexp.MustCompile(` id='\d+'|\n *<target dev='vif\d+\.\d+'/>| port='-?\d+'( autoport='yes')`)

func TestLibvirtSexpr2XMLGolden(t *testing.T) {
	dir := filepath.Join("testdata", "libvirt", "sexpr2xml")
	for _, tc := range libvirtSexpr2XML {
		name := tc.name + "/v" + strconv.Itoa(tc.version)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, tc.name+".sexpr"))
			if err != nil {
				t.Fatal(err)
			}
			root, err := sexpr.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ToXML(root, Options{Version: tc.version})
			if err != nil {
				t.Fatalf("ToXML: %v", err)
			}
			golden := filepath.Join(dir, tc.name+".xml")
			if tc.version != libvirtFirstVersion(tc.name) {
				golden = filepath.Join(dir, tc.name+".v"+strconv.Itoa(tc.version)+".xml")
			}
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			} else if want, err := os.ReadFile(golden); err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			} else if got != string(want) {
				t.Errorf("output differs from %s\n--- got ---\n%s--- want ---\n%s", golden, got, want)
			}

			// dumpxml -> create -> dumpxml, as the conformance round trip
			// does it: always in the default format.
			x1, err := ToXML(root, Options{})
			if err != nil {
				t.Fatalf("ToXML (default format): %v", err)
			}
			s2, err := ToSexpr([]byte(x1), 0)
			if err != nil {
				t.Fatalf("ToSexpr(X1): %v\n%s", err, x1)
			}
			x2, err := ToXML(s2, Options{})
			if err != nil {
				t.Fatalf("ToXML(S2): %v\n%s", err, s2)
			}
			a := lvRuntimeOnly.ReplaceAllString(x1, "$1")
			b := lvRuntimeOnly.ReplaceAllString(x2, "$1")
			if a != b {
				t.Errorf("round trip changed the XML\nS2 %s\n--- X1 ---\n%s--- X2 ---\n%s", s2, a, b)
			}
		})
	}
}

// libvirtFirstVersion is the format of a case's first table entry, whose
// golden file carries no version in its name.
func libvirtFirstVersion(name string) int {
	for _, tc := range libvirtSexpr2XML {
		if tc.name == name {
			return tc.version
		}
	}
	return 0
}

func TestLibvirtXML2SexprGolden(t *testing.T) {
	dir := filepath.Join("testdata", "libvirt", "xml2sexpr")
	for _, tc := range libvirtXML2Sexpr {
		t.Run(tc.name+"/v"+strconv.Itoa(tc.version), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, tc.name+".xml"))
			if err != nil {
				t.Fatal(err)
			}
			got, err := ToSexpr(data, tc.version)
			if err != nil {
				t.Fatalf("ToSexpr: %v", err)
			}
			// What xend reads must be what was built.
			back, err := sexpr.ParseString(got.String())
			if err != nil || !sexpr.Equal(got, back) {
				t.Fatalf("printed SEXPR does not read back: %v\n%s", err, got)
			}
			golden := filepath.Join(dir, tc.name+".sexpr")
			if *update {
				if err := os.WriteFile(golden, []byte(got.String()+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			wantData, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			want, err := sexpr.Parse(wantData)
			if err != nil {
				t.Fatalf("%s: %v", golden, err)
			}
			if !sexpr.Equal(got, want) {
				t.Errorf("output differs from %s\n got  %s\n want %s", golden, got, want)
			}
		})
	}
}
