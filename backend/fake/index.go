package fake

import (
	"errors"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"xvirsh/backend"
	"xvirsh/sexpr"
)

// A host in a directory of 10,000 domains is 10,000 config.sxp files and
// a runtime.sxp holding every running domain's config: megabytes to read
// and parse, where `list` needs a dozen fields of each. So the directory
// also keeps DIR/index.sxp: per domain the fields a listing reads (the
// config cut as backend.Brief cuts a record) and its running state, and
// per broken record what is wrong with it.
//
// The index is kept apart from the directory, in the user's cache
// ($XDG_CACHE_HOME/xvirsh/hosts/, one file per host directory): the
// directory stays exactly xend's layout, a host on a read-only mount
// still gets one, and reading a host never changes it. It is read and
// written under the directory's lock, like the directory itself.
//
// The index is a cache, never the truth. Every change made by xvirsh
// rewrites it under the exclusive lock; a reader uses it only when it was
// built from the files that are there now: the runtime.sxp, the domains/
// directory and every config.sxp (inode, size, link count and
// modification time of each are recorded in it; checking them is a stat
// per domain, not a read), and rebuilds it otherwise, or when it does not
// read. So a config.sxp changed by another program, even in place, is
// seen by the next command.
//
// One process also skips reading the directory again while the
// runtime.sxp, the domains/ directory and the index are unchanged, for
// up to recheckAfter: the connect-time probe and the list that follows
// read it once between them. A change made behind xvirsh's back inside
// one domain's directory is seen after that delay. xend-sim holds what it
// read for as long as those three are unchanged (Host.Resident), as xend
// does.
func (s *store) indexPath() string {
	s.indexOnce.Do(func() {
		cache, err := os.UserCacheDir()
		if err != nil {
			return
		}
		f := fnv.New64a()
		f.Write([]byte(s.dir))
		s.index = filepath.Join(cache, "xvirsh", "hosts", strconv.FormatUint(f.Sum64(), 16)+".sxp")
	})
	return s.index
}

const indexVersion = "4"

// recheckAfter bounds how long a process trusts what it read while the
// cheap stamp is unchanged (see above).
const recheckAfter = time.Second

// dirStamp says whether the directory changed since it was read.
type dirStamp struct {
	runtime, domains, index statKey
}

// statKey is what changes when a file is replaced or a directory gains or
// loses an entry; nlink catches a new domain directory within one tick of
// a coarse clock.
type statKey struct {
	ino, size, nlink, mtime int64
}

func statOf(path string) statKey {
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return statKey{}
	}
	return statKey{ino: int64(st.Ino), size: st.Size, nlink: int64(st.Nlink), mtime: st.Mtim.Nano()}
}

func (k statKey) node(head string) *sexpr.Node {
	return sexpr.List(sexpr.Atom(head), atomInt(k.ino), atomInt(k.size), atomInt(k.nlink), atomInt(k.mtime))
}

func keyFrom(n *sexpr.Node) (statKey, bool) {
	if n == nil || len(n.Kids) != 5 {
		return statKey{}, false
	}
	var v [4]int64
	for i := range v {
		x, err := strconv.ParseInt(n.Kids[i+1].Value, 10, 64)
		if err != nil {
			return statKey{}, false
		}
		v[i] = x
	}
	return statKey{v[0], v[1], v[2], v[3]}, true
}

func atomInt(v int64) *sexpr.Node { return sexpr.Atom(strconv.FormatInt(v, 10)) }

// configKey is the key of domains/DIR/config.sxp, the file itself and not
// what a symlink points to; zero when there is none.
func (s *store) configKey(dir string) statKey {
	var st syscall.Stat_t
	if err := syscall.Lstat(filepath.Join(s.dir, domainsDir, dir, configFile), &st); err != nil {
		return statKey{}
	}
	return statKey{ino: int64(st.Ino), size: st.Size, nlink: int64(st.Nlink), mtime: st.Mtim.Nano()}
}

func (s *store) stamp() dirStamp {
	return dirStamp{
		runtime: statOf(filepath.Join(s.dir, runtimeFile)),
		domains: statOf(filepath.Join(s.dir, domainsDir)),
		index:   statOf(s.indexPath()),
	}
}

// briefConfig is cfg cut to what a listing and Node read: the brief
// fields, and the image only as far as it says HVM. Name and UUID are
// kept too: the host reads them from the config.
func briefConfig(cfg *sexpr.Node) *sexpr.Node {
	out := sexpr.List(sexpr.Atom("vm"))
	hvm := false
	for _, k := range cfg.Args() {
		switch key := k.Head(); {
		case key == "image":
			hvm = hvm || k.HasContent("hvm")
		case backend.BriefKeys[key]:
			out.Append(k.Clone())
		}
	}
	if hvm {
		out.Append(backend.BriefImage())
	}
	return out
}

// saveIndex writes the index of what h holds, read whole from the
// directory (or just changed in it) under the lock. It is written without
// fsync: losing it costs one rebuild, nothing else. A directory that
// cannot be written (read-only) simply goes without.
func (s *store) saveIndex(h *Host) {
	st := s.stamp()
	idx := sexpr.List(sexpr.Atom("index"), sexpr.KV("version", indexVersion), sexpr.KV("dir", s.dir),
		st.runtime.node("runtime"), st.domains.node("domains"), kvInt("next_domid", h.nextID))
	for _, d := range h.doms {
		e := sexpr.List(sexpr.Atom("dom"), sexpr.KV("name", d.name), sexpr.KV("uuid", d.uuid))
		if d.dir != "" {
			e.Append(sexpr.KV("dir", d.dir))
		}
		var persist *sexpr.Node
		if d.persist != nil {
			persist = briefConfig(d.persist)
			e.Append(sexpr.List(sexpr.Atom("persist"), persist), s.configKey(d.configDir()).node("key"))
		}
		if d.running() {
			// Most running domains run their definition: said once.
			live := briefConfig(d.live)
			if persist != nil && sexpr.Equal(live, persist) {
				live = sexpr.List(sexpr.Atom("same"))
			}
			e.Append(sexpr.List(sexpr.Atom("live"), live),
				kvInt("domid", d.domid),
				sexpr.KV("paused", flag(d.paused)),
				sexpr.KV("preserved", flag(d.preserved)),
				sexpr.KV("started_ns", nsString(d.started)),
				sexpr.KV("run_since_ns", nsString(d.runSince)),
				sexpr.KV("cpu_base", strconv.FormatFloat(d.cpuBase, 'g', -1, 64)))
		}
		idx.Append(e)
	}
	for _, b := range h.broken {
		if _, err := os.Lstat(filepath.Join(s.dir, domainsDir, b.dir)); err != nil {
			continue // undefined since it was read
		}
		idx.Append(sexpr.List(sexpr.Atom("broken"), sexpr.KV("uuid", b.uuid), sexpr.KV("dir", b.dir),
			sexpr.KV("path", b.path), sexpr.KV("problem", b.problem), s.configKey(b.dir).node("key")))
	}
	path := s.indexPath()
	if path == "" {
		return
	}
	os.MkdirAll(filepath.Dir(path), 0o700)
	f, err := os.CreateTemp(filepath.Dir(path), ".index.tmp*")
	if err != nil {
		return
	}
	_, err = f.WriteString(idx.String() + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
}

var errStaleIndex = errors.New("index is missing, stale or unreadable")

// loadIndex fills h with the brief state the index holds, when the index
// was built from the directory as it is now (st); h is left alone
// otherwise.
func (s *store) loadIndex(h *Host, st dirStamp) error {
	if st.index == (statKey{}) {
		return errStaleIndex
	}
	data, err := os.ReadFile(s.indexPath())
	if err != nil {
		return errStaleIndex
	}
	idx, err := sexpr.Parse(data)
	if err != nil || idx.Head() != "index" || idx.Get("version") != indexVersion || idx.Get("dir") != s.dir {
		return errStaleIndex
	}
	if rt, ok := keyFrom(idx.Child("runtime")); !ok || rt != st.runtime {
		return errStaleIndex
	}
	if dk, ok := keyFrom(idx.Child("domains")); !ok || dk != st.domains {
		return errStaleIndex
	}
	next, err := strconv.Atoi(idx.Get("next_domid"))
	if err != nil || next < 1 {
		return errStaleIndex
	}
	var doms []*dom
	var brokens []broken
	for _, e := range idx.Args() {
		switch e.Head() {
		case "dom":
			d := &dom{name: e.Get("name"), uuid: e.Get("uuid"), dir: e.Get("dir"), domid: -1}
			if p := e.Child("persist"); p != nil && len(p.Kids) == 2 {
				d.persist = p.Kids[1]
				if k, ok := keyFrom(e.Child("key")); !ok || k != s.configKey(d.configDir()) {
					return errStaleIndex
				}
			}
			if l := e.Child("live"); l != nil && len(l.Kids) == 2 {
				d.live = l.Kids[1]
				if d.live.Head() == "same" {
					if d.persist == nil {
						return errStaleIndex
					}
					d.live = d.persist
				}
				id, err := strconv.Atoi(e.Get("domid"))
				if err != nil || id < 0 {
					return errStaleIndex
				}
				d.domid, d.dom0 = id, id == 0
				d.paused, d.preserved = e.Get("paused") == "1", e.Get("preserved") == "1"
				d.started, d.runSince = nsTime(e.Get("started_ns")), nsTime(e.Get("run_since_ns"))
				d.cpuBase, _ = strconv.ParseFloat(e.Get("cpu_base"), 64)
			}
			if d.name == "" || d.uuid == "" || d.config() == nil {
				return errStaleIndex
			}
			doms = append(doms, d)
		case "broken":
			b := broken{uuid: e.Get("uuid"), dir: e.Get("dir"), path: e.Get("path"), problem: e.Get("problem")}
			if k, ok := keyFrom(e.Child("key")); !ok || k != s.configKey(b.dir) {
				return errStaleIndex
			}
			brokens = append(brokens, b)
		}
	}
	if len(doms) == 0 || !doms[0].dom0 {
		return errStaleIndex
	}
	h.doms, h.broken, h.nextID = doms, brokens, next
	return nil
}

// indexCurrent reports whether the index on disk was built from the
// directory as st finds it, checking every config.sxp.
func (s *store) indexCurrent(st dirStamp) bool {
	var probe Host
	return s.loadIndex(&probe, st) == nil
}
