package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"xvirsh/backend"
	"xvirsh/backend/connect"
)

// TestVirshParity runs the same commands through virsh, against libvirt's
// test driver loaded with a node file that holds the demo host's domains
// (names, UUIDs, states, memory, vCPUs), and through xvirsh against
// test:///default, and wants the same bytes on stdout and stderr and the
// same exit status. It runs where virsh is installed (CI installs it).
//
// What the test driver cannot be told is mapped or dropped, never
// guessed: it numbers running domains 1, 2, 3 in file order (Domain-0
// cannot have id 0), so virsh's ids are translated to ours; it reports a
// CPU time from its own clock, test security labels, and "linux" as every
// domain's OS type, so those dominfo lines are dropped on both sides. A
// failed operation's second error line is the driver's own wording (the
// test driver and xend word "not running" differently), so the cases
// keep to errors virsh itself words.
func TestVirshParity(t *testing.T) {
	h := newParityHost(t)
	virsh, node, idMap := h.virsh, h.node, h.idMap
	virshURI := "test://" + node

	cases := []string{
		"list",
		"list --all",
		"list --inactive",
		"list --all --name",
		"list --all --uuid",
		"list --all --uuid --name",
		"list --all --table --uuid",
		"list --all --id --uuid",
		"list --state-running; list --state-paused; list --state-other",
		"list --state-shutoff; list --all --state-running --state-shutoff",
		"list --inactive --state-running; list --state-other --name",
		"list --all --persistent --transient; list --no-autostart --all; list --autostart --all",
		"list --title; list --all --title",
		"maxvcpus",
		"list --all --with-snapshot; list --without-snapshot --name; list --all --with-managed-save --without-managed-save --managed-save",
		"list --with-checkpoint --all; list --without-checkpoint --inactive; list --all --without-managed-save",
		"console fc8; console rhel5; console nosuch",
		"desc fc8; desc rhel5 --title; desc nosuch",
		"desc rhel5 --new-desc 'build host'; desc rhel5; echo END",
		"echo a b; echo; domuuid fc8",
		"edit nosuch; dumpxml winxp --xpath //name --wrap --inactive",
		"dumpxml fc8 --xpath /domain/name; dumpxml fc8 --xpath //uuid/text(); dumpxml fc8 --xpath /domain/name --wrap",
		"dumpxml rhel5 --xpath //nosuch; dumpxml rhel5 --xpath //nosuch --wrap; dumpxml rhel5 --xpath 'count(//disk)'",
		"dumpxml winxp --xpath '/domain/name | //uuid' --wrap; dumpxml winxp --xpath '//memory/@unit'; dumpxml winxp --xpath '//memory/@unit' --wrap",
		"dumpxml winxp --xpath /domain/memory; dumpxml winxp --xpath '/domain/currentMemory/text()' --wrap",
		"list --all --title --uuid; list --title --name; list --title --id",
		"domid winxp; domname c7a5fdbd-cdaf-9455-926a-d65c16db1809; domuuid rhel5",
		"domname fc8",
		"dominfo winxp",
		"dominfo fc8",
		"dominfo rhel5",
		"domstate winxp; domstate rhel5",
		"domuuid fc8; domname fc8; domid rhel5",
		"dominfo nosuch",
		"domid nosuch",
		"dumpxml nosuch",
		"start nosuch",
		"start fc8",
		"destroy rhel5",
		"foo",
		"list --foo",
		"list --all --all",
		"dominfo",
		"dominfo a b",
		"dominfo --domain",
		"list --table --name",
		"setmem fc8 abc",
		"setmem fc8 ' 100000'; setmem fc8 +-1; setvcpus fc8 ' +1'; setmaxmem fc8 -5",
		"setmem fc8 1.5M; setmem fc8 10x; setmaxmem fc8 0x10; setmem fc8 18014398509481984; setmem fc8 0; setmaxmem fc8 0",
		"setvcpus fc8 x",
		"create /nonexistent.xml",
		"domid fc8; foo",
		"domid nosuch; domid fc8",
	}
	// -r: every change refused with libvirt's words, reads as usual.
	readOnly := []string{
		"destroy winxp; suspend fc8; resume fc8; shutdown fc8; reboot winxp",
		"start rhel5; undefine rhel5; setmem fc8 100000; setmaxmem fc8 100000; setvcpus fc8 1",
		"dumpxml winxp --security-info",
		"connect --readonly; list --all",
	}
	for _, mode := range []string{"", "-q", "-r"} {
		list := cases
		if mode == "-r" {
			list = readOnly
		}
		for _, c := range list {
			name := c
			args := []string{c}
			if mode != "" {
				name, args = mode+" "+c, []string{mode, c}
			}
			t.Run(name, func(t *testing.T) {
				vOut, vErr, vCode := runVirsh(t, virsh, virshURI, args)
				var out, errb bytes.Buffer
				code := run(append([]string{"-c", "test:///default"}, args...), strings.NewReader(""), &out, &errb)
				want := mapIDs(dropUnrepresentable(vOut), idMap)
				got := dropUnrepresentable(out.String())
				if got != want {
					t.Errorf("stdout differs\nvirsh:\n%s\nxvirsh:\n%s", want, got)
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

func runVirsh(t *testing.T, virsh, uri string, args []string) (stdout, stderr string, code int) {
	t.Helper()
	// virsh 9.0 itself sometimes never returns: about one `dump` in
	// sixty against the test driver waits in poll for a job that has
	// ended. That is virsh's bug, not a difference to report, so a run
	// that takes far longer than any command here is killed and tried
	// again, rather than holding the suite until go test's own timeout.
	const attempts, limit = 3, 30 * time.Second
	for range attempts {
		ctx, cancel := context.WithTimeout(context.Background(), limit)
		cmd := exec.CommandContext(ctx, virsh, append([]string{"-c", uri}, args...)...)
		cmd.Env = append(os.Environ(), "LC_ALL=C", "HOME="+t.TempDir())
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		timedOut := ctx.Err() != nil
		cancel()
		if timedOut {
			t.Logf("virsh %q did not return within %s; run again", args, limit)
			continue
		}
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee):
			code = ee.ExitCode()
		case err != nil:
			t.Fatal(err)
		}
		return out.String(), errb.String(), code
	}
	t.Fatalf("virsh %q did not return within %s, %d times", args, limit, attempts)
	return "", "", 0
}

// writeNodeFile writes a libvirt test-driver node file holding doms, and
// returns the id virsh will show for each running domain mapped to ours.
// The test driver gives running domains ids from 1 in file order, so the
// file lists them in our id order.
func writeNodeFile(path string, doms []backend.Domain) (map[string]string, error) {
	runstate := map[backend.State]int{
		backend.StateRunning: 1, backend.StateBlocked: 2, backend.StatePaused: 3,
		backend.StateShutdown: 4, backend.StateShutoff: 5, backend.StateCrashed: 6,
	}
	var b strings.Builder
	b.WriteString("<node>\n  <cpu><mhz>2394</mhz><model>x86_64</model></cpu>\n")
	ids := map[string]string{}
	next := 1
	for _, d := range doms {
		rs, ok := runstate[d.State]
		if !ok {
			return nil, fmt.Errorf("domain %s: state %s has no test-driver equivalent", d.Name, d.State)
		}
		if d.State.Active() {
			ids[strconv.Itoa(next)] = strconv.Itoa(d.ID)
			next++
		}
		osType := d.OSType
		if osType == "linux" {
			osType = "xen" // libvirt's name for a PV guest's OS; virsh shows it as linux
		}
		fmt.Fprintf(&b, `  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>%s</name>
    <uuid>%s</uuid>
    <memory unit='KiB'>%d</memory>
    <currentMemory unit='KiB'>%d</currentMemory>
    <vcpu>%d</vcpu>
    <os><type>%s</type></os>
    <test:runstate>%d</test:runstate>
  </domain>
`, d.Name, d.UUID, d.MaxMemKiB, d.MemoryKiB, d.VCPUs, osType, rs)
	}
	b.WriteString("</node>\n")
	return ids, os.WriteFile(path, []byte(b.String()), 0o644)
}

var (
	// What the test driver prints and the demo host cannot match: CPU time
	// from the test driver's clock, its OS type and its security driver's
	// labels.
	unrepresentable = regexp.MustCompile(`(?m)^(CPU time|OS Type|Security [a-zA-Z]+):.*\n`)
	tableID         = regexp.MustCompile(`(?m)^( )(\d+)( +)`)
	dominfoID       = regexp.MustCompile(`(?m)^(Id: +|[0-9a-f-]{36} )?(\d+)$`)
)

func dropUnrepresentable(s string) string { return unrepresentable.ReplaceAllString(s, "") }

// mapIDs turns virsh's domain ids into ours in list tables and dominfo,
// keeping the column width.
func mapIDs(s string, ids map[string]string) string {
	swap := func(id string) string {
		if ours, ok := ids[id]; ok {
			return ours
		}
		return id
	}
	s = tableID.ReplaceAllStringFunc(s, func(m string) string {
		p := tableID.FindStringSubmatch(m)
		ours := swap(p[2])
		pad := len(p[3]) + len(p[2]) - len(ours)
		if pad < 1 {
			pad = 1
		}
		return p[1] + ours + strings.Repeat(" ", pad)
	})
	return dominfoID.ReplaceAllStringFunc(s, func(m string) string {
		p := dominfoID.FindStringSubmatch(m)
		return p[1] + swap(p[2])
	})
}

// parityHost is the set-up both parity tests share: virsh's path (the
// test is skipped without it), the demo host, its domains and a
// test-driver node file holding them, with writeNodeFile's id map.
type parityHost struct {
	virsh, node string
	b           backend.Backend
	doms        []backend.Domain
	idMap       map[string]string
}

func newParityHost(t *testing.T) *parityHost {
	t.Helper()
	virsh, err := exec.LookPath("virsh")
	if err != nil {
		t.Skip("virsh is not installed")
	}
	b, err := connect.Open("test:///default")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	doms, err := b.List(context.Background(), backend.ListAll)
	if err != nil {
		t.Fatal(err)
	}
	node := filepath.Join(t.TempDir(), "node.xml")
	idMap, err := writeNodeFile(node, doms)
	if err != nil {
		t.Fatal(err)
	}
	return &parityHost{virsh: virsh, node: node, b: b, doms: doms, idMap: idMap}
}
