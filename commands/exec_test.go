package commands

import (
	"context"
	"strings"
	"testing"

	"xvirsh/backend"
)

func TestExecLine(t *testing.T) {
	tests := []struct {
		name            string
		line            string
		quiet           bool
		ok, quit        bool
		wantOut, wantEr string
	}{
		{"blank line after each command", "domid fc8; domid winxp", false, true, false, "2\n\n1\n\n", ""},
		{"quiet drops the blank line", "domid fc8; domid winxp", true, true, false, "2\n1\n", ""},
		{"last command decides", "domid nosuch; domid fc8", false, true, false, "\n2\n\n", "error: failed to get domain 'nosuch'\n"},
		{"last command fails", "domid fc8; domid nosuch", false, false, false, "2\n\n\n", "error: failed to get domain 'nosuch'\n"},
		{"parse error runs nothing", "domid fc8; bogus", false, false, false, "", "error: unknown command: 'bogus'\n"},
		{"quit ends the line", "domid fc8; quit; domid winxp", false, true, true, "2\n\n", ""},
		{"exit too", "exit", false, true, true, "", ""},
		{"empty line", "  ; # nothing", false, true, false, "", ""},
		{"handler error, then the blank line", "start fc8", false, false, false, "\n", "error: Domain is already active\n"},
		{"tokenizer error", `echo "a`, false, false, false, "", "error: missing \"\n"},
		{"echo has no blank line", "echo a 'b c'", false, true, false, "a b c\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, out, errb := demoEnv(t)
			e.Quiet = tt.quiet
			ok, quit := e.ExecLine(context.Background(), tt.line)
			if ok != tt.ok || quit != tt.quit {
				t.Errorf("ok, quit = %v, %v; want %v, %v", ok, quit, tt.ok, tt.quit)
			}
			if out.String() != tt.wantOut {
				t.Errorf("stdout = %q, want %q", out, tt.wantOut)
			}
			if errb.String() != tt.wantEr {
				t.Errorf("stderr = %q, want %q", errb, tt.wantEr)
			}
		})
	}
}

func TestHelpOptionIsHelp(t *testing.T) {
	e, out, errb := demoEnv(t)
	if ok, quit := e.ExecLine(context.Background(), "domid --help"); !ok || quit {
		t.Errorf("ok, quit = %v, %v", ok, quit)
	}
	if !strings.HasPrefix(out.String(), "  NAME\n    domid - ") || errb.Len() != 0 {
		t.Errorf("stdout = %q, stderr = %q", out, errb)
	}
}

func TestExecArgsTakesWordsVerbatim(t *testing.T) {
	e, out, errb := demoEnv(t)
	if !e.ExecArgs(context.Background(), []string{"echo", "a;b", "'c'", "#d"}) {
		t.Fatal(errb)
	}
	if out.String() != "a;b 'c' #d\n" {
		t.Errorf("stdout = %q", out)
	}
	if e.ExecArgs(context.Background(), []string{"dominfo", "fc8; list"}) {
		t.Error("a name with ; resolved")
	}
}

func TestStateChangesReachTheHost(t *testing.T) {
	e, out, _ := demoEnv(t)
	ctx := context.Background()
	if ok, _ := e.ExecLine(ctx, "destroy fc8; undefine fc8"); !ok {
		t.Fatal("destroy + undefine failed")
	}
	b, err := e.Backend(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Lookup(ctx, "fc8"); err == nil {
		t.Error("fc8 still exists")
	}
	if !strings.Contains(out.String(), "Domain 'fc8' destroyed\n\nDomain 'fc8' has been undefined\n") {
		t.Errorf("stdout = %q", out)
	}
}

func TestConnectSwitchesAndKeepsOnFailure(t *testing.T) {
	e, _, errb := demoEnv(t)
	ctx := context.Background()
	e.ExecLine(ctx, "undefine rhel5")
	if ok, _ := e.ExecLine(ctx, "connect xen+unix:///nonexistent/xvirsh.sock"); ok {
		t.Fatal("connect to a missing socket succeeded")
	}
	if !strings.HasPrefix(errb.String(), "error: failed to connect to the hypervisor\nerror: ") {
		t.Errorf("stderr = %q", errb)
	}
	b, _ := e.Backend(ctx)
	if _, err := b.Lookup(ctx, "rhel5"); err == nil {
		t.Error("the failed connect replaced the host")
	}
	if ok, _ := e.ExecLine(ctx, "connect test:///default"); !ok || e.URI != "test:///default" {
		t.Fatal("connect test:///default failed")
	}
	b, _ = e.Backend(ctx)
	if _, err := b.Lookup(ctx, "rhel5"); err != nil {
		t.Error("connect did not open a fresh demo host")
	}
}

func TestHandlerPanicIsAnError(t *testing.T) {
	e, _, errb := demoEnv(t)
	e.Commands = append(Default(), &Command{Name: "boom", Summary: "x", Flags: NoBackend,
		Run: func(context.Context, *Invocation) error { panic("bad") }})
	if ok, _ := e.ExecLine(context.Background(), "boom"); ok {
		t.Fatal("boom succeeded")
	}
	if errb.String() != "error: internal error: boom: bad\n" {
		t.Errorf("stderr = %q", errb)
	}
}

func TestComplete(t *testing.T) {
	e, _, _ := demoEnv(t)
	ctx := context.Background()
	texts := func(line string) []string {
		var out []string
		for _, c := range e.Complete(ctx, line) {
			out = append(out, c.Text)
		}
		return out
	}
	tests := []struct{ line, want string }{
		{"", ""}, // checked below: every visible command
		{"li", "list"},
		{"start ", "rhel5"},
		{"destroy ", "winxp fc8"},
		{"dominfo f", "fc8"},
		{"dominfo fc8 ", ""},
		{"list --a", "--all --autostart"},
		{"list --all --state-", "--state-running --state-paused --state-shutoff --state-other"},
		{"dumpxml --inactive ", "Domain-0 winxp fc8 rhel5"},
		{"domxml-to-native xen-sxpr --domain w", "winxp"},
		{"domxml-from-native x", "xen-sxpr xen-xm"},
		{"domxml-to-native xen-", "xen-sxpr xen-xm"},
		{"help host", "hostname host"},
		{"list; domid w", "winxp"},
		{"echo 'unterminated", ""},
		{"list # comment", ""},
		{"nosuch ", ""},
		{"setvcpus fc8 ", ""},
		{"attach-disk fc8 /x hda --driver t", "tap tap2"},
		{"attach-interface fc8 ", "bridge ethernet"},
		{"maxvcpus --type ", "xen"},
	}
	for _, tt := range tests[1:] {
		if got := strings.Join(texts(tt.line), " "); got != tt.want {
			t.Errorf("Complete(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
	all := texts("")
	if len(all) < 30 || strings.Contains(strings.Join(all, " "), "complete") {
		t.Errorf("command names: %q", all)
	}
}

func TestCompleteSeesStateChanges(t *testing.T) {
	e, _, _ := demoEnv(t)
	ctx := context.Background()
	if got := e.Complete(ctx, "resume "); got != nil {
		t.Fatalf("resume offers %v before any suspend", got)
	}
	e.ExecLine(ctx, "suspend fc8")
	if got := e.Complete(ctx, "resume "); len(got) != 1 || got[0].Text != "fc8" || got[0].Description != backend.StatePaused.String() {
		t.Errorf("resume offers %v after suspend fc8", got)
	}
}

func TestNormalizeLive(t *testing.T) {
	live := `<domain type='xen' id='3'>
  <devices>
    <interface type='bridge'>
      <target dev='vif3.0'/>
    </interface>
    <serial type='pty' tty='/dev/pts/3'>
      <source path='/dev/pts/3'/>
      <target port='0'/>
    </serial>
    <graphics type='vnc' port='5903' autoport='yes'/>
    <graphics type='vnc' port='5999' autoport='no'/>
  </devices>
</domain>
`
	want := `<domain type='xen'>
  <devices>
    <interface type='bridge'/>
    <serial type='pty'>
      <target port='0'/>
    </serial>
    <graphics type='vnc' port='-1' autoport='yes'/>
    <graphics type='vnc' port='5999' autoport='no'/>
  </devices>
</domain>
`
	if got := NormalizeLive(live); got != want {
		t.Errorf("NormalizeLive:\n%s\nwant:\n%s", got, want)
	}
}
