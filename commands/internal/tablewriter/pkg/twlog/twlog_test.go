package twlog

import (
	"bytes"
	"testing"
)

func TestTrace(t *testing.T) {
	var buf bytes.Buffer
	l := New("table").Handler(&buf)
	l.Debug("off by default")
	if buf.Len() != 0 {
		t.Fatalf("a new logger wrote %q", buf.String())
	}
	l.Enable()
	l.Debug("rows", 3, "cols", 2)
	l.Infof("width %d", 10)
	child := l.Namespace("blueprint")
	child.Warn("child")
	l.Suspend()
	l.Error("suspended")
	child.Error("suspended too")
	if l.Namespace("x") != l {
		t.Error("a suspended logger's child is not itself")
	}
	l.Resume()
	child.Errorf("back %s", "again")
	l.Disable()
	l.Debug("disabled")
	child.Debug("the child keeps the state it was made with")
	want := "[table] DEBUG: rows 3 cols 2\n[table] INFO: width 10\n[table/blueprint] WARN: child\n" +
		"[table/blueprint] ERROR: back again\n[table/blueprint] DEBUG: the child keeps the state it was made with\n"
	if buf.String() != want {
		t.Errorf("trace:\n%s\nwant\n%s", buf.String(), want)
	}
}
