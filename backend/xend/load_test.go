package xend

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"xvirsh/backend"

	"xvirsh/backend/fake"
)

// TestLoad: 50 clients, each with its own connections, run 200 lifecycle
// ops apiece (create, destroy, define, undefine, in turn) against one
// simulator over a unix socket. Nothing may fail, every domid handed out
// must be unique, and at the end the host holds exactly the domains the
// clients meant to leave: none lost, none duplicated. Run it under -race.
func TestLoad(t *testing.T) {
	clients, rounds := 50, 50 // 4 ops per round: 200 ops per client
	if testing.Short() {
		clients, rounds = 10, 10
	}
	host := fake.New(4)
	c0 := simClient(t, host, "unix")
	sock := c0.address
	ctx := context.Background()

	var (
		mu     sync.Mutex
		domids = map[string]string{} // domid -> domain that got it
		wg     sync.WaitGroup
		errs   = make(chan error, clients)
	)
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := New("unix", sock, c0.timeout)
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			claim := func(name string) error {
				d, err := c.Domain(ctx, name)
				if err != nil {
					return err
				}
				id := d.Get("domid")
				mu.Lock()
				defer mu.Unlock()
				if prev, dup := domids[id]; dup {
					return fmt.Errorf("domid %s given to %s and %s", id, prev, name)
				}
				domids[id] = name
				return nil
			}
			for j := 0; j < rounds; j++ {
				name := fmt.Sprintf("load-%02d-%03d", i, j)
				uuid := fmt.Sprintf("%08x-0000-4000-8000-%012x", i, j)
				steps := []func() error{
					func() error { return c.Create(ctx, vmConfig(name, uuid)) },
					func() error { return claim(name) },
					func() error { return c.Op(ctx, name, "destroy", nil) },
					func() error { return c.New(ctx, vmConfig(name, uuid)) },
					func() error { return c.Op(ctx, name, "delete", nil) },
				}
				for k, step := range steps {
					if err := step(); err != nil {
						errs <- fmt.Errorf("client %d round %d step %d: %w", i, j, k, err)
						return
					}
				}
			}
			// Leave one running and one defined domain behind.
			run, def := fmt.Sprintf("keep-run-%02d", i), fmt.Sprintf("keep-def-%02d", i)
			if err := c.Create(ctx, vmConfig(run, fmt.Sprintf("%08x-1111-4000-8000-000000000000", i))); err != nil {
				errs <- err
				return
			}
			if err := claim(run); err != nil {
				errs <- err
				return
			}
			if err := c.New(ctx, vmConfig(def, fmt.Sprintf("%08x-2222-4000-8000-000000000000", i))); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	if len(domids) != clients*(rounds+1) {
		t.Errorf("%d distinct domids, want %d", len(domids), clients*(rounds+1))
	}
	names, err := c0.DomainNames(ctx, "all")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Domain-0"}
	for i := 0; i < clients; i++ {
		want = append(want, fmt.Sprintf("keep-def-%02d", i), fmt.Sprintf("keep-run-%02d", i))
	}
	sort.Strings(names)
	sort.Strings(want)
	if !slices.Equal(names, want) {
		t.Errorf("host holds %d domains %v\nwant %d %v", len(names), names, len(want), want)
	}
	doms, err := backend.NewDomains(c0, "xen:///").List(ctx, backend.ListAll)
	if err != nil || len(doms) != len(want) {
		t.Errorf("List: %d domains, %v", len(doms), err)
	}
}
