package fake

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"xvirsh/sexpr"
)

// A host in a directory keeps xend's layout, so that what it holds is what
// an operator would find under /var/lib/xend:
//
//	DIR/domains/<uuid>/config.sxp   one managed (defined) domain each
//	DIR/runtime.sxp                 what the hypervisor and xenstore hold:
//	                                the running domains, their domids,
//	                                live configs and clocks, the next domid
//	DIR/lock                        flock'ed around every operation
//
// Running state is kept too, although a real host loses it on reboot,
// because every xvirsh command is a new process: `create` followed by
// `list` must show the domain. Every file is replaced atomically (temp file
// in the same directory, fsync, rename, fsync of the directory), so a crash
// leaves either the old or the new file, never half of one, and a define
// that returned has reached the disk.
type store struct {
	dir       string
	hidePaths bool // see Host.HidePaths
	lockPath  string
	// runtimePath and domainsPath are stat'ed by every operation (stamp):
	// joined once, not each time.
	runtimePath, domainsPath string
	closed                   bool              // Close was called: no more operations
	cache                    map[string]cached // by path: parsed files that have not changed
	locks                    lockPool          // open descriptions of lockPath (lock.go)

	indexOnce sync.Once
	index     string // where the index is kept (index.go); "" for nowhere
	oldIndex  string // where versions before 5 kept it, removed on each write
}

type cached struct {
	key  fileKey
	node *sexpr.Node
}

// fileKey tells whether a file was replaced: rename gives a new inode.
type fileKey struct {
	ino, size int64
	mtime     time.Time
}

func keyOf(fi fs.FileInfo) fileKey {
	k := fileKey{size: fi.Size(), mtime: fi.ModTime()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		k.ino = int64(st.Ino)
	}
	return k
}

const (
	runtimeFile = "runtime.sxp"
	lockFile    = "lock"
	configFile  = "config.sxp"
	domainsDir  = "domains"
)

// Open returns the host kept in dir, an absolute path, creating it when
// needed. A new directory starts as the demo host of NewDefault (with the
// real clock); one that already holds domains is taken as it is. Two
// processes may use the same directory at once.
func Open(dir string) (*Host, error) { return OpenContext(context.Background(), dir) }

// OpenContext is Open giving up with ctx while another process holds the
// directory's lock.
func OpenContext(ctx context.Context, dir string) (*Host, error) {
	if !filepath.IsAbs(dir) {
		return nil, fmt.Errorf("fake host directory %q is not an absolute path", dir)
	}
	dir = filepath.Clean(dir)
	if err := checkHostDir(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, domainsDir), 0o755); err != nil {
		return nil, fmt.Errorf("fake host: %w", err)
	}
	s := &store{dir: dir, lockPath: filepath.Join(dir, lockFile), cache: map[string]cached{},
		runtimePath: filepath.Join(dir, runtimeFile), domainsPath: filepath.Join(dir, domainsDir)}
	h := New(4)
	if err := s.init(ctx, h); err != nil {
		return nil, err
	}
	h.store = s
	return h, nil
}

// checkHostDir accepts a directory that is missing, empty or already a
// fake host, so that a mistyped URI cannot litter someone's home directory.
func checkHostDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) || err == nil && len(entries) == 0 {
		return nil
	}
	if err != nil {
		return fmt.Errorf("fake host: %w", err)
	}
	for _, e := range entries {
		if e.Name() == runtimeFile || e.Name() == domainsDir && e.IsDir() {
			return nil
		}
	}
	return fmt.Errorf("fake host: %s is neither empty nor a fake host (no %s or %s/ in it)", dir, runtimeFile, domainsDir)
}

// init seeds a new directory. runtime.sxp is written last, so a crash
// while seeding leaves a directory that is seeded again next time.
func (s *store) init(ctx context.Context, h *Host) error {
	// A host already seeded needs no change, nor the exclusive lock: it
	// may sit on a read-only mount.
	if _, err := os.Stat(filepath.Join(s.dir, runtimeFile)); err == nil {
		return nil
	}
	unlock, err := s.lock(ctx, true)
	if err != nil {
		return err
	}
	defer unlock()
	if _, err := os.Stat(filepath.Join(s.dir, runtimeFile)); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return s.wrap(err)
	}
	entries, err := os.ReadDir(filepath.Join(s.dir, domainsDir))
	if err != nil {
		return s.wrap(err)
	}
	if len(entries) == 0 {
		h.seedDemo(h.clock())
		for _, d := range h.doms {
			if d.persist != nil {
				if err := s.writeConfig(d); err != nil {
					return err
				}
			}
		}
	}
	return s.saveRuntime(h)
}

func (s *store) wrap(err error) error {
	if s.hidePaths {
		return fmt.Errorf("fake host: %w", err)
	}
	return fmt.Errorf("fake host %s: %w", s.dir, err)
}

// parse reads and parses path, reusing the last parse while the file is
// unchanged; fi, when not nil, is the caller's stat of it. It returns nil,
// nil for a missing file. The tree is the cache's own, not a copy: the
// callers only read it (checkConfig copies what a host keeps), and at
// 10,000 domains a copy of each was a quarter of reading the directory.
func (s *store) parse(path string, fi fs.FileInfo) (*sexpr.Node, error) {
	if fi == nil {
		var err error
		fi, err = os.Stat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		if err != nil {
			return nil, s.wrap(err)
		}
	}
	if c, ok := s.cache[path]; ok && c.key == keyOf(fi) {
		return c.node, nil
	}
	data, err := readFile(path, fi.Size())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, s.wrap(err)
	}
	// data is not used again: the tree may share it.
	n, err := sexpr.ParseString(unsafe.String(unsafe.SliceData(data), len(data)))
	if err != nil {
		return nil, &parseError{path: path, err: err}
	}
	s.cache[path] = cached{key: keyOf(fi), node: n}
	return n, nil
}

// copier makes the copies of the configs a host keeps from slabs, not
// one node at a time: reading 10,000 domains copies some 700,000 nodes.
// A nil copier copies with Clone.
type copier struct{ sexpr.Slab }

func (c *copier) clone(n *sexpr.Node) *sexpr.Node {
	if c == nil {
		return n.Clone()
	}
	return c.Slab.Clone(n)
}

// readFile is os.ReadFile of a file a stat just found size bytes long.
// With 10,000 configs to read, os.ReadFile's poller registration and
// fstat were two system calls in six, each dear on a virtual machine.
// Its errors are os.ReadFile's.
func readFile(path string, size int64) ([]byte, error) {
	fd, err := ignoringEINTR(func() (int, error) { return unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0) })
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	// One byte more than the stat said, so that a file grown since needs
	// no more than one more read.
	data := make([]byte, 0, max(size, 0)+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := ignoringEINTR(func() (int, error) { return unix.Read(fd, data[len(data):cap(data)]) })
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			return data, nil
		}
		data = data[:len(data)+n]
	}
}

func ignoringEINTR(fn func() (int, error)) (int, error) {
	for {
		n, err := fn()
		if err != unix.EINTR {
			return n, err
		}
	}
}

// load replaces the host's domains with what the directory holds. Under
// the exclusive lock it also sweeps what an interrupted write left behind:
// temp files, half-made domain directories, undefined ones not yet removed.
func (s *store) load(h *Host, write bool) error {
	rt, err := s.parse(filepath.Join(s.dir, runtimeFile), nil)
	if err != nil {
		return err
	}
	c := new(copier)
	doms := []*dom{}
	byUUID := map[string]*dom{}
	if rt != nil {
		if n, err := strconv.Atoi(rt.Get("next_domid")); err == nil && n > 0 {
			h.nextID = n
		}
		for _, r := range rt.Children("running") {
			d, err := runningFrom(r, c)
			if err != nil {
				return fmt.Errorf("%s: %w", filepath.Join(s.dir, runtimeFile), err)
			}
			doms = append(doms, d)
			byUUID[d.uuid] = d
		}
	}
	if len(doms) == 0 || !doms[0].dom0 {
		doms = append([]*dom{newDom0(h.clock())}, doms...)
	}
	root := filepath.Join(s.dir, domainsDir)
	entries, err := os.ReadDir(root)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return s.wrap(err)
	}
	h.broken = h.broken[:0]
	byName := map[string]*dom{}
	for _, d := range doms {
		byName[d.name] = d
	}
	for _, e := range entries {
		path := filepath.Join(root, e.Name())
		if strings.HasPrefix(e.Name(), ".") {
			if write {
				os.RemoveAll(path)
			}
			continue
		}
		dirUUID, ok := canonicalUUID(e.Name())
		if !ok {
			continue // not a domain's: xend names each directory by its UUID
		}
		cfg, problem := s.readConfig(path, e, write, c)
		if cfg == nil && problem == "" {
			continue
		}
		if problem == "" {
			u, name := cfg.Get("uuid"), cfg.Get("name")
			switch other := byName[name]; {
			case u != dirUUID:
				problem = fmt.Sprintf("it holds the record of UUID %s, not of its directory's", u)
			case other != nil && other.uuid != u:
				problem = fmt.Sprintf("its name '%s' is already domain %s's", name, other.uuid)
			}
		}
		if problem != "" {
			h.broken = append(h.broken, broken{uuid: dirUUID, dir: e.Name(), path: filepath.Join(path, configFile), problem: problem})
			continue
		}
		u := cfg.Get("uuid")
		var dir string
		if e.Name() != u {
			dir = e.Name()
		}
		if d := byUUID[u]; d != nil {
			d.persist, d.dir = cfg, dir
			continue
		}
		d := &dom{uuid: u, name: cfg.Get("name"), dir: dir, persist: cfg, domid: -1}
		doms = append(doms, d)
		byUUID[u] = d
		byName[d.name] = d
	}
	if write {
		sweepTemps(s.dir)
	}
	h.setDoms(doms)
	return nil
}

// readConfig reads dir/config.sxp, the record of one managed domain. It
// returns the checked config, or why the record cannot be used (problem),
// or neither for a directory a define left before writing its config. A bad
// record is reported, never fatal: one broken file must not take the
// other domains down with it. Nothing is followed through a symlink, so a
// record cannot make the host read (and a simulator serve) a file outside
// its directory.
func (s *store) readConfig(dir string, e fs.DirEntry, write bool, c *copier) (cfg *sexpr.Node, problem string) {
	switch {
	case e.Type()&fs.ModeSymlink != 0:
		return nil, "the domain's directory is a symlink, which is not followed"
	case !e.IsDir():
		return nil, "the domain's directory is not a directory"
	}
	path := filepath.Join(dir, configFile)
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if write {
			sweepTemps(dir)
			os.Remove(dir) // a define that never got to write its config
		}
		return nil, ""
	case err != nil:
		return nil, describeIOErr(err)
	case fi.Mode()&fs.ModeSymlink != 0:
		return nil, "it is a symlink, which is not followed"
	case fi.IsDir():
		return nil, "it is a directory, not a file"
	case !fi.Mode().IsRegular():
		return nil, "it is not a regular file"
	case fi.Size() == 0:
		return nil, "it is empty"
	}
	if write {
		sweepTemps(dir)
	}
	n, err := s.parse(path, fi)
	if err != nil {
		var pe *parseError
		if errors.As(err, &pe) {
			return nil, "it is not a readable S-expression (" + pe.err.Error() + ")"
		}
		return nil, describeIOErr(err)
	}
	if n == nil {
		return nil, "it vanished while being read"
	}
	cfg, err = checkConfigInto(n, c)
	if err != nil {
		return nil, "xend would refuse it: " + err.Error()
	}
	return cfg, ""
}

// describeIOErr is the cause of a failed read without the path, which the
// warning names already.
func describeIOErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}

// parseError is a file that was read but does not parse.
type parseError struct {
	path string
	err  error
}

func (e *parseError) Error() string { return e.path + ":" + e.err.Error() }
func (e *parseError) Unwrap() error { return e.err }

func sweepTemps(dir string) {
	tmps, _ := filepath.Glob(filepath.Join(dir, ".*.tmp*"))
	for _, t := range tmps {
		os.Remove(t)
	}
}

// runningFrom reads one (running …) entry of runtime.sxp.
func runningFrom(r *sexpr.Node, c *copier) (*dom, error) {
	cfg := r.Lookup("config")
	if cfg == nil || len(cfg.Args()) != 1 {
		return nil, errors.New("running domain without (config (vm ...))")
	}
	live, err := checkConfigInto(cfg.Args()[0], c)
	if err != nil {
		return nil, err
	}
	domid, err := strconv.Atoi(r.Get("domid"))
	if err != nil || domid < 0 {
		return nil, fmt.Errorf("running domain %s has no domid", live.Get("name"))
	}
	d := &dom{uuid: live.Get("uuid"), name: live.Get("name"), live: live, domid: domid,
		paused: r.Get("paused") == "1", preserved: r.Get("preserved") == "1", dom0: domid == 0}
	d.started = nsTime(r.Get("started_ns"))
	d.runSince = nsTime(r.Get("run_since_ns"))
	d.cpuBase, _ = strconv.ParseFloat(r.Get("cpu_base"), 64)
	d.pins = pinsFrom(r.Lookup("pins"))
	if d.preserved {
		// A runtime.sxp written before the reason was kept has none:
		// poweroff is the shutdown libvirt and xvirsh ask for.
		d.shutdownReason = r.Get("shutdown_reason")
		if d.shutdownReason == "" {
			d.shutdownReason = "poweroff"
		}
	}
	return d, nil
}

// pinsFrom reads (pins (VCPU CPU …) …), what pincpu set; anything
// unreadable in it is dropped, leaving that VCPU on every CPU.
func pinsFrom(n *sexpr.Node) map[int][]int {
	if n == nil {
		return nil
	}
	pins := map[int][]int{}
	for _, p := range n.Args() {
		var nums []int
		for _, k := range p.Kids {
			v, err := strconv.Atoi(k.Value)
			if err != nil || v < 0 {
				nums = nil
				break
			}
			nums = append(nums, v)
		}
		if len(nums) >= 2 {
			pins[nums[0]] = nums[1:]
		}
	}
	return pins
}

// pinsNode writes d's pins for runtime.sxp, in VCPU order.
func pinsNode(d *dom) *sexpr.Node {
	n := sexpr.List(sexpr.Atom("pins"))
	for v := 0; v < 4096 && len(n.Kids) <= len(d.pins); v++ {
		cpus, ok := d.pins[v]
		if !ok {
			continue
		}
		p := sexpr.List(sexpr.Atom(strconv.Itoa(v)))
		for _, c := range cpus {
			p.Append(sexpr.Atom(strconv.Itoa(c)))
		}
		n.Append(p)
	}
	return n
}

func nsTime(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

func nsString(t time.Time) string {
	if t.IsZero() {
		return "0"
	}
	return strconv.FormatInt(t.UnixNano(), 10)
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// saveRuntime rewrites runtime.sxp from the running domains.
func (s *store) saveRuntime(h *Host) error {
	rt := sexpr.List(sexpr.Atom("runtime"), kvInt("next_domid", h.nextID))
	for _, d := range h.doms {
		if !d.running() {
			continue
		}
		r := sexpr.List(sexpr.Atom("running"),
			kvInt("domid", d.domid),
			sexpr.KV("paused", flag(d.paused)),
			sexpr.KV("preserved", flag(d.preserved)),
		)
		if d.preserved {
			r.Append(sexpr.KV("shutdown_reason", d.shutdownReason))
		}
		r.Append(sexpr.KV("started_ns", nsString(d.started)),
			sexpr.KV("run_since_ns", nsString(d.runSince)),
			sexpr.KV("cpu_base", strconv.FormatFloat(d.cpuBase, 'g', -1, 64)),
			pinsNode(d),
			sexpr.List(sexpr.Atom("config"), d.live),
		)
		rt.Append(r)
	}
	return s.writeFile(s.dir, runtimeFile, rt.Pretty()+"\n")
}

// writeConfig writes d's definition to domains/<uuid>/config.sxp, headed
// domain as xend writes it.
func (s *store) writeConfig(d *dom) error {
	// Where it was read from: a definition found under another spelling
	// of its UUID is changed there, not doubled beside it.
	dir := filepath.Join(s.dir, domainsDir, d.configDir())
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.Mkdir(dir, 0o755); err != nil {
			return s.wrap(err)
		}
		// The new directory entry must be on disk before the file in it
		// can be said to be.
		if err := syncDir(filepath.Dir(dir)); err != nil {
			return s.wrap(err)
		}
	}
	cfg := d.persist.Clone()
	cfg.Kids[0] = sexpr.Atom("domain")
	return s.writeFile(dir, configFile, cfg.Pretty()+"\n")
}

// removeConfig undefines: the directory is first renamed out of the way
// (one atomic step: the domain is gone), then removed at leisure; a crash
// in between leaves a dot-directory that the next load sweeps.
func (s *store) removeConfig(dir string) error { return s.removeDir(dir) }

// removeDir undefines the domain kept in domains/NAME.
func (s *store) removeDir(name string) error {
	root := filepath.Join(s.dir, domainsDir)
	dir := filepath.Join(root, name)
	trash := filepath.Join(root, fmt.Sprintf(".deleted-%s-%d", name, time.Now().UnixNano()))
	if err := os.Rename(dir, trash); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return s.wrap(err)
	}
	if err := syncDir(root); err != nil {
		return s.wrap(err)
	}
	os.RemoveAll(trash)
	return nil
}

// writeFile replaces dir/name atomically and durably.
func (s *store) writeFile(dir, name, data string) error {
	f, err := os.CreateTemp(dir, "."+name+".tmp*")
	if err != nil {
		return s.wrap(err)
	}
	tmp := f.Name()
	_, err = f.WriteString(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(tmp)
		return s.wrap(err)
	}
	if err := syncDir(dir); err != nil {
		return s.wrap(err)
	}
	return nil
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// saveConfig and removeConfig are the host's hooks into its store; a host
// in memory has nothing to write.
func (h *Host) saveConfig(d *dom) error {
	if h.store == nil {
		return nil
	}
	return h.store.writeConfig(d)
}

func (h *Host) removeConfig(d *dom) error {
	if h.store == nil || d.persist == nil {
		return nil
	}
	return h.store.removeConfig(d.configDir())
}
