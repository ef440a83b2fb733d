package connect

import (
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"xvirsh/backend"
	"xvirsh/backend/fake"
	"xvirsh/backend/xendsim"
)

// simulate serves host over a Unix socket and returns a backend on it.
func simulate(t *testing.T, host backend.Xend) backend.Backend {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "xend-socket")
	l, err := xendsim.Listen("unix:" + sock)
	if err != nil {
		t.Skipf("cannot listen: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { xendsim.Serve(ctx, l, xendsim.NewHandler(host)); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	b, err := Open("xen+unix://" + sock)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var liveBits = regexp.MustCompile(` id='\d+'|(tty|path)='/dev/pts/\d+'|port='59\d\d'`)

// Over HTTP as in memory: dumpxml, create elsewhere, dumpxml again gives
// the same XML bar the live bits, at every config format.
func TestRoundTripOverTheWire(t *testing.T) {
	for format := 1; format <= 4; format++ {
		t.Run("format"+strconv.Itoa(format), func(t *testing.T) {
			src := simulate(t, fake.NewDefaultFormat(format))
			dst := simulate(t, fake.New(format))
			all, err := src.List(ctx, backend.ListAll)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range all[1:] {
				want, err := src.XML(ctx, d.Name, !d.State.Active())
				if err != nil {
					t.Fatal(err)
				}
				if _, err := dst.Create(ctx, []byte(want)); err != nil {
					t.Fatalf("create %s: %v", d.Name, err)
				}
				got, err := dst.XML(ctx, d.Name, !d.State.Active())
				if err != nil {
					t.Fatal(err)
				}
				if liveBits.ReplaceAllString(got, "") != liveBits.ReplaceAllString(want, "") {
					t.Errorf("%s differs:\n%s---\n%s", d.Name, want, got)
				}
				if err := dst.Destroy(ctx, d.Name); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestLifecycleOverTheWire(t *testing.T) {
	b := simulate(t, fake.NewDefault())
	steps := []struct {
		name string
		do   func() error
		want backend.State
	}{
		{"start", func() error { return b.Start(ctx, "rhel5") }, backend.StateBlocked},
		{"suspend", func() error { return b.Suspend(ctx, "rhel5") }, backend.StatePaused},
		{"resume", func() error { return b.Resume(ctx, "rhel5") }, backend.StateBlocked},
		{"setmem", func() error { return b.SetMemory(ctx, "rhel5", 256<<10) }, backend.StateBlocked},
		{"shutdown", func() error { return b.Shutdown(ctx, "rhel5") }, backend.StateShutoff},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if d, err := b.Lookup(ctx, "8b1e7f3a2c5d4e9fa1b2c3d4e5f60718"); err != nil || d.State != s.want {
			t.Errorf("after %s: %v, %v; want %v", s.name, d.State, err, s.want)
		}
	}
	if d, _ := b.Lookup(ctx, "rhel5"); d.MemoryKiB != 256<<10 {
		t.Errorf("memory = %d KiB", d.MemoryKiB)
	}
	if _, err := b.Lookup(ctx, "nosuch"); !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("unknown domain over HTTP: %v", err)
	}
	if err := b.Undefine(ctx, "fc8"); !errors.Is(err, backend.ErrInvalidState) {
		t.Errorf("undefine running: %v", err)
	}
	if err := b.Destroy(ctx, "Domain-0"); err == nil {
		t.Error("destroying Domain-0 succeeded")
	}
	if err := b.Undefine(ctx, "rhel5"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Define(ctx, []byte("<domain type='xen'><name>web</name><memory>131072</memory><os><type>linux</type><kernel>/k</kernel></os></domain>")); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Define(ctx, []byte("<domain type='xen'><name>fc8</name><memory>131072</memory><os><type>linux</type><kernel>/k</kernel></os></domain>")); !errors.Is(err, backend.ErrExists) {
		t.Errorf("define a second fc8 over HTTP: %v", err)
	}
}
