// Package fake is an in-memory Xen host with xend's semantics (the xend
// protocol spec, xend-protocol.md §3-5): it accepts (vm …) configs,
// keeps (domain …) records, hands out domids, ttys and VNC ports, and
// refuses what xend refuses, in xend's words. It implements backend.Xend,
// so the same adapter, simulator and tests run over it as over a real xend.
//
// A Host lives in memory (New, NewDefault) or in a directory (Open), one
// config.sxp per managed domain in xend's layout, so that separate xvirsh
// processes share it.
package fake

import (
	"bytes"
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"xvirsh/backend"
	"xvirsh/backend/xendrules"
	"xvirsh/sexpr"
)

// Host is a fake Xen host. It is safe for concurrent use.
type Host struct {
	mu     sync.Mutex
	format int
	clock  func() time.Time
	nextID int
	doms   []*dom   // Domain-0 first
	store  *store   // nil for a host that lives in memory only
	broken []broken // records in the store that cannot be used

	runtimeDirty bool // the running set changed: store must rewrite runtime.sxp

	// names indexes doms by name, in doms order, for find: listing a big
	// host fetches thousands of domains by name, and every op finds its
	// domain. nil means "build from doms on first use": a load from the
	// directory leaves it so, since a listing may need no find at all.
	// Otherwise it is kept in step with doms by the only ways doms or a
	// domain's name change (setDoms, addDom, dropDom, renameDom), so that
	// an op costs the same on a host of 10 or 10,000 domains; rebuilding
	// it after every write made building a host of n domains cost n².
	names map[string][]*dom
	// uuids is the same by UUID, built and dropped with names: what a
	// define or create must not clash with is found in it, not by walking
	// every domain.
	uuids map[string][]*dom

	// relocate reaches the xend a migration goes to (SetRelocator).
	relocate Relocator

	// For a host in a directory: what doms was read from (see index.go),
	// whether it is still that (stamped), and whether it holds only the
	// brief configs of the index (light), which serve listings only.
	stamp   dirStamp
	stamped time.Time // when doms was last checked against every file; zero: not since a change
	// gen changes with everything that may change a domain's config: a
	// write, a read from the directory. Records keep what they take from a
	// config (cfgView) for one gen.
	gen   int
	light bool
	// trust is how long what was read stands while the stamp is
	// unchanged: recheckAfter for a command, for ever for a resident
	// host (see Resident).
	trust time.Duration
}

// New returns a host with only Domain-0, speaking the given
// xend_config_format (1-4; anything else means 4).
func New(format int) *Host {
	h := &Host{clock: time.Now, nextID: 1}
	h.SetConfigFormat(format)
	h.setDoms([]*dom{newDom0(h.clock())})
	return h
}

// NewAt is New with the clock frozen at now, Domain-0's start included, so
// that every record reads the same on every run (the transcripts in
// testdata/xend rely on it).
func NewAt(format int, now time.Time) *Host {
	h := &Host{clock: func() time.Time { return now }, nextID: 1}
	h.SetConfigFormat(format)
	h.setDoms([]*dom{newDom0(now)})
	return h
}

// SetConfigFormat changes the xend_config_format the host reports and
// follows (1-4; anything else means 4). Inactive domains are invisible
// below 3, as on a xend without managed domains.
func (h *Host) SetConfigFormat(n int) {
	if n < 1 || n > 4 {
		n = 4
	}
	h.mu.Lock()
	h.format = n
	h.mu.Unlock()
}

// SetClock replaces the wall clock used for start_time and cpu_time.
func (h *Host) SetClock(now func() time.Time) {
	h.mu.Lock()
	h.clock = now
	h.mu.Unlock()
}

// ConfigFormat is the xend_config_format the host reports.
func (h *Host) ConfigFormat() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.format
}

// newDom0 makes Domain-0, with the config built into the binary for the
// first host of a process (see demoTrees) and a parsed one for any other.
func newDom0(now time.Time) *dom {
	cfg := dom0Tree
	if dom0TreeTaken.Swap(true) {
		var err error
		if cfg, err = sexpr.ParseString(dom0Config); err != nil {
			panic(err)
		}
	}
	return &dom{uuid: dom0UUID, name: "Domain-0", live: cfg, domid: 0, dom0: true,
		started: now, runSince: now}
}

// do runs fn with the host locked. A host in a directory also takes the
// directory's lock (shared for reads, exclusive for writes) and reloads what
// other processes wrote, so every operation sees and extends the state on
// disk; fn's changes to the running set are written back before unlocking.
// A failed fn writes nothing, so the next reload undoes whatever it left
// half-changed in memory.
func (h *Host) do(ctx context.Context, write bool, fn func(now time.Time) error) error {
	return h.doAt(ctx, write, true, fn)
}

// doLight is do for a read that needs no more than brief configs: names,
// states, the fields a listing shows. A host in a directory serves it
// from its index when the index is current.
func (h *Host) doLight(ctx context.Context, fn func(now time.Time) error) error {
	return h.doAt(ctx, false, false, fn)
}

// Resident makes a host kept in a directory hold what it read for as long
// as the directory's stamp (runtime.sxp, domains/ and the index, which
// every change made through xvirsh rewrites) is unchanged, instead of
// checking every config.sxp again after recheckAfter. That is xend's way:
// it reads its managed domains' config.sxp files when it starts
// (XendDomain's init) and serves from memory after that, so an edit made
// by hand inside a domain's directory is not seen by a running xend
// either. It is what xend-sim wants: at 10,000 domains the recheck was a
// full read of the directory every second, most of the simulator's time
// while it served a listing.
func (h *Host) Resident() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.trust = time.Duration(math.MaxInt64)
}

func (h *Host) trustFor() time.Duration {
	if h.trust == 0 {
		return recheckAfter
	}
	return h.trust
}

func (h *Host) doAt(ctx context.Context, write, full bool, fn func(now time.Time) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !write {
		if done, err := h.fromMemory(ctx, full, fn); done {
			return err
		}
	}
	// The directory's lock comes first and h.mu after it, so that a
	// request waiting for another process holds nothing the others need:
	// each waits on its own, bounded, and says so.
	st, serr := h.storeOf()
	if serr != nil {
		return serr
	}
	if st != nil {
		unlock, err := st.lock(ctx, write)
		if err != nil {
			if st.hidePaths {
				err = st.redact(err)
			}
			return err
		}
		defer unlock()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.store != nil {
		st := h.store.stamp()
		switch {
		case !write && h.trusted(full) && h.stamp == st:
			// Nothing changed since it was read: no need to read it again.
		case !full && h.store.loadIndex(h, st) == nil:
			h.gen++
			h.stamp, h.stamped, h.light = st, time.Now(), true
		default:
			h.stamped = time.Time{}
			h.gen++
			if err := h.store.load(h, write); err != nil {
				return err
			}
			h.light = false
			if !write {
				// A light read got here because the index is stale; a
				// full one has not looked.
				if !full || !h.store.indexCurrent(st) {
					h.store.saveIndex(h)
				}
				h.stamp, h.stamped = h.store.stamp(), time.Now()
			}
		}
		h.warnBroken(ctx)
	}
	h.runtimeDirty = false
	if write {
		h.gen++
		defer func() { h.gen++ }()
	}
	if afterOp != nil {
		defer afterOp(h)
	}
	err := fn(h.clock())
	if err == nil && h.store != nil && h.runtimeDirty {
		err = h.store.saveRuntime(h)
	}
	if write && h.store != nil {
		// What fn changed is on disk now (or, if it failed, only half in
		// memory, and must be read again next time).
		h.stamped = time.Time{}
		if err == nil {
			h.store.saveIndex(h)
			h.stamp, h.stamped = h.store.stamp(), time.Now()
		}
	}
	if err != nil && h.store != nil && h.store.hidePaths {
		err = h.store.redact(err)
	}
	return err
}

// trusted: what the host read from its directory may serve a read
// without reading again, if the directory's stamp is still h.stamp: it
// was read within trustFor, and fully when the read needs full configs.
// The caller holds h.mu.
func (h *Host) trusted(full bool) bool {
	return !h.stamped.IsZero() && time.Since(h.stamped) < h.trustFor() && (!full || !h.light)
}

// fromMemory runs a read under h.mu alone when what the host holds is
// known current: read from its directory within trustFor, and the
// directory's stamp as it was then. It takes no lock on the directory: a
// writer in another process changes the stamp's files (runtime.sxp,
// domains/, the index) before it lets its lock go, so while the stamp
// holds it has changed nothing the host holds, and once it does not, the
// usual way takes the lock and reads again. That lock was two system
// calls of the six each of xend-sim's requests made, and the read makes
// none but the stamp's. done is false when the usual way must run.
func (h *Host) fromMemory(ctx context.Context, full bool, fn func(now time.Time) error) (done bool, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.store == nil || h.store.closed || !h.trusted(full) {
		return false, nil
	}
	// stamped changes with every read from the directory and every write.
	if a := backend.ArrivalsOf(ctx); !a.Covered(h, h.stamped) {
		if h.store.stamp() != h.stamp {
			return false, nil
		}
		a.Cover(h, h.stamped)
	}
	h.warnBroken(ctx)
	// A read changes nothing, so nothing is written back.
	h.runtimeDirty = false
	err = fn(h.clock())
	if err != nil && h.store.hidePaths {
		err = h.store.redact(err)
	}
	return true, err
}

// visible reports whether xend at this format would know d: hosts before
// format 3 have no managed domains, so no halted ones.
func (h *Host) visible(d *dom) bool { return d.running() || h.format >= 3 }

// find resolves a reference in xend's order (xend-protocol.md §2.3): live
// name, managed name, live domid, live UUID, managed UUID. UUIDs resolve
// only from format 3 on, as on xend 3.0.4.
func (h *Host) find(ref string) *dom {
	// Both name steps at once: a live name wins, a managed one only when
	// no live domain has the name.
	var managed *dom
	for _, d := range h.named(ref) {
		if !h.visible(d) {
			continue
		}
		if d.running() {
			return d
		}
		if managed == nil {
			managed = d
		}
	}
	if managed != nil {
		return managed
	}
	if id, err := strconv.Atoi(ref); err == nil && strconv.Itoa(id) == ref {
		for _, d := range h.doms {
			if d.running() && d.domid == id {
				return d
			}
		}
	}
	if h.format < 3 {
		return nil
	}
	u, ok := canonicalUUID(ref)
	if !ok {
		return nil
	}
	for _, running := range []bool{true, false} {
		for _, d := range h.withUUID(u) {
			if d.running() == running {
				return d
			}
		}
	}
	return nil
}

// named is the domains called name, in doms order. The caller holds h.mu.
func (h *Host) named(name string) []*dom {
	h.index()
	return h.names[name]
}

// withUUID is the domains of UUID u, in doms order: one at most, unless
// a hand-edited runtime.sxp says otherwise. The caller holds h.mu.
func (h *Host) withUUID(u string) []*dom {
	h.index()
	return h.uuids[u]
}

// index builds names and uuids from doms when a load left them unbuilt.
func (h *Host) index() {
	if h.names != nil {
		return
	}
	h.names = make(map[string][]*dom, len(h.doms))
	h.uuids = make(map[string][]*dom, len(h.doms))
	for _, d := range h.doms {
		h.names[d.name] = append(h.names[d.name], d)
		h.uuids[d.uuid] = append(h.uuids[d.uuid], d)
	}
}

// related is what a config of that name and UUID may clash with or be:
// the domains with the name or the UUID, in doms order, of which a check
// that walks doms finds nothing to say about any other. It is one domain
// or none but where a config clashes with two, and there the order of
// the two, which decides the error, is taken from doms itself.
func (h *Host) related(name, uuid string) []*dom {
	byName, byUUID := h.named(name), h.withUUID(uuid)
	switch {
	case len(byName)+len(byUUID) == 0:
		return nil
	case len(byUUID) == 0 && len(byName) == 1:
		return byName
	case len(byName) == 0 && len(byUUID) == 1:
		return byUUID
	case len(byName) == 1 && len(byUUID) == 1 && byName[0] == byUUID[0]:
		return byName
	}
	return h.doms
}

// setDoms replaces every domain, as a load from the directory does. The
// indexes are built again when first needed.
func (h *Host) setDoms(doms []*dom) {
	h.doms, h.names, h.uuids = doms, nil, nil
}

// addDom appends d to doms, and so to the end of its lists in the indexes.
func (h *Host) addDom(d *dom) {
	h.doms = append(h.doms, d)
	if h.names != nil {
		h.names[d.name] = append(h.names[d.name], d)
		h.uuids[d.uuid] = append(h.uuids[d.uuid], d)
	}
}

// dropDom removes d from doms and from the indexes, keeping the order of
// the others in each.
func (h *Host) dropDom(d *dom) {
	h.doms = removeDom(h.doms, d)
	if h.names != nil {
		unindex(h.names, d.name, d)
		unindex(h.uuids, d.uuid, d)
	}
}

func unindex(m map[string][]*dom, key string, d *dom) {
	if rest := removeDom(m[key], d); len(rest) > 0 {
		m[key] = rest
	} else {
		delete(m, key)
	}
}

// renameDom gives d a new name. Its place in the new name's list is its
// place in doms; that list is empty unless the host holds domains that
// share a name (a hand-edited runtime.sxp), and then the indexes are
// built again rather than sorted here.
func (h *Host) renameDom(d *dom, name string) {
	if h.names != nil {
		unindex(h.names, d.name, d)
		if len(h.names[name]) == 0 {
			h.names[name] = []*dom{d}
		} else {
			h.names, h.uuids = nil, nil
		}
	}
	d.name = name
}

// afterOp, when set, runs at the end of every operation with the host
// locked; the package's tests check with it that the indexes are still
// what a rebuild from doms would give.
var afterOp func(h *Host)

// byName lists the visible domains that keep, sorted by name, as xend's
// list_sorted does.
func (h *Host) byName(keep func(*dom) bool) []*dom {
	var out []*dom
	for _, d := range h.doms {
		if h.visible(d) && keep(d) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b *dom) int { return strings.Compare(a.name, b.name) })
	return out
}

// Node is GET /xend/node/.
func (h *Host) Node(ctx context.Context) (*sexpr.Node, error) {
	var n *sexpr.Node
	err := h.doLight(ctx, func(time.Time) error {
		used := 0
		for _, d := range h.doms {
			if d.running() {
				m, _ := strconv.Atoi(d.config().Get("memory"))
				used += m
			}
		}
		n = nodeRecord(h.format, used)
		return nil
	})
	return n, err
}

// DomainNames is GET /xend/domain?state=STATE, with xend's selection
// (xend-protocol.md §2.1): by power state from format 3 on, every live
// domain before.
func (h *Host) DomainNames(ctx context.Context, state string) ([]string, error) {
	var names []string
	err := h.doLight(ctx, func(time.Time) error {
		for _, d := range h.byName(func(d *dom) bool {
			return !xendrules.HasManagedDomains(h.format) || xendrules.StateListed(state, d.powerState())
		}) {
			names = append(names, d.name)
		}
		return nil
	})
	return names, err
}

// Domains is GET /xend/domain?detail=1 (§2.1): the records of the running
// domains from format 3 on, whatever else a client asks for; before that
// xend ignores detail and answers with the names of every live domain.
func (h *Host) Domains(ctx context.Context) ([]*sexpr.Node, error) {
	var items []*sexpr.Node
	err := h.do(ctx, false, func(now time.Time) error {
		if !xendrules.DetailHonoured(h.format) {
			for _, d := range h.byName(func(*dom) bool { return true }) {
				items = append(items, sexpr.Atom(d.name))
			}
			return nil
		}
		for _, d := range h.byName(func(d *dom) bool { return xendrules.DetailListed(d.powerState()) }) {
			items = append(items, h.record(d, now))
		}
		return nil
	})
	return items, err
}

// AllDomains is every record ?state=all would name, in one call and one
// reload of a directory host (backend.BulkXend).
func (h *Host) AllDomains(ctx context.Context) ([]*sexpr.Node, error) {
	var recs []*sexpr.Node
	err := h.do(ctx, false, func(now time.Time) error {
		for _, d := range h.byName(func(*dom) bool { return true }) {
			recs = append(recs, h.record(d, now))
		}
		return nil
	})
	return recs, err
}

// Domain is GET /xend/domain/REF?detail=1.
func (h *Host) Domain(ctx context.Context, ref string) (*sexpr.Node, error) {
	var rec *sexpr.Node
	err := h.do(ctx, false, func(now time.Time) error {
		d := h.find(ref)
		if d == nil {
			if b := h.findBroken(ref); b != nil && h.format >= 3 {
				return h.brokenError(b)
			}
			return noSuchDomain(ref)
		}
		rec = h.record(d, now)
		return nil
	})
	return rec, err
}

// Create is op=create: start a transient domain, paused, as xend does
// (libvirt then unpauses it). A config naming a halted managed domain, by
// the same name and UUID, runs that domain with this config for one boot.
func (h *Host) Create(ctx context.Context, config *sexpr.Node) error {
	return h.do(ctx, true, func(now time.Time) error {
		_, err := h.create(config, now)
		return err
	})
}

// create is Create with the host locked; restore and an incoming
// migration run the same checks.
func (h *Host) create(config *sexpr.Node, now time.Time) (*dom, error) {
	cfg, err := checkConfig(config)
	if err != nil {
		return nil, err
	}
	if err := memoryFits(cfg, true); err != nil {
		return nil, err
	}
	if err := bootable(cfg); err != nil {
		return nil, err
	}
	name, uuid := cfg.Get("name"), cfg.Get("uuid")
	if err := h.refuseBroken(uuid); err != nil {
		return nil, err
	}
	var target *dom
	for _, d := range h.related(name, uuid) {
		// xend checks the name first (XendDomainInfo._checkName):
		// another VM's name is "VM name 'X' already exists as domain N".
		if d.name == name && d.uuid != uuid {
			return nil, conflict(d, name, uuid)
		}
		if d.running() && d.uuid == uuid {
			return nil, errorf(backend.ErrExists, "Domain '%s' already exists with ID '%d'", d.name, d.domid)
		}
		if err := conflict(d, name, uuid); err != nil {
			return nil, err
		}
		if d.uuid == uuid {
			target = d
		}
	}
	if target == nil {
		target = &dom{uuid: uuid, name: name, domid: -1}
		h.addDom(target)
	}
	target.live = cfg
	h.boot(target, now, true)
	return target, nil
}

// New is op=new: define a managed domain, or replace the definition of the
// managed domain with the same name and UUID (a running domain keeps its
// live config until its next boot). xend before 3.0.4 has no such op.
func (h *Host) New(ctx context.Context, config *sexpr.Node) error {
	return h.do(ctx, true, func(now time.Time) error {
		if _, ok := xendrules.Lookup(xendrules.DirOps, "new", h.format); !ok {
			return notImplemented("new")
		}
		cfg, err := checkConfig(config)
		if err != nil {
			return err
		}
		if err := memoryFits(cfg, false); err != nil {
			return err
		}
		name, uuid := cfg.Get("name"), cfg.Get("uuid")
		if err := h.refuseBroken(uuid); err != nil {
			return err
		}
		var target *dom
		for _, d := range h.related(name, uuid) {
			if err := conflict(d, name, uuid); err != nil {
				return err
			}
			if d.uuid == uuid {
				target = d
			}
		}
		if target != nil && target.dom0 {
			return errorf(backend.ErrInvalidState, "Cannot redefine privileged domain 0")
		}
		fresh := target == nil
		if fresh {
			target = &dom{uuid: uuid, name: name, domid: -1}
		}
		old := target.persist
		target.persist = cfg
		if err := h.saveConfig(target); err != nil {
			target.persist = old
			return err
		}
		// What xend does on its own start and stop is management, not
		// boot config: a running domain follows it at once (autostart).
		if target.live != nil {
			for _, key := range []string{"on_xend_start", "on_xend_stop"} {
				if v, ok := cfg.GetOK(key); ok {
					target.live.Set(key, v)
					h.runtimeDirty = true
				}
			}
		}
		if fresh {
			h.addDom(target)
		}
		return nil
	})
}

// bootable refuses to start a config that names nothing to boot.
func bootable(cfg *sexpr.Node) error {
	if !cfg.Has("image") && !cfg.HasContent("bootloader") {
		return errorf(nil, "VM config has no image and no bootloader: nothing to boot")
	}
	return nil
}

// conflict refuses a config whose name belongs to another domain, or whose
// UUID belongs to a domain of another name. xend's own check covers names
// (XendDomainInfo._checkName); xend would quietly rename on a UUID match,
// which the fake refuses so that a UUID always means one domain.
func conflict(d *dom, name, uuid string) error {
	switch {
	case d.name == name && d.uuid != uuid:
		return errorf(backend.ErrExists, "%s", xendrules.NameClash(name, d.domid))
	case d.uuid == uuid && d.name != name:
		return errorf(backend.ErrExists, "VM UUID '%s' already exists as domain '%s'", uuid, d.name)
	}
	return nil
}

// boot gives d a fresh domid (never reused) and starts its clocks.
func (h *Host) boot(d *dom, now time.Time, paused bool) {
	d.domid = h.nextID
	h.nextID++
	d.paused, d.preserved, d.shutdownReason = paused, false, ""
	d.started, d.cpuBase, d.runSince = now, 0, now
	if paused {
		d.runSince = time.Time{}
	}
	h.runtimeDirty = true
}

// halt stops d: a transient domain is gone, a managed one stays halted.
func (h *Host) halt(d *dom) {
	h.runtimeDirty = true
	if d.persist == nil {
		h.dropDom(d)
		return
	}
	d.live, d.domid = nil, -1
	d.paused, d.preserved, d.shutdownReason = false, false, ""
	d.pins = nil // kept with the running domain only (runtime.sxp)
	d.cpuBase, d.runSince, d.started = 0, time.Time{}, time.Time{}
}

// checkConfig validates a (vm …) config the way xend's XendConfig would
// and returns the copy the host keeps: head vm, runtime fields dropped,
// UUID canonical (or made up), maxmem and vcpus filled in.
func checkConfig(config *sexpr.Node) (*sexpr.Node, error) { return checkConfigInto(config, nil) }

// checkConfigInto is checkConfig making its copy with c.
func checkConfigInto(config *sexpr.Node, c *copier) (*sexpr.Node, error) {
	if !config.IsList() || config.Head() == "" {
		return nil, errorf(nil, "Invalid configuration: expected (vm ...)")
	}
	cfg := sexpr.List(append(make([]*sexpr.Node, 0, len(config.Kids)+3), sexpr.Atom("vm"))...)
	for _, k := range config.Args() {
		if !k.IsList() || xendrules.RuntimeKey(k.Head()) {
			continue
		}
		if k.Head() == "device" && k.Child("console") != nil {
			continue
		}
		cfg.Append(c.clone(k))
	}
	name := cfg.Get("name")
	if name == "" {
		return nil, errorf(nil, "Missing VM Name")
	}
	if !xendrules.ValidName(name) {
		return nil, errorf(nil, "Invalid VM Name '%s'", name)
	}
	if cfg.Get("uuid") == "" {
		cfg.Set("uuid", backend.NewUUID())
	} else if u, ok := canonicalUUID(cfg.Get("uuid")); ok {
		cfg.Set("uuid", u)
	} else {
		return nil, errorf(nil, "Invalid UUID '%s'", cfg.Get("uuid"))
	}
	mem, err := optInt(cfg, "memory")
	if err != nil {
		return nil, err
	}
	maxmem, err := optInt(cfg, "maxmem")
	if err != nil {
		return nil, err
	}
	switch {
	case mem == 0 && maxmem == 0:
		mem, maxmem = defaultMemory, defaultMemory
	case mem == 0:
		mem = maxmem
	case maxmem == 0:
		maxmem = mem
	}
	if mem > maxmem {
		return nil, errorf(nil, "memory_dynamic_max must be less than or equal to memory_static_max")
	}
	cfg.Set("memory", strconv.Itoa(mem))
	cfg.Set("maxmem", strconv.Itoa(maxmem))
	vcpus, err := optInt(cfg, "vcpus")
	if err != nil {
		return nil, err
	}
	if vcpus == 0 {
		cfg.Set("vcpus", "1")
	}
	return cfg, nil
}

// defaultMemory is xend's memory default in MiB for a config without one.
const defaultMemory = 128

// optInt reads a positive integer field; 0 when absent.
func optInt(cfg *sexpr.Node, key string) (int, error) {
	s, ok := cfg.GetOK(key)
	if !ok {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, errorf(nil, "invalid literal for int() with base 10: '%s' (%s)", s, key)
	}
	if n < 1 {
		return 0, errorf(nil, "Invalid %s: %d", key, n)
	}
	return n, nil
}

// Close releases the directory of a host opened with Open; the host must
// not be used afterwards. A host in memory has nothing to release.
func (h *Host) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.store == nil {
		return nil
	}
	h.store.closed = true
	h.store.locks.close()
	return nil
}

var _ backend.BulkXend = (*Host)(nil)

// AllBriefDomains is AllDomains cut to brief records (backend.Brief),
// built without copying any config. Equal items of different records are
// one node (see backend.BriefBuilder): the records are to be read, not changed
// item by item.
func (h *Host) AllBriefDomains(ctx context.Context) ([]*sexpr.Node, error) {
	var recs []*sexpr.Node
	err := h.doLight(ctx, func(now time.Time) error {
		doms := h.byName(func(*dom) bool { return true })
		recs = make([]*sexpr.Node, len(doms))
		b := backend.NewBriefBuilder(len(doms))
		for i, d := range doms {
			recs[i] = h.brief(d, now, b)
		}
		return nil
	})
	return recs, err
}

// ShowDomain prints Domain(ref)'s record into b as xend's sxp.show does,
// without building it first (see writeRecord); the simulator serves GET
// /xend/domain/REF with it.
func (h *Host) ShowDomain(ctx context.Context, ref string, b *bytes.Buffer) error {
	return h.do(ctx, false, func(now time.Time) error {
		d := h.find(ref)
		if d == nil {
			if br := h.findBroken(ref); br != nil && h.format >= 3 {
				return h.brokenError(br)
			}
			return noSuchDomain(ref)
		}
		h.writeRecord(b, d, now)
		return nil
	})
}

// ShowDomains prints the items of Domains into b, each as sxp.show does,
// separated by single spaces: the body of GET /xend/domain?detail=1
// without its outer parentheses.
func (h *Host) ShowDomains(ctx context.Context, b *bytes.Buffer) error {
	return h.do(ctx, false, func(now time.Time) error {
		if !xendrules.DetailHonoured(h.format) {
			for i, d := range h.byName(func(*dom) bool { return true }) {
				if i > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(xendrules.ShowAtom(d.name))
			}
			return nil
		}
		for i, d := range h.byName(func(d *dom) bool { return xendrules.DetailListed(d.powerState()) }) {
			if i > 0 {
				b.WriteByte(' ')
			}
			h.writeRecord(b, d, now)
		}
		return nil
	})
}

var _ backend.BulkBriefXend = (*Host)(nil)
