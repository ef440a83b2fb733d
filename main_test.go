package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pmezard/go-difflib/difflib"
	"github.com/rogpeppe/go-internal/testscript"

	"xvirsh/commands"
)

var updateScripts = flag.Bool("update-scripts", false, "rewrite the cmp sections of failing testscripts")

// TestMain lets testscript run this test binary as `xvirsh`, through the
// same run() main uses.
func TestMain(m *testing.M) {
	testCache()
	testscript.Main(m, map[string]func(){
		"xvirsh": func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// testCache sends what xvirsh caches (test:///DIR indexes, history) to a
// directory of the tests' own rather than the user's, inherited by the
// xvirsh processes the tests start.
func testCache() {
	if os.Getenv("XVIRSH_TEST_CACHE") == "" {
		dir := filepath.Join(os.TempDir(), "xvirsh-test-cache")
		os.Setenv("XVIRSH_TEST_CACHE", dir)
		os.Setenv("XDG_CACHE_HOME", dir)
	}
}

// TestScript runs testdata/script/*.txtar, one script per command family.
// Every script talks to the demo host (test:///default) unless it says
// otherwise, and no script needs a real Xen host.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *updateScripts,
		Setup: func(env *testscript.Env) error {
			env.Setenv(uriEnv, "test:///default")
			env.Setenv("XDG_CACHE_HOME", env.WorkDir+"/.cache")
			env.Setenv("HOME", env.WorkDir)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"cmpxml":  cmpXML,
			"xmldocs": xmlDocs,
			"waitfor": waitFor,
			"mute":    muteServer,
		},
	})
}

// cmpXML compares two domain XML files bar what only a live domain shows
// (commands.NormalizeLive: id, tty, vif names, autoport VNC port).
func cmpXML(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: cmpxml FILE1 FILE2")
	}
	norm := func(name string) string {
		return commands.NormalizeLive(ts.ReadFile(name))
	}
	a, b := norm(args[0]), norm(args[1])
	if a == "" && !neg {
		ts.Fatalf("%s is empty", args[0])
	}
	if (a == b) == neg {
		if neg {
			ts.Fatalf("%s and %s are the same XML", args[0], args[1])
		}
		ts.Fatalf("%s and %s differ beyond what only a live domain shows:\n%s", args[0], args[1], lineDiff(a, b))
	}
}

// xmlDocs cuts the <domain> documents out of a transcript (a REPL
// session's stdout) into PREFIX1.xml, PREFIX2.xml, ...; -count=N checks
// how many there were.
func xmlDocs(ts *testscript.TestScript, neg bool, args []string) {
	want := -1
	if len(args) == 3 && strings.HasPrefix(args[0], "-count=") {
		n, err := strconv.Atoi(strings.TrimPrefix(args[0], "-count="))
		if err != nil {
			ts.Fatalf("bad %s", args[0])
		}
		want, args = n, args[1:]
	}
	if neg || len(args) != 2 {
		ts.Fatalf("usage: xmldocs [-count=N] FILE PREFIX")
	}
	docs := domainDoc.FindAllString(ts.ReadFile(args[0]), -1)
	if want >= 0 && len(docs) != want {
		ts.Fatalf("%d domain documents in %s, want %d", len(docs), args[0], want)
	}
	for i, d := range docs {
		name := ts.MkAbs(fmt.Sprintf("%s%d.xml", args[1], i+1))
		ts.Check(os.WriteFile(name, []byte(d), 0o644))
	}
}

var domainDoc = regexp.MustCompile(`(?ms)^<domain .*?^</domain>\n`)

// waitFor waits up to ten seconds for a file (a server's socket) to
// appear, so a script can start a server in the background and use it.
func waitFor(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfor PATH")
	}
	path := ts.MkAbs(args[0])
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return
		}
	}
	ts.Fatalf("%s did not appear within 10s", args[0])
}

// muteServer listens on a unix socket and accepts connections but never
// answers, like an xend stuck in a request, until the script ends. It
// creates SOCKET.accepted at the first connection, for waitfor.
func muteServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mute SOCKET")
	}
	sock := ts.MkAbs(args[0])
	l, err := net.Listen("unix", sock)
	ts.Check(err)
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			if conns = append(conns, c); len(conns) == 1 {
				os.WriteFile(sock+".accepted", nil, 0o644)
			}
		}
	}()
	ts.Defer(func() {
		l.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
}

// lineDiff is a unified diff of a and b, for failure messages.
func lineDiff(a, b string) string {
	diff, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(a), B: difflib.SplitLines(b), Context: 2,
	})
	return diff
}

func TestParseOptions(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    options
		wantErr string
	}{
		{"none", nil, options{}, ""},
		{"connect", []string{"-c", "test:///default", "list"}, options{uri: "test:///default", rest: []string{"list"}}, ""},
		{"connect joined", []string{"-ctest:///default"}, options{uri: "test:///default"}, ""},
		{"long connect", []string{"--connect=xen:///", "-q"}, options{uri: "xen:///", quiet: true}, ""},
		{"command options are not global", []string{"list", "-q", "--all"}, options{rest: []string{"list", "-q", "--all"}}, ""},
		{"double dash", []string{"--", "-q"}, options{rest: []string{"-q"}}, ""},
		{"missing uri", []string{"-c"}, options{}, "option '-c'/'--connect' requires an argument"},
		{"unknown", []string{"-x", "list"}, options{}, "unsupported option '-x'. See --help."},
		// getopt bundles short options, and virsh users write -rc URI.
		{"bundled", []string{"-rq", "list"}, options{quiet: true, ro: true, rest: []string{"list"}}, ""},
		{"bundled connect", []string{"-qc", "xen:///", "uri"}, options{uri: "xen:///", quiet: true, rest: []string{"uri"}}, ""},
		{"bundled connect joined", []string{"-rcxen:///"}, options{uri: "xen:///", ro: true}, ""},
		{"bundled unknown", []string{"-rz"}, options{}, "unsupported option '-z'. See --help."},
		{"bundled missing uri", []string{"-qc"}, options{}, "option '-c'/'--connect' requires an argument"},
		{"dash alone is a word", []string{"-"}, options{rest: []string{"-"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseOptions(tt.args)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
