package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestVirshParityViews is TestVirshParity for the device and vCPU views
// (domblklist, domiflist, vcpucount): the node file also carries each
// domain's disks and interfaces, copied from our own dumpxml, so that the
// test driver lists what the demo host has. What the driver cannot show
// the same (the host's CPU count in vcpupin/vcpuinfo, its "fair"
// scheduler in schedinfo) is not compared here; views.txtar holds those.
func TestVirshParityViews(t *testing.T) {
	h := newParityHost(t)
	ctx := context.Background()
	virsh, node, b, doms := h.virsh, h.node, h.b, h.doms
	data, err := os.ReadFile(node)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, d := range doms {
		x, err := b.XML(ctx, d.UUID, false)
		if err != nil {
			t.Fatal(err)
		}
		devs := deviceXML(x)
		anchor := "<name>" + d.Name + "</name>"
		i := strings.Index(text, anchor)
		j := strings.Index(text[i:], "</os>")
		if i < 0 || j < 0 {
			t.Fatalf("node file has no domain %s", d.Name)
		}
		at := i + j + len("</os>")
		text = text[:at] + "\n    <devices>" + devs + "</devices>" + text[at:]
	}
	if err := os.WriteFile(node, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	virshURI := "test://" + node

	cases := []string{
		"domblklist fc8",
		"domblklist fc8 --details",
		"domblklist rhel5 --inactive",
		"domiflist fc8",
		"vcpucount fc8 --config",
		"vcpucount fc8 --current",
		"vcpucount fc8 --maximum --active",
		"vcpucount fc8",
		"vcpucount rhel5",
		"vcpucount fc8 --maximum",
		"vcpucount fc8 --active --live",
		"vcpucount rhel5 --config",
		"domblklist nosuch",
		"domiflist nosuch",
		"vcpucount nosuch",
		"vcpucount rhel5 --live --config",
		"domblklist",
		"shutdown fc8 --mode foo",
		"dump fc8 /nonexistent/core --crash --reset",
		"schedinfo nosuch",
		"vcpuinfo nosuch",
		"vcpupin nosuch",
		"save nosuch /nonexistent/x",
		"restore",
		"migrate fc8",
		"autostart nosuch",
		"reset nosuch",
		"domrename nosuch x",
		"send-key nosuch KEY_A",
		"vncdisplay nosuch",
		"ttyconsole nosuch",
		"domdisplay nosuch",
		"domblkinfo nosuch hda",
		"domblkinfo fc8",
		"vcpupin fc8 --cpulist 1",
		"start --paused nosuch",
		"destroy --graceful nosuch",
	}
	for _, quiet := range []bool{false, true} {
		for _, c := range cases {
			name, args := c, []string{c}
			if quiet {
				name, args = "-q "+c, []string{"-q", c}
			}
			t.Run(name, func(t *testing.T) {
				vOut, vErr, vCode := runVirsh(t, virsh, virshURI, args)
				var out, errb bytes.Buffer
				code := run(append([]string{"-c", "test:///default"}, args...), strings.NewReader(""), &out, &errb)
				if out.String() != vOut {
					t.Errorf("stdout differs\nvirsh:\n%s\nxvirsh:\n%s", vOut, out.String())
				}
				if errb.String() != vErr {
					t.Errorf("stderr differs\nvirsh:\n%s\nxvirsh:\n%s", vErr, errb.String())
				}
				if code != vCode {
					t.Errorf("exit status %d, virsh's %d", code, vCode)
				}
			})
		}
	}
}

var deviceElems = regexp.MustCompile(`(?s)<(disk|interface)\b.*?</(disk|interface)>`)

// deviceXML is the disks and interfaces of a domain XML, as text.
func deviceXML(x string) string {
	return strings.Join(deviceElems.FindAllString(x, -1), "\n")
}
