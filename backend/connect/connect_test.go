package connect

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"xvirsh/backend"
	"xvirsh/backend/fake"
	"xvirsh/backend/xendsim"
)

var ctx = context.Background()

func listNames(t *testing.T, b backend.Backend) []string {
	t.Helper()
	ds, err := b.List(ctx, backend.ListAll)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range ds {
		out = append(out, d.Name)
	}
	return out
}

var demoNames = []string{"Domain-0", "winxp", "fc8", "rhel5"}

func TestTestURIs(t *testing.T) {
	b, err := Open("test:///default")
	if err != nil {
		t.Fatal(err)
	}
	if got := listNames(t, b); !slices.Equal(got, demoNames) {
		t.Errorf("test:///default lists %v", got)
	}
	if b.URI() != "test:///default" {
		t.Errorf("URI() = %q", b.URI())
	}
	old, err := Open("test:///default?format=2")
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := old.ConfigFormat(ctx); f != 2 {
		t.Errorf("?format=2 gives format %d", f)
	}

	dir := filepath.Join(t.TempDir(), "host")
	b1, err := Open("test://" + dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b1.Close()
	if _, err := b1.Create(ctx, []byte("<domain type='xen'><name>web</name><memory>131072</memory><os><type>linux</type><kernel>/k</kernel></os></domain>")); err != nil {
		t.Fatal(err)
	}
	b2, err := Open("test://" + dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b2.Close()
	if got := listNames(t, b2); !slices.Equal(got, []string{"Domain-0", "winxp", "fc8", "web", "rhel5"}) {
		t.Errorf("second connection to %s lists %v", dir, got)
	}
}

// xen+unix and http reach a xend: here the simulator serving a fake host,
// so the whole path (adapter, client, HTTP, simulator, host) runs.
func TestXendURIs(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "xend-socket")
	serve := func(addr string) net.Listener {
		l, err := xendsim.Listen(addr)
		if err != nil {
			t.Skipf("cannot listen on %s: %v", addr, err)
		}
		ctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { xendsim.Serve(ctx, l, xendsim.NewHandler(fake.NewDefault())); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
		return l
	}
	serve("unix:" + sock)
	tcp := serve("127.0.0.1:0")
	for _, uri := range []string{"xen+unix://" + sock, "xen+unix:///?socket=" + sock, sock, "http://" + tcp.Addr().String() + "/"} {
		b, err := Open(uri)
		if err != nil {
			t.Fatalf("Open(%s): %v", uri, err)
		}
		if got := listNames(t, b); !slices.Equal(got, demoNames) {
			t.Errorf("%s lists %v", uri, got)
		}
		b.Close()
	}
}

func TestDeadXendIsReportedOnUse(t *testing.T) {
	b, err := Open("xen+unix://" + filepath.Join(t.TempDir(), "nothing-here"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.List(ctx, backend.ListAll)
	if err == nil || !strings.Contains(err.Error(), "cannot connect to xend") {
		t.Errorf("List on a dead socket: %v", err)
	}
}

func TestBadURIs(t *testing.T) {
	tests := []struct{ uri, want string }{
		{"", "invalid connection URI ''"},
		{"qemu:///system", "no connection driver available for qemu:///system"},
		{"test://host/default", "a test URI has no host"},
		{"test:///", "use test:///default or test:///ABSOLUTE/DIR"},
		{"test:///defualt", "no directory /defualt"},
		{"test:///default?format=9", "format must be a xend config format from 1 to 4"},
		{"xen://remote/", "use http://remote:8000/"},
		{"xen:///session", "unexpected path"},
		{"xen+unix://relative", "use xen+unix:///PATH"},
		{"http:///", "no host"},
		{"http://h:8000/xend/node", "xend serves no path"},
		{"relative/path", "no connection driver available"},
	}
	for _, tt := range tests {
		_, err := Open(tt.uri)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Open(%q) = %v, want an error saying %q", tt.uri, err, tt.want)
		}
	}
	// A test directory that cannot be made is reported, not panicked on.
	f := filepath.Join(t.TempDir(), "file")
	os.WriteFile(f, nil, 0o644)
	if _, err := Open("test://" + f + "/sub"); err == nil {
		t.Errorf("Open under a regular file: %v", err)
	}
}
