package commands

import (
	"context"
	"strings"
	"testing"

	"xvirsh/backend"
	"xvirsh/backend/fake"
)

// lossy loses the <pae/> feature of every domain but the original, as a
// converter bug would.
type lossy struct {
	backend.Backend
	keep string
}

func (l lossy) XML(ctx context.Context, ref string, inactive bool) (string, error) {
	x, err := l.Backend.XML(ctx, ref, inactive)
	if ref != l.keep {
		x = strings.Replace(x, "    <pae/>\n", "", 1)
	}
	return x, err
}

func TestRoundtripReportsADiffAndCleansUp(t *testing.T) {
	const winxp = "c7a5fdbd-cdaf-9455-926a-d65c16db1809"
	b := lossy{backend.NewDomains(fake.NewDefault(), "test:///lossy"), winxp}
	e, out, errb := hostEnv(t, b)
	ctx := context.Background()
	if ok, _ := e.ExecLine(ctx, "roundtrip winxp"); ok {
		t.Fatal("roundtrip passed over a lossy converter")
	}
	if !strings.Contains(out.String(), "--- winxp (dumpxml)\n+++ winxp (dumpxml of the defined copy)\n") ||
		!strings.Contains(out.String(), "\n-    <pae/>\n") {
		t.Errorf("no unified diff in:\n%s", out)
	}
	if errb.String() != "error: domain 'winxp' changed in the round trip\n" {
		t.Errorf("stderr = %q", errb)
	}
	doms, _ := b.List(ctx, backend.ListAll)
	if len(doms) != 4 {
		t.Errorf("the copy was left behind: %v", doms)
	}
}

func TestRoundtripOnOldFormats(t *testing.T) {
	for format := 1; format <= 4; format++ {
		b := backend.NewDomains(fake.NewDefaultFormat(format), "test:///old")
		e, out, errb := hostEnv(t, b)
		ctx := context.Background()
		if ok, _ := e.ExecLine(ctx, "roundtrip winxp; roundtrip fc8"); !ok {
			t.Errorf("format %d: %s", format, errb)
			continue
		}
		if strings.Count(out.String(), "identical\n") != 2 {
			t.Errorf("format %d: %s", format, out)
		}
		doms, _ := b.List(ctx, backend.ListAll)
		for _, d := range doms {
			if strings.Contains(d.Name, "roundtrip") {
				t.Errorf("format %d: copy %s left behind", format, d.Name)
			}
		}
	}
}

// interruptedDefine is a host that makes the copy, but whose answer is
// lost to a Ctrl-C pressed while the request was out.
type interruptedDefine struct {
	backend.Backend
	cancel context.CancelFunc
}

func (h interruptedDefine) Define(ctx context.Context, xml []byte) (backend.Domain, error) {
	d, err := h.Backend.Define(ctx, xml)
	if err != nil {
		return d, err
	}
	h.cancel()
	return backend.Domain{}, ctx.Err()
}

func (h interruptedDefine) Create(ctx context.Context, xml []byte) (backend.Domain, error) {
	d, err := h.Backend.Create(ctx, xml)
	if err != nil {
		return d, err
	}
	h.cancel()
	return backend.Domain{}, ctx.Err()
}

func TestRoundtripInterruptedLeavesNoCopy(t *testing.T) {
	for _, format := range []int{2, 4} { // create+destroy, define+undefine
		ctx, cancel := context.WithCancel(context.Background())
		inner := backend.NewDomains(fake.NewDefaultFormat(format), "test:///ctrl-c")
		e, _, errb := hostEnv(t, interruptedDefine{inner, cancel})
		if ok, _ := e.ExecLine(ctx, "roundtrip fc8"); ok {
			t.Fatalf("format %d: roundtrip succeeded after Ctrl-C", format)
		}
		if !strings.HasSuffix(errb.String(), "error: interrupted\n") {
			t.Errorf("format %d: stderr = %q", format, errb)
		}
		doms, _ := inner.List(context.Background(), backend.ListAll)
		for _, d := range doms {
			if strings.Contains(d.Name, "roundtrip") {
				t.Errorf("format %d: copy %s left behind", format, d.Name)
			}
		}
	}
}
