package main

import (
	"os"
	"os/exec"
	"regexp"
	"testing"
)

// initLine is a line of GODEBUG=inittrace=1: the package whose init ran.
var initLine = regexp.MustCompile(`(?m)^init (\S+) @`)

// aaa/faststart maps the code before the inits that run it, so its init
// must be the first after the runtime's own; its module path is chosen for
// that (see its package comment). This test binary links what xvirsh does.
func TestFaststartInitRunsFirst(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var order []string
	for _, m := range initLine.FindAllStringSubmatch(string(out), -1) {
		order = append(order, m[1])
	}
	for i, pkg := range order {
		if pkg == "runtime" {
			if i+1 < len(order) && order[i+1] == "aaa/faststart" {
				return
			}
			break
		}
	}
	t.Errorf("aaa/faststart is not the first init after the runtime's:\n%q", order)
}
