package xend

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"xvirsh/backend"
	"xvirsh/backend/fake"
	"xvirsh/backend/xendsim"
	"xvirsh/sexpr"
)

// simClient serves host through the simulator on a real unix socket or
// TCP loopback and returns a client of it.
func simClient(t testing.TB, host backend.Xend, network string) *Client {
	t.Helper()
	addr := "127.0.0.1:0"
	if network == "unix" {
		addr = "unix:" + filepath.Join(t.TempDir(), "xend.sock")
	}
	l, err := xendsim.Listen(addr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- xendsim.Serve(ctx, l, xendsim.NewHandler(host)) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("simulator: %v", err)
		}
	})
	c, err := New(network, l.Addr().String(), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func vmConfig(name, uuid string) *sexpr.Node {
	n, err := sexpr.ParseString(fmt.Sprintf(`(vm (name %s) (memory 256) (maxmem 512) (vcpus 2) (uuid %s)
		(on_poweroff destroy) (on_reboot restart) (on_crash restart)
		(image (linux (kernel /boot/vmlinuz-xen) (ramdisk /boot/initrd-xen) (args 'root=/dev/xvda1 ro quiet')))
		(device (vbd (dev xvda) (uname 'phy:/dev/vg0/%s') (mode w)))
		(device (vif (mac 00:16:3e:00:00:01) (bridge xenbr0) (script vif-bridge))))`, name, uuid, name))
	if err != nil {
		panic(err)
	}
	return n
}

// TestEndToEnd drives every Xend operation through client -> simulator ->
// fake host, over both transports and for each config format.
func TestEndToEnd(t *testing.T) {
	for _, network := range []string{"unix", "tcp"} {
		for format := 1; format <= 4; format++ {
			t.Run(fmt.Sprintf("%s/format%d", network, format), func(t *testing.T) {
				testLifecycle(t, simClient(t, fake.New(format), network), format)
			})
		}
	}
}

func testLifecycle(t *testing.T, c *Client, format int) {
	ctx := context.Background()
	node, err := c.Node(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := node.GetOK("xend_config_format"); format >= 2 && got != fmt.Sprint(format) || format == 1 && ok {
		t.Errorf("xend_config_format = %q (present %v), want format %d", got, ok, format)
	}

	const uuid = "6f1c4a55-9d0e-4b7a-8a51-2c3d4e5f6a7b"
	cfg := vmConfig("guest1", uuid)
	if err := c.Create(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	d, err := c.Domain(ctx, "guest1")
	if err != nil {
		t.Fatal(err)
	}
	if d.Get("uuid") != uuid || !d.Has("domid") || d.Get("memory") != "256" {
		t.Errorf("created domain record: %v", d)
	}
	if !strings.Contains(d.Get("state"), "p") {
		t.Errorf("xend starts a created domain paused; state %q", d.Get("state"))
	}
	if err := c.Op(ctx, "guest1", "unpause", nil); err != nil {
		t.Fatal(err)
	}
	byID, err := c.Domain(ctx, d.Get("domid"))
	if err != nil || byID.Get("name") != "guest1" || strings.Contains(byID.Get("state"), "p") {
		t.Fatalf("lookup by domid after unpause: %v, %v", byID, err)
	}
	names, err := c.DomainNames(ctx, "all")
	if err != nil || !slices.Contains(names, "Domain-0") || !slices.Contains(names, "guest1") {
		t.Fatalf("DomainNames = %v, %v", names, err)
	}
	all, err := c.Domains(ctx)
	if err != nil || len(all) != len(names) {
		t.Fatalf("Domains: %d records, %v (names %v)", len(all), err, names)
	}
	if err := c.Op(ctx, "guest1", "mem_target_set", url.Values{"target": {"200"}}); err != nil {
		t.Fatal(err)
	}
	if d, _ := c.Domain(ctx, "guest1"); d.Get("memory") != "200" {
		t.Errorf("memory after mem_target_set = %q", d.Get("memory"))
	}
	// A duplicate is refused by xend with a 500 and changes nothing.
	err = c.Create(ctx, vmConfig("guest1", uuid))
	if !errors.Is(err, backend.ErrExists) || !strings.Contains(err.Error(), "POST /xend/domain/ op=create: 500: Domain 'guest1' already exists") {
		t.Errorf("duplicate create: %v", err)
	}
	if err := c.Op(ctx, "guest1", "destroy", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Domain(ctx, "guest1"); !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("transient domain after destroy: %v, want not found", err)
	}
	if err := c.Op(ctx, "guest1", "pause", nil); !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("op on a missing domain: %v, want not found", err)
	}

	// Managed domains: define, start, destroy, undefine (format >= 3).
	err = c.New(ctx, vmConfig("guest2", "0c9a8b7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d"))
	if format < 3 {
		if !errors.Is(err, backend.ErrUnsupported) || !strings.Contains(err.Error(), "501: Operation not implemented: new") {
			t.Errorf("format %d op=new: %v, want 501", format, err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	d, err = c.Domain(ctx, "0c9a8b7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d")
	if err != nil || d.Has("domid") || d.Get("name") != "guest2" {
		t.Fatalf("defined domain: %v, %v", d, err)
	}
	for _, op := range []string{"start", "destroy"} {
		if err := c.Op(ctx, "guest2", op, nil); err != nil {
			t.Fatalf("%s: %v", op, err)
		}
	}
	if d, err = c.Domain(ctx, "guest2"); err != nil || d.Has("domid") {
		t.Fatalf("managed domain after destroy: %v, %v", d, err)
	}
	if err := c.Op(ctx, "guest2", "start", nil); err != nil {
		t.Fatal(err)
	}
	err = c.Op(ctx, "guest2", "delete", nil)
	if !errors.Is(err, backend.ErrInvalidState) || !strings.Contains(err.Error(), "500: Domain is not halted.") {
		t.Errorf("delete of a running domain: %v", err)
	}
	for _, op := range []string{"destroy", "delete"} {
		if err := c.Op(ctx, "guest2", op, nil); err != nil {
			t.Fatalf("%s: %v", op, err)
		}
	}
	if _, err := c.Domain(ctx, "guest2"); !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
}
