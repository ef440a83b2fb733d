package backend

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"xvirsh/backend/xendrules"
	"xvirsh/sexpr"
	"xvirsh/xmlconv"
)

// domains is the one Backend: domain terms on top of any Xend. It holds no
// XML; every create converts XML to SEXPR and every dumpxml converts back,
// whichever host sits underneath.
type domains struct {
	x   Xend
	uri string

	owners     uuidOwners // see record
	managedDir string     // see NewLocalDomains; "" for a remote xend

	mu      sync.Mutex
	format  int    // xend_config_format once probed, 0 before
	hostMiB uint64 // the host's memory, read with the format; 0 if unknown
}

// NewDomains returns the Backend for the host x, reached through uri.
func NewDomains(x Xend, uri string) Backend { return &domains{x: x, uri: uri} }

// NewLocalDomains is NewDomains for a xend on this machine, which keeps
// the configs of the domains it manages in directories named by UUID
// under dir (xend's xend-domains-path, /var/lib/xend/domains by default):
// how a running domain is told to be managed (see managedOnDisk).
func NewLocalDomains(x Xend, uri, dir string) Backend {
	return &domains{x: x, uri: uri, managedDir: dir}
}

func (b *domains) URI() string  { return b.uri }
func (b *domains) Close() error { return b.x.Close() }

// ConfigFormat probes the node once, as libvirt did at open: a xend
// without xend_config_format is 3.0.2 or older, format 1.
func (b *domains) ConfigFormat(ctx context.Context) (int, error) {
	b.mu.Lock()
	f := b.format
	b.mu.Unlock()
	if f != 0 {
		return f, nil
	}
	n, err := b.x.Node(ctx)
	if err != nil {
		return 0, err
	}
	f = 1
	if s, ok := n.GetOK("xend_config_format"); ok {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			return 0, fmt.Errorf("xend reports an unreadable xend_config_format %q", s)
		}
		f = min(v, xmlconv.DefaultVersion)
	}
	b.mu.Lock()
	b.format = f
	b.hostMiB = nodeMemoryMiB(n)
	b.mu.Unlock()
	return f, nil
}

// nodeMemoryMiB is the host's memory: total_memory, or memory on Xen
// 3.0.2 and older.
func nodeMemoryMiB(n *sexpr.Node) uint64 {
	mem, ok := n.GetOK("total_memory")
	if !ok {
		mem = n.Get("memory")
	}
	mib, _ := strconv.ParseUint(mem, 10, 64)
	return mib
}

// checkMemory refuses, before anything is sent, a config whose memory can
// fit no domain on this host: more than the host has, or more KiB than a
// signed 64-bit count holds (which would wrap round on display).
func (b *domains) checkMemory(cfg *sexpr.Node) error {
	b.mu.Lock()
	host := b.hostMiB
	b.mu.Unlock()
	for _, f := range []struct{ key, elem string }{{"maxmem", "memory"}, {"memory", "currentMemory"}} {
		s, ok := cfg.GetOK(f.key)
		if !ok {
			continue
		}
		mib, err := strconv.ParseUint(s, 10, 64)
		switch {
		case err != nil || mib > xendrules.MaxMemoryMiB:
			return fmt.Errorf("invalid argument: <%s> of %s MiB is too large: its size in KiB does not fit a 64-bit count", f.elem, s)
		case host > 0 && mib > host:
			return fmt.Errorf("invalid argument: <%s> of %d KiB does not fit the host, which has %d KiB", f.elem, mib<<10, host<<10)
		}
	}
	return nil
}

func (b *domains) Version(ctx context.Context) (string, error) {
	n, err := b.x.Node(ctx)
	if err != nil {
		return "", err
	}
	major, minor := n.Get("xen_major"), n.Get("xen_minor")
	if major == "" || minor == "" {
		return "", errors.New("xend reports no xen_major/xen_minor")
	}
	return major + "." + minor + n.Get("xen_extra"), nil
}

func (b *domains) NodeInfo(ctx context.Context) (NodeInfo, error) {
	n, err := b.x.Node(ctx)
	if err != nil {
		return NodeInfo{}, err
	}
	num := func(key string) int { v, _ := strconv.Atoi(n.Get(key)); return v }
	info := NodeInfo{
		Model:   n.Get("machine"),
		CPUs:    num("nr_cpus"),
		MHz:     num("cpu_mhz"),
		Nodes:   max(num("nr_nodes"), 1),
		Sockets: num("sockets_per_node"),
		Cores:   max(num("cores_per_socket"), 1),
		Threads: max(num("threads_per_core"), 1),
	}
	// Xen 3.2 dropped sockets_per_node; derive it as libvirt does.
	if info.Sockets == 0 {
		info.Sockets = max(info.CPUs/(info.Nodes*info.Cores*info.Threads), 1)
	}
	info.MemoryKiB = kib(nodeMemoryMiB(n))
	return info, nil
}

func (b *domains) List(ctx context.Context, filter ListFilter) ([]Domain, error) {
	recs, named, err := b.listing(ctx, filter)
	if err != nil {
		return nil, err
	}
	out := make([]Domain, 0, len(recs)+len(named))
	for _, rec := range recs {
		d, err := summary(rec)
		if err != nil {
			Warn(ctx, err.Error()+"; it is left out of the list")
			continue
		}
		warnOddities(ctx, rec, d)
		out = append(out, d)
	}
	b.managedOnDisk(out)
	out = append(out, named...)
	kept := out[:0]
	for _, d := range out {
		if d.State.Active() && filter&ListActive != 0 || !d.State.Active() && filter&ListInactive != 0 {
			kept = append(kept, d)
		}
	}
	sortDomains(kept)
	return kept, nil
}

// listing is what List reads: records, and for a brief listing of a xend
// that names its domains by state, the domains a name says enough of.
func (b *domains) listing(ctx context.Context, filter ListFilter) (recs []*sexpr.Node, named []Domain, err error) {
	if filter&ListBrief != 0 {
		if recs, named, ok, err := b.byState(ctx, filter); ok || err != nil {
			return recs, named, err
		}
	}
	recs, err = b.briefRecords(ctx)
	return recs, nil, err
}

// fetchParallel bounds the per-domain requests of one listing: enough to
// hide the round trips, few enough not to swamp xend's thread per
// connection.
const fetchParallel = 8

// records returns the record of every domain xend knows, in as few
// requests as xend allows (xend-protocol.md §2.1). ?detail=1 brings the
// running ones in one reply (xend 3.1+ ignores ?state= there, and xend
// 3.0.x answers with names instead); ?state=all names every domain (3.0.x
// ignores state and names every live one); whatever the first reply did
// not hold is fetched one by one, a few at a time.
func (b *domains) records(ctx context.Context) ([]*sexpr.Node, error) {
	if bx, ok := b.x.(BulkXend); ok {
		return bx.AllDomains(ctx)
	}
	return b.collect(ctx, b.x.Domains, fetcherOf(b.x, false))
}

// briefRecords is records cut to what summary reads (see Brief), from a
// host that can send no more than that; whole records otherwise.
func (b *domains) briefRecords(ctx context.Context) ([]*sexpr.Node, error) {
	switch x := b.x.(type) {
	case BulkBriefXend:
		return x.AllBriefDomains(ctx)
	case BriefXend:
		return b.collect(ctx, x.BriefDomains, fetcherOf(x, true))
	}
	return b.records(ctx)
}

// collect is records' walk over xend's calls: list gives the detail
// listing's items, fetch the records it leaves out.
func (b *domains) collect(ctx context.Context, list func(context.Context) ([]*sexpr.Node, error), fetch fetcher) ([]*sexpr.Node, error) {
	items, err := list(ctx)
	if err != nil {
		return nil, err
	}
	recs := make([]*sexpr.Node, 0, len(items))
	have := make(map[string]bool, len(items))
	var missing []string
	for _, it := range items {
		if it.IsList() {
			recs = append(recs, it)
			have[it.Get("name")] = true
		}
	}
	names, err := b.x.DomainNames(ctx, "all")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if !have[n] {
			have[n] = true
			missing = append(missing, n)
		}
	}
	fetched, err := fetchAll(ctx, missing, fetch)
	if err != nil {
		return nil, err
	}
	return append(recs, fetched...), nil
}

// fetcher gets the records of names: recs[i] and errs[i] are names[i]'s;
// err ends the whole listing.
type fetcher func(ctx context.Context, names []string) (recs []*sexpr.Node, errs []error, err error)

// oneByOne is a fetcher that asks one at a time, fetchParallel at once.
func oneByOne(one func(context.Context, string) (*sexpr.Node, error)) fetcher {
	return func(ctx context.Context, names []string) ([]*sexpr.Node, []error, error) {
		recs, errs := make([]*sexpr.Node, len(names)), make([]error, len(names))
		// Each worker takes the next index itself: no hand-over through a
		// channel, which cost a wake-up of two goroutines per domain.
		var next atomic.Int64
		var wg sync.WaitGroup
		for range min(fetchParallel, len(names)) {
			wg.Go(func() {
				for ctx.Err() == nil {
					i := int(next.Add(1) - 1)
					if i >= len(names) {
						return
					}
					recs[i], errs[i] = one(ctx, names[i])
				}
			})
		}
		wg.Wait()
		return recs, errs, ctx.Err()
	}
}

// fetcherOf is how the records of a listing's missing domains are had
// from x: brief ones all at once (pipelined), whole ones one by one.
func fetcherOf(x Xend, brief bool) fetcher {
	if bx, ok := x.(BriefXend); ok && brief {
		return bx.BriefDomainsOf
	}
	return oneByOne(x.Domain)
}

// fetchAll gets the records of names with fetch. A domain that is gone by
// the time it is asked for (404) is left out: it was removed between the
// listing and the fetch. One whose fetch fails otherwise (xend cannot
// print its record, a reply that does not parse) is left out with a
// warning naming it: one bad record must not hide the others. What ends
// the whole listing is the command's own end (Ctrl-C, its deadline), or
// what fetch says ends it (xend gone).
func fetchAll(ctx context.Context, names []string, fetch fetcher) ([]*sexpr.Node, error) {
	if len(names) == 0 {
		return nil, nil
	}
	recs, errs, err := fetch(ctx, names)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	kept := recs[:0]
	for i, r := range recs {
		switch {
		case errs[i] == nil && r != nil && !answersFor(r, names[i]):
			Warn(ctx, fmt.Sprintf("domain '%s' is left out of the list: xend answered for it with the record of domain '%s'", names[i], r.Get("name")))
		case errs[i] == nil && r != nil:
			kept = append(kept, r)
		case errs[i] == nil, errors.Is(errs[i], ErrNotFound):
		default:
			Warn(ctx, fmt.Sprintf("domain '%s' is left out of the list: %v", names[i], errs[i]))
		}
	}
	return kept, nil
}

// answersFor reports whether rec, fetched by the name name, is that
// domain's: xend looks a name up before anything else (xend-protocol.md
// §2.3), so another name is another domain's record, which would stand
// in for it (or, a duplicate, hide it). A record without a name is let
// through: summary says what is wrong with it.
func answersFor(rec *sexpr.Node, name string) bool {
	got := rec.Get("name")
	return got == "" || got == name
}

// sortDomains puts domains in virsh's order: running ones by id, then
// inactive ones by name, case-insensitively. slices, not sort.SliceStable:
// the same algorithm without reflection, whose swapper a one-shot `list`
// built and paged in for four domains.
func sortDomains(ds []Domain) {
	slices.SortStableFunc(ds, func(a, b Domain) int {
		if a.State.Active() != b.State.Active() {
			if a.State.Active() {
				return -1
			}
			return 1
		}
		if a.State.Active() {
			return cmp.Compare(a.ID, b.ID)
		}
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
}

func (b *domains) Lookup(ctx context.Context, ref string) (Domain, error) {
	rec, err := b.record(ctx, ref)
	if err != nil {
		return Domain{}, err
	}
	d, err := summary(rec)
	if err == nil {
		warnOddities(ctx, rec, d)
		ds := []Domain{d}
		b.managedOnDisk(ds)
		d = ds[0]
	}
	return d, err
}

// managedOnDisk marks the running domains of ds that xend manages. xend's
// records do not say it (xend-protocol.md §4.2 has no such field; the
// (managed 1) of xvirsh's own simulator is read when present): libvirt
// looked for the domain's directory under xend's domains path on the
// local disk (xenUnifiedDomainIsPersistent, XEND_DOMAINS_DIR), which a
// xend reached through its unix socket shares. The directory is read
// once, and only when a running domain's answer depends on it.
func (b *domains) managedOnDisk(ds []Domain) {
	if b.managedDir == "" {
		return
	}
	var managed map[string]bool // the directories there, once read
	for i := range ds {
		if !ds[i].State.Active() || ds[i].Persistent || ds[i].UUID == "" {
			continue
		}
		if managed == nil {
			ents, _ := os.ReadDir(b.managedDir) // none there: none managed
			managed = make(map[string]bool, len(ents))
			for _, e := range ents {
				if e.IsDir() {
					managed[e.Name()] = true
				}
			}
		}
		ds[i].Persistent = managed[ds[i].UUID]
	}
}

// kindError is a message of its own that still answers errors.Is for one
// of the sentinels, without the sentinel's text tacked on.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// notFound is virsh's message for a reference that names no domain.
func notFound(ref string) error {
	return &kindError{fmt.Sprintf("failed to get domain '%s'", ref), ErrNotFound}
}

// record resolves ref the way virsh does, which is not xend's order: a
// non-negative number is a domid first, then a UUID (dashed or not), then
// a name. xend tries names before domids and knows no UUIDs before format
// 3, so each answer is checked and the list scanned when xend cannot say.
//
// A UUID is a domain's handle only while no other domain holds it: the
// commands look a domain up by whatever the user typed, then act on it
// through its UUID, and xend answers for a UUID with the first domain it
// finds holding it (xend-protocol.md §2.3). So record notes the UUID of
// every domain it resolves by name or id (owners), and a UUID that xend
// resolves to another domain than the one noted is checked: if both hold
// it, the command fails for the domain it named instead of acting on the
// other one.
func (b *domains) record(ctx context.Context, ref string) (*sexpr.Node, error) {
	rec, byUUID, err := b.resolve(ctx, ref)
	if err != nil {
		return nil, err
	}
	u := recordUUID(rec)
	if !byUUID {
		b.owners.note(u, rec.Get("name"))
		return rec, nil
	}
	owner, ok := b.owners.get(u)
	if !ok || owner == rec.Get("name") {
		return rec, nil
	}
	other, err := b.fetch(ctx, owner)
	if err != nil {
		return nil, fmt.Errorf("xend answers for the UUID %s with domain '%s', while it was domain '%s''s, which cannot be read to tell whether both hold it: %w",
			u, rec.Get("name"), owner, err)
	}
	if other != nil && other.Get("name") == owner && recordUUID(other) == u {
		return nil, sharedUUID(owner, u, []string{owner, rec.Get("name")})
	}
	b.owners.forget(u, owner) // renamed or gone since: the note is stale
	return rec, nil
}

// resolve is record's search; byUUID says ref was taken as a UUID (a
// well-formed one, or one xend holds as it is).
func (b *domains) resolve(ctx context.Context, ref string) (rec *sexpr.Node, byUUID bool, err error) {
	if ref == "" {
		return nil, false, notFound(ref)
	}
	if id, err := strconv.Atoi(ref); err == nil && id >= 0 && ref[0] != '+' {
		domid := strconv.Itoa(id) // "007" is domid 7, as in virsh
		rec, err := b.fetch(ctx, domid)
		if err != nil {
			return nil, false, err
		}
		if rec != nil && rec.Get("domid") == domid {
			return rec, false, nil
		}
		if rec != nil { // a domain named like a number: find the domid itself
			if rec, err := b.scan(ctx, func(r *sexpr.Node) bool { return r.Get("domid") == domid }); rec != nil || err != nil {
				return rec, false, err
			}
		}
	}
	if u, err := xmlconv.ParseUUID(ref); err == nil {
		rec, err := b.fetch(ctx, u)
		if err != nil {
			return nil, false, err
		}
		if rec != nil && sameUUID(rec.Get("uuid"), u) {
			return rec, true, nil
		}
		rec, err = b.scanUUID(ctx, u)
		if rec != nil || err != nil {
			return rec, true, err
		}
	}
	rec, err = b.fetch(ctx, ref)
	if err != nil {
		return nil, false, err
	}
	switch {
	case rec == nil:
	case rec.Get("name") == ref:
		return rec, false, nil
	case rec.Get("uuid") == ref:
		// A UUID that does not read as one, which xend still holds and
		// looks up as it is: the domain is read leniently, and reached.
		return rec, true, nil
	}
	return nil, false, notFound(ref)
}

// scanUUID is the domain holding the UUID u, from the whole list; more
// than one holding it is an error naming them.
func (b *domains) scanUUID(ctx context.Context, u string) (*sexpr.Node, error) {
	recs, err := b.records(ctx)
	if err != nil {
		return nil, err
	}
	var found []*sexpr.Node
	var holders []string
	for _, r := range recs {
		if sameUUID(r.Get("uuid"), u) {
			found = append(found, r)
			holders = append(holders, r.Get("name"))
		}
	}
	switch len(found) {
	case 0:
		return nil, nil
	case 1:
		return found[0], nil
	}
	named := holders[0]
	if owner, ok := b.owners.get(u); ok && slices.Contains(holders, owner) {
		named = owner
	}
	return nil, sharedUUID(named, u, holders)
}

// sharedUUID is the failure of a command on the domain named, whose UUID
// u other domains hold too (holders, named among them): acting through u
// could reach any of them.
func sharedUUID(named, u string, holders []string) error {
	var others []string
	for _, h := range holders {
		if h != named && !slices.Contains(others, h) {
			others = append(others, "'"+h+"'")
		}
	}
	return fmt.Errorf("domain '%s' shares its UUID %s with domain %s on xend, so the UUID does not say which is meant; nothing was done",
		named, u, strings.Join(others, ", "))
}

// uuidOwners remembers, for each UUID, the name of the domain it last
// belonged to when a domain was resolved by name or id (see record). It
// is bounded: past maxOwners notes it starts afresh, which only forgets.
type uuidOwners struct {
	mu sync.Mutex
	m  map[string]string
}

const maxOwners = 4096

func (o *uuidOwners) note(u, name string) {
	if u == "" || name == "" {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.m == nil || len(o.m) >= maxOwners {
		o.m = make(map[string]string)
	}
	o.m[u] = name
}

func (o *uuidOwners) get(u string) (string, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	name, ok := o.m[u]
	return name, ok
}

func (o *uuidOwners) forget(u, name string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.m[u] == name {
		delete(o.m, u)
	}
}

// fetch is Xend.Domain with "not found" as a nil record.
func (b *domains) fetch(ctx context.Context, ref string) (*sexpr.Node, error) {
	rec, err := b.x.Domain(ctx, ref)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return rec, err
}

func (b *domains) scan(ctx context.Context, match func(*sexpr.Node) bool) (*sexpr.Node, error) {
	recs, err := b.records(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		if match(r) {
			return r, nil
		}
	}
	return nil, nil
}

func sameUUID(a, canonical string) bool {
	u, err := xmlconv.ParseUUID(a)
	return err == nil && u == canonical
}

// recordUUID is the UUID of rec as Domain.UUID carries it: canonical
// when it reads as a UUID, else as xend sent it (read leniently, kept
// raw), "" when the record has none.
func recordUUID(rec *sexpr.Node) string {
	raw := rec.Get("uuid")
	if u, err := xmlconv.ParseUUID(raw); err == nil {
		return u
	}
	return raw
}

// warnOddities tells the operator what summary read leniently from rec,
// the record of d: the domain is still listed and dumped, but a field it
// could not use is worth a word.
func warnOddities(ctx context.Context, rec *sexpr.Node, d Domain) {
	switch raw, ok := rec.GetOK("uuid"); {
	case !ok || raw == "":
		Warn(ctx, fmt.Sprintf("domain '%s' has no UUID in xend's record", d.Name))
	case d.UUID == raw && !xmlconv.IsCanonicalUUID(raw):
		Warn(ctx, fmt.Sprintf("domain '%s' has a malformed UUID '%s' in xend's record", d.Name, raw))
	}
	if s, ok := rec.GetOK("domid"); d.ID < 0 && ok && saysLive(rec) {
		if _, err := readDomid(s); err != nil {
			Warn(ctx, fmt.Sprintf("domain '%s' has an unreadable domid '%s' (%v) in xend's record, which says it is live; it is shown as %s, without an id", d.Name, s, err, d.State))
		}
	}
}

// saysLive reports whether rec's own status or state flags say the
// domain runs or is paused, whatever its domid.
func saysLive(rec *sexpr.Node) bool {
	if s, ok := rec.GetOK("status"); ok {
		if n, err := strconv.Atoi(s); err == nil {
			return xendrules.PowerState(n).Live()
		}
	}
	f := xendrules.ParseFlags(rec.Get("state"))
	return (f.Running || f.Blocked || f.Paused) && !f.Shutdown && !f.Crashed
}

// readDomid reads a record's domid: a domain id is a non-negative number
// that fits an int.
func readDomid(s string) (int, error) {
	id, err := strconv.Atoi(s)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return -1, errors.New("out of range")
	case err != nil:
		return -1, errors.New("not a number")
	case id < 0:
		return -1, errors.New("negative")
	}
	return id, nil
}

// summary reads the Domain out of a (domain …) record, as libvirt's
// domainGetInfo did (xend-protocol.md §2.3).
func summary(rec *sexpr.Node) (Domain, error) {
	d := Domain{ID: -1, Name: rec.Get("name")}
	if d.Name == "" {
		return d, fmt.Errorf("xend returned a domain record without a name: %.80s", rec.String())
	}
	d.UUID = recordUUID(rec)
	if s, ok := rec.GetOK("domid"); ok {
		if id, err := readDomid(s); err == nil {
			d.ID = id
		}
	}
	d.State = parseState(rec, d.ID >= 0)
	if !d.State.Active() {
		d.ID = -1
	}
	memory, _ := strconv.ParseUint(rec.Get("memory"), 10, 64)
	maxmem, _ := strconv.ParseUint(rec.Get("maxmem"), 10, 64)
	if maxmem == 0 {
		maxmem = memory
	}
	d.MemoryKiB, d.MaxMemKiB = kib(memory), kib(maxmem)
	d.VCPUs, _ = strconv.Atoi(rec.Get("vcpus"))
	// An absent field is skipped before parsing: strconv's error for ""
	// is an allocation per record, 10,000 of them in a big listing.
	if v := rec.Get("vcpu_avail"); v != "" {
		if avail, err := strconv.ParseUint(v, 10, 64); err == nil && avail != 0 {
			d.VCPUs = min(d.VCPUs, bits.OnesCount64(avail))
		}
	}
	if v := rec.Get("cpu_time"); v != "" {
		if secs, err := strconv.ParseFloat(v, 64); err == nil && secs > 0 {
			d.CPUTime = time.Duration(secs * 1e9)
		}
	}
	d.OSType = "linux"
	if rec.HasContent("image/hvm") {
		d.OSType = "hvm"
	}
	// A halted domain that xend still lists is managed. For a running one
	// xend has no field; the fake host adds (managed 1).
	d.Persistent = !d.State.Active() || rec.Get("managed") == "1"
	d.Autostart = rec.Get("on_xend_start") == "start"
	return d, nil
}

// kib converts xend's MiB to KiB. A value too large for that (no host has
// it, but a record may say so) reads as the largest there is, never wrapped
// round to a small one.
func kib(mib uint64) uint64 {
	if mib > math.MaxUint64>>10 {
		return math.MaxUint64
	}
	return mib << 10
}

// parseState maps xend's rbpscd flags in libvirt's order of precedence:
// crashed, shutoff, dying, paused, blocked, running. A running domain with
// no flag set is neither on a CPU nor waiting; xm shows it as idle, so does
// this.
func parseState(rec *sexpr.Node, hasID bool) State {
	flags, ok := rec.GetOK("state")
	if !hasID || (!ok && rec.Get("status") == "0") {
		return StateShutoff
	}
	f := xendrules.ParseFlags(flags)
	switch {
	case f.Crashed:
		return StateCrashed
	case f.Shutdown:
		return StateShutoff
	case f.Dying:
		return StateShutdown
	case f.Paused:
		return StatePaused
	case f.Blocked:
		return StateBlocked
	case f.Running:
		return StateRunning
	}
	return StateBlocked
}

func (b *domains) XML(ctx context.Context, ref string, inactive bool) (string, error) {
	rec, err := b.record(ctx, ref)
	if err != nil {
		return "", err
	}
	f, err := b.ConfigFormat(ctx)
	if err != nil {
		return "", err
	}
	d, err := summary(rec)
	if err != nil {
		return "", err
	}
	opt := xmlconv.Options{Version: f, Warn: warnings(ctx), HideSecrets: hideSecrets(ctx)}
	// Domain-0 has no definition apart from the running domain (no kernel
	// or bootloader in its record), so its inactive view is the live one.
	if (inactive && d.ID != 0) || !d.State.Active() {
		rec = rec.Clone()
		rec.Delete("domid")
	} else {
		opt.TTY, opt.VNCPort = consoleInfo(rec)
	}
	return xmlconv.ToXML(rec, opt)
}

// consoleInfo finds what libvirt read from xenstore, which the fake host
// (and some xend 3.1 builds, for the port) put in a console device.
func consoleInfo(rec *sexpr.Node) (tty string, vncPort int) {
	for _, dev := range rec.Children("device") {
		con := dev.Child("console")
		if con == nil {
			continue
		}
		if t := con.Get("tty"); t != "" && tty == "" {
			tty = t
		}
		if p, err := strconv.Atoi(con.Get("vnc-port")); err == nil && p > 0 && vncPort == 0 {
			vncPort = p
		}
	}
	return tty, vncPort
}

func (b *domains) Sexpr(ctx context.Context, ref string) (*sexpr.Node, error) {
	return b.record(ctx, ref)
}

// convert turns domain XML into the (vm …) config for the host's format.
func (b *domains) convert(ctx context.Context, xml []byte) (*sexpr.Node, error) {
	f, err := b.ConfigFormat(ctx)
	if err != nil {
		return nil, err
	}
	return xmlconv.ToSexpr(xml, f)
}

// Define sends op=new. Before format 3 xend has no managed domains (libvirt
// kept those in /etc/xen files instead), so there is nothing to define into.
func (b *domains) Define(ctx context.Context, xml []byte) (Domain, error) {
	f, err := b.ConfigFormat(ctx)
	if err != nil {
		return Domain{}, err
	}
	if f < 3 {
		return Domain{}, unsupported("xend config format %d has no persistent domains (they need Xen 3.0.4 or later); use create", f)
	}
	cfg, err := b.convert(ctx, xml)
	if err != nil {
		return Domain{}, err
	}
	if err := b.checkMemory(cfg); err != nil {
		return Domain{}, err
	}
	if err := b.x.New(ctx, cfg); err != nil {
		return Domain{}, err
	}
	return b.created(ctx, cfg)
}

// created looks the domain a config made up by name, checking it is the
// one just sent.
func (b *domains) created(ctx context.Context, cfg *sexpr.Node) (Domain, error) {
	name := cfg.Get("name")
	rec, err := b.x.Domain(ctx, name)
	if err != nil {
		return Domain{}, fmt.Errorf("domain '%s' was sent to xend but cannot be read back: %w", name, err)
	}
	return summary(rec)
}

// Create runs a domain the way libvirt did: op=create leaves it paused,
// then wait for its devices and unpause it; a domain that fails on the way
// is destroyed rather than left half-started.
func (b *domains) Create(ctx context.Context, xml []byte) (Domain, error) {
	return b.create(ctx, xml, false)
}

func (b *domains) CreatePaused(ctx context.Context, xml []byte) (Domain, error) {
	return b.create(ctx, xml, true)
}

// create does what libvirt did: create (xend leaves the domain paused),
// wait for its devices, unpause unless asked not to, and destroy the
// domain again if any step fails.
func (b *domains) create(ctx context.Context, xml []byte, paused bool) (Domain, error) {
	cfg, err := b.convert(ctx, xml)
	if err != nil {
		return Domain{}, err
	}
	if err := b.checkMemory(cfg); err != nil {
		return Domain{}, err
	}
	if err := b.x.Create(ctx, cfg); err != nil {
		return Domain{}, b.clash(ctx, cfg, err)
	}
	name := cfg.Get("name")
	fail := func(err error) (Domain, error) {
		b.x.Op(context.WithoutCancel(ctx), name, "destroy", nil)
		return Domain{}, err
	}
	d, err := b.created(ctx, cfg)
	if err != nil {
		return fail(err)
	}
	if d.ID < 0 {
		return fail(fmt.Errorf("xend created domain '%s' but gave it no domid", name))
	}
	ops := []string{"wait_for_devices", "unpause"}
	if paused {
		ops = ops[:1]
	}
	for _, op := range ops {
		if err := b.x.Op(ctx, name, op, nil); err != nil {
			return fail(err)
		}
	}
	return b.created(ctx, cfg)
}

// act resolves ref, checks the domain's state with check (nil = no check)
// and sends op to xend by name, which every xend version resolves.
func (b *domains) act(ctx context.Context, ref, op string, form url.Values, check func(Domain, *sexpr.Node) error) error {
	rec, err := b.record(ctx, ref)
	if err != nil {
		return err
	}
	d, err := summary(rec)
	if err != nil {
		return err
	}
	if check != nil {
		if err := check(d, rec); err != nil {
			return err
		}
	}
	return b.x.Op(ctx, d.Name, op, form)
}

// invalid and unsupported carry libvirt's error categories.
func invalid(format string, args ...any) error {
	return &kindError{"Requested operation is not valid: " + fmt.Sprintf(format, args...), ErrInvalidState}
}

func unsupported(format string, args ...any) error {
	return &kindError{"Operation not supported: " + fmt.Sprintf(format, args...), ErrUnsupported}
}

func mustRun(d Domain, _ *sexpr.Node) error {
	if !d.State.Active() {
		return invalid("domain is not running")
	}
	return nil
}

func (b *domains) Undefine(ctx context.Context, ref string) error {
	f, err := b.ConfigFormat(ctx)
	if err != nil {
		return err
	}
	if f < 3 {
		return unsupported("xend config format %d has no persistent domains to undefine", f)
	}
	rec, err := b.record(ctx, ref)
	if errors.Is(err, ErrBroken) {
		// A record the host cannot read is known only by its UUID;
		// removing it is the one thing left to do with it.
		if u, uerr := xmlconv.ParseUUID(ref); uerr == nil {
			return b.x.Op(ctx, u, "delete", nil)
		}
	}
	if err != nil {
		return err
	}
	d, err := summary(rec)
	if err != nil {
		return err
	}
	if d.State.Active() {
		return invalid("domain '%s' is running; xend only undefines halted domains", d.Name)
	}
	return b.x.Op(ctx, d.Name, "delete", nil)
}

func (b *domains) Start(ctx context.Context, ref string) error {
	f, err := b.ConfigFormat(ctx)
	if err != nil {
		return err
	}
	return b.act(ctx, ref, "start", nil, func(d Domain, _ *sexpr.Node) error {
		if d.State.Active() {
			return invalid("domain is already running")
		}
		if f < 3 {
			return unsupported("xend config format %d has no defined domains to start", f)
		}
		return nil
	})
}

// Destroy goes by the domid rather than the state: a domain shut down
// with on_poweroff=preserve reads as shut off but still holds its domid,
// and destroy is the only way to be rid of it.
func (b *domains) Destroy(ctx context.Context, ref string) error {
	return b.act(ctx, ref, "destroy", nil, func(d Domain, rec *sexpr.Node) error {
		if !rec.Has("domid") {
			return invalid("domain is not running")
		}
		return nil
	})
}

func (b *domains) Shutdown(ctx context.Context, ref string) error {
	return b.act(ctx, ref, "shutdown", url.Values{"reason": {"poweroff"}}, mustRun)
}

func (b *domains) Reboot(ctx context.Context, ref string) error {
	return b.act(ctx, ref, "shutdown", url.Values{"reason": {"reboot"}}, mustRun)
}

func (b *domains) Suspend(ctx context.Context, ref string) error {
	return b.act(ctx, ref, "pause", nil, func(d Domain, _ *sexpr.Node) error {
		if d.State == StatePaused {
			return invalid("domain is already paused")
		}
		return mustRun(d, nil)
	})
}

func (b *domains) Resume(ctx context.Context, ref string) error {
	return b.act(ctx, ref, "unpause", nil, func(d Domain, _ *sexpr.Node) error {
		if d.State != StatePaused {
			return invalid("domain is not paused")
		}
		return nil
	})
}

// mib converts to xend's unit, rounding up as libvirt 2014 does, so that
// a request is never silently cut below what was asked.
func mib(kib uint64) uint64 { return (kib + 1023) >> 10 }

// errZeroMemory is libvirt's refusal of a zero size, in its API's words
// (virsh's setmem and setmaxmem both call virDomainSetMemoryFlags).
var errZeroMemory = errors.New("memory in virDomainSetMemoryFlags must not be zero")

func (b *domains) SetMemory(ctx context.Context, ref string, kib uint64) error {
	if kib == 0 {
		return errZeroMemory
	}
	return b.act(ctx, ref, "mem_target_set", url.Values{"target": {strconv.FormatUint(mib(kib), 10)}}, func(d Domain, _ *sexpr.Node) error {
		if mib(kib) > d.MaxMemKiB>>10 {
			return errors.New("invalid argument: cannot set memory higher than max memory")
		}
		return nil
	})
}

func (b *domains) SetMaxMemory(ctx context.Context, ref string, kib uint64) error {
	if kib == 0 {
		return errZeroMemory
	}
	return b.act(ctx, ref, "maxmem_set", url.Values{"memory": {strconv.FormatUint(mib(kib), 10)}}, nil)
}

func (b *domains) SetVCPUs(ctx context.Context, ref string, n int) error {
	if n < 1 {
		return fmt.Errorf("invalid argument: vcpu count %d must be at least 1", n)
	}
	return b.act(ctx, ref, "set_vcpus", url.Values{"vcpus": {strconv.Itoa(n)}}, func(d Domain, rec *sexpr.Node) error {
		// vcpus is the maximum; a running domain cannot go beyond it.
		if max, _ := strconv.Atoi(rec.Get("vcpus")); d.State.Active() && n > max {
			return fmt.Errorf("invalid argument: requested vcpus is greater than max allowable vcpus for the domain: %d > %d", n, max)
		}
		return nil
	})
}

// clash names the UUID when xend refused to create a config because a
// domain holds its UUID: xend's "Domain 'x' already exists with ID 'n'"
// names a domain only, which may not be the one the user named. virsh's
// wording says both.
func (b *domains) clash(ctx context.Context, cfg *sexpr.Node, err error) error {
	u, perr := xmlconv.ParseUUID(cfg.Get("uuid"))
	// A name clash names its holder already; only a UUID clash is worth
	// the search for the domain that holds the UUID.
	if !errors.Is(err, ErrExists) || perr != nil || xendrules.IsNameClash(err.Error()) {
		return err
	}
	rec, _ := b.scan(ctx, func(r *sexpr.Node) bool { return sameUUID(r.Get("uuid"), u) })
	if rec == nil {
		return err
	}
	return &kindError{fmt.Sprintf("operation failed: domain '%s' already exists with uuid %s", rec.Get("name"), u), ErrExists}
}
