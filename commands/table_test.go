package commands

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestCommandTable checks the rules the binder, help and completion rely
// on, for every row of the table (virsh's vshCmddefCheckInternals).
func TestCommandTable(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Default() {
		t.Run(c.Name, func(t *testing.T) {
			if c.Name == "" || seen[c.Name] {
				t.Fatalf("empty or duplicate command name %q", c.Name)
			}
			seen[c.Name] = true
			if c.Summary == "" {
				t.Error("no summary")
			}
			if c.Group == nil {
				t.Error("no group")
			}
			if c.Run == nil {
				t.Error("no handler")
			}
			optSeen := map[string]bool{}
			optionalPositional := 0
			for i, o := range c.Opts {
				if o.Name == "" || optSeen[o.Name] || o.Name == "help" {
					t.Errorf("option %d: empty, duplicate or reserved name %q", i, o.Name)
				}
				optSeen[o.Name] = true
				if o.Help == "" {
					t.Errorf("--%s: no help", o.Name)
				}
				switch o.Kind {
				case KindBool:
					if o.Positional || o.Required || o.Complete != nil || o.NoComplete {
						t.Errorf("--%s: a bool option cannot be positional, required or completed", o.Name)
					}
				case KindString, KindNumber, KindArgv:
					if (o.Complete == nil) == !o.NoComplete {
						t.Errorf("--%s: needs exactly one of a completer or NoComplete", o.Name)
					}
				default:
					t.Errorf("--%s: unknown kind %d", o.Name, o.Kind)
				}
				if o.Kind == KindArgv && i != len(c.Opts)-1 {
					t.Errorf("--%s: an argv option must come last", o.Name)
				}
				if o.Positional {
					if !o.Required {
						optionalPositional++
					} else if optionalPositional > 0 {
						t.Errorf("--%s: required positional after an optional one", o.Name)
					}
				}
			}
			// Optional positionals bind in declaration order, as virsh's
			// do (vcpupin <domain> [--vcpu] [--cpulist]); only vcpupin
			// needs two.
			if optionalPositional > 1 && c.Name != "vcpupin" {
				t.Errorf("%d optional positional options; at most one is unambiguous", optionalPositional)
			}
		})
	}
	for _, want := range []string{"list", "create", "dumpxml", "define", "undefine", "start",
		"destroy", "shutdown", "reboot", "suspend", "resume", "dominfo", "domstate", "domid",
		"domname", "domuuid", "setmem", "setmaxmem", "setvcpus", "nodeinfo", "version", "uri",
		"connect", "domxml-from-native", "domxml-to-native", "help", "quit", "exit",
		"dumpsxp", "roundtrip", "xend-sim", "complete", "echo"} {
		if !seen[want] {
			t.Errorf("command %s missing from the table", want)
		}
	}
}

// TestHelpGolden keeps the help of every command in one reviewed file
// (virsh's self-test --dump-help); go test -update rewrites it.
func TestHelpGolden(t *testing.T) {
	var out bytes.Buffer
	e := testEnv(&out)
	ctx := context.Background()
	e.ExecLine(ctx, "help")
	for _, c := range Default() {
		out.WriteString("#### help " + c.Name + "\n")
		if ok, _ := e.ExecLine(ctx, "help "+c.Name); !ok {
			t.Errorf("help %s failed", c.Name)
		}
	}
	golden := filepath.Join("testdata", "help.golden")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("help output differs from %s (go test -update to accept):\n%s", golden, out.String())
	}
}

// TestPlainTableIsTablewriters: big tables and every list skip tablewriter;
// what they print must be exactly what tablewriter would, for names of
// every width: ASCII, CJK, emoji, combining marks, blanks at either end,
// empty cells, control characters (a hostile server's, which both escape).
func TestPlainTableIsTablewriters(t *testing.T) {
	names := []string{"Domain-0", "winxp", "a", "", " lead", "trail ", "日本語のドメイン", "emoji-🙂", "e\u0301te", "x\\x1by",
		"very-long-domain-name-for-a-wide-column", "中", "tab here", "-", "ev\x1b[31mil", "two\nlines", "nul\x00"}
	states := []string{"running", "idle", "paused", "shut off", "in shutdown", "crashed", "no state", ""}
	// list's two layouts: plain, and --title's empty last column.
	for _, header := range [][]string{{"Id", "Name", "State"}, {"Id", "Name", "State", "Title"}} {
		for n := 1; n <= 40; n += 13 {
			for quiet := range 2 {
				var rows, rows2 [][]string
				for i := range n {
					id := "-"
					if i%3 != 0 {
						id = fmt.Sprint(i * 37)
					}
					r := []string{id, names[(i*7+n)%len(names)], states[(i+n)%len(states)]}
					if len(header) == 4 {
						r = append(r, "")
					}
					rows = append(rows, r)
					rows2 = append(rows2, slices.Clone(r))
				}
				var want, got bytes.Buffer
				if err := writeTable(&want, header, rows, quiet == 1); err != nil {
					t.Fatal(err)
				}
				if err := writePlain(&got, header, rows2, quiet == 1); err != nil {
					t.Fatal(err)
				}
				if got.String() != want.String() {
					t.Errorf("%v, %d rows, quiet %v:\nplain:\n%q\ntablewriter:\n%q", header, n, quiet == 1, got.String(), want.String())
				}
				if strings.ContainsFunc(strings.ReplaceAll(got.String(), "\n", ""), isControl) {
					t.Errorf("%d rows: a control character reached the output:\n%q", n, got.String())
				}
			}
		}
	}
}
