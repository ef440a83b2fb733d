package fake

import (
	"bytes"
	"errors"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/cespare/xxhash/v2"
	"golang.org/x/sys/unix"

	"xvirsh/backend"
	"xvirsh/backend/internal/hugeheap"
	"xvirsh/sexpr"
)

// A host in a directory of 10,000 domains is 10,000 config.sxp files and
// a runtime.sxp holding every running domain's config: megabytes to read
// and parse, where `list` needs a dozen fields of each. So the directory
// also has an index: per domain the fields a listing reads (the config
// cut as backend.Brief cuts a record) and its running state, and per
// broken record what is wrong with it.
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
//
// The file is lines of tab-separated fields, not S-expressions: at 10,000
// domains parsing the index into trees and walking them was most of what
// a listing cost. Its layout (every field escaped by appendEsc):
//
//	xvirsh-host-index VERSION DIR RUNTIME-KEY(4) DOMAINS-KEY(4) NEXT-DOMID NDOMS NBROKEN
//	d NAME UUID DIR KEY(4) PERSIST LIVE DOMID PAUSED PRESERVED STARTED-NS RUN-SINCE-NS CPU-BASE
//	b DIR PROBLEM KEY(4)
//	end SUM
//
// one d line per domain in the host's order (Domain-0 first), one b line
// per broken record. DIR of a d line is empty when the directory is named
// by the canonical UUID; KEY is config.sxp's stat key (zeros when the
// domain has no definition). PERSIST and LIVE are the brief configs
// (appendBrief), empty when there is none, LIVE "=" when it is PERSIST;
// the fields after LIVE are empty for a halted domain. SUM is the xxHash64
// of everything before the end line (16 hex digits), so that a file cut
// short or garbled anywhere is rebuilt rather than believed. (Version 5 had
// a CRC-32C there; hash/crc32's init built a table in every command, and
// xxhash has no init.)
func (s *store) indexPath() string {
	s.indexOnce.Do(func() {
		cache, err := os.UserCacheDir()
		if err != nil {
			return
		}
		f := fnv.New64a()
		f.Write([]byte(s.dir))
		base := filepath.Join(cache, "xvirsh", "hosts", strconv.FormatUint(f.Sum64(), 16))
		s.index, s.oldIndex = base+".index", base+".sxp"
	})
	return s.index
}

const (
	indexMagic   = "xvirsh-host-index"
	indexVersion = "6"
)

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
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return statKey{}
	}
	return statKey{ino: int64(st.Ino), size: st.Size, nlink: int64(st.Nlink), mtime: st.Mtim.Nano()}
}

// openDomains opens the domains/ directory for keyAt, or returns -1.
func (s *store) openDomains() int {
	fd, err := unix.Open(filepath.Join(s.dir, domainsDir), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1
	}
	return fd
}

func closeFd(fd int) {
	if fd >= 0 {
		unix.Close(fd)
	}
}

// keyAt is the key of domains/DIR/config.sxp, the file itself and not
// what a symlink points to; zero when there is none. It is looked up
// relative to fd, an open domains/ directory: the kernel resolves two
// names per domain instead of the host's whole path. The path is put
// together in *buf, which a caller stat'ing thousands reuses.
func keyAt(fd int, dir string, buf *[]byte) statKey {
	var st unix.Stat_t
	if fd < 0 {
		return statKey{}
	}
	if buf == nil {
		buf = new([]byte)
	}
	*buf = append(append(append((*buf)[:0], dir...), '/'), configFile...)
	// Fstatat copies the path before it returns.
	if unix.Fstatat(fd, unsafe.String(unsafe.SliceData(*buf), len(*buf)), &st, unix.AT_SYMLINK_NOFOLLOW) != nil {
		return statKey{}
	}
	return statKey{ino: int64(st.Ino), size: st.Size, nlink: int64(st.Nlink), mtime: st.Mtim.Nano()}
}

func (s *store) stamp() dirStamp {
	return dirStamp{
		runtime: statOf(s.runtimePath),
		domains: statOf(s.domainsPath),
		index:   statOf(s.indexPath()),
	}
}

// appendBrief appends cfg cut to what a listing and Node read, as
// space-separated items: KEY=VALUE, KEY* for d's own name or UUID, KEY
// alone for a key without an atom value, and image for an HVM image. Only
// the first item of each brief key is kept, with only its first value:
// scalar lookups and backend.Brief read no more. So is the first image
// only, the one the record carries.
func appendBrief(b []byte, d *dom, cfg *sexpr.Node) []byte {
	var seen [16]string
	nseen, start := 0, len(b)
	var image *sexpr.Node
	sep := func() {
		if len(b) > start {
			b = append(b, ' ')
		}
	}
	for _, k := range cfg.Args() {
		key := k.Head()
		if key == "image" {
			if image == nil {
				image = k
			}
			continue
		}
		if !backend.IsBriefKey(key) || contains(seen[:nseen], key) {
			continue
		}
		if nseen < len(seen) {
			seen[nseen] = key
			nseen++
		}
		sep()
		b = append(b, key...)
		if len(k.Kids) < 2 || k.Kids[1].IsList() {
			continue
		}
		switch v := k.Kids[1].Value; {
		case key == "name" && v == d.name, key == "uuid" && v == d.uuid:
			b = append(b, '*')
		default:
			b = append(b, '=')
			b = appendEsc(b, v)
		}
	}
	if image != nil && image.HasContent("hvm") {
		sep()
		b = append(b, "image"...)
	}
	return b
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// appendEsc appends v with each byte that could end a field, a line or a
// config item (a control byte, a space), and the backslash itself, written
// as \xHH: a name or a problem may hold any byte.
func appendEsc(b []byte, v string) []byte {
	const hex = "0123456789abcdef"
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c <= ' ' || c == 0x7f || c == '\\' {
			b = append(b, '\\', 'x', hex[c>>4], hex[c&15])
		} else {
			b = append(b, c)
		}
	}
	return b
}

// unesc undoes appendEsc; a field without escapes is returned as it is,
// sharing the index's text.
func unesc(v string) (string, bool) {
	i := strings.IndexByte(v, '\\')
	if i < 0 {
		return v, true
	}
	out := make([]byte, 0, len(v))
	for i >= 0 {
		out = append(out, v[:i]...)
		if i+4 > len(v) || v[i+1] != 'x' {
			return "", false
		}
		hi, lo := unhex(v[i+2]), unhex(v[i+3])
		if hi < 0 || lo < 0 {
			return "", false
		}
		out = append(out, byte(hi<<4|lo))
		v = v[i+4:]
		i = strings.IndexByte(v, '\\')
	}
	return string(append(out, v...)), true
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	}
	return -1
}

func appendField(b []byte, v string) []byte {
	return appendEsc(append(b, '\t'), v)
}

func appendInt(b []byte, v int64) []byte {
	return strconv.AppendInt(append(b, '\t'), v, 10)
}

func appendKey(b []byte, k statKey) []byte {
	for _, v := range [4]int64{k.ino, k.size, k.nlink, k.mtime} {
		b = appendInt(b, v)
	}
	return b
}

// saveIndex writes the index of what h holds, read whole from the
// directory (or just changed in it) under the lock. It is written without
// fsync: losing it costs one rebuild, nothing else. A directory that
// cannot be written (read-only) simply goes without.
func (s *store) saveIndex(h *Host) {
	path := s.indexPath()
	if path == "" {
		return
	}
	st := s.stamp()
	fd := s.openDomains()
	defer closeFd(fd)
	var brokens []broken
	for _, b := range h.broken {
		if _, err := os.Lstat(filepath.Join(s.dir, domainsDir, b.dir)); err == nil {
			brokens = append(brokens, b) // else undefined since it was read
		}
	}
	b := make([]byte, 0, 4096+256*len(h.doms))
	b = append(b, indexMagic...)
	b = appendField(b, indexVersion)
	b = appendField(b, s.dir)
	b = appendKey(b, st.runtime)
	b = appendKey(b, st.domains)
	b = appendInt(b, int64(h.nextID))
	b = appendInt(b, int64(len(h.doms)))
	b = appendInt(b, int64(len(brokens)))
	b = append(b, '\n')
	var live, rel []byte
	for _, d := range h.doms {
		b = append(b, 'd')
		b = appendField(b, d.name)
		b = appendField(b, d.uuid)
		b = appendField(b, d.dir)
		var key statKey
		if d.persist != nil {
			key = keyAt(fd, d.configDir(), &rel)
		}
		b = appendKey(b, key)
		b = append(b, '\t')
		start := len(b)
		if d.persist != nil {
			b = appendBrief(b, d, d.persist)
		}
		persist := b[start:]
		b = append(b, '\t')
		if !d.running() {
			b = append(b, "\t\t\t\t\t\t\n"...)
			continue
		}
		// Most running domains run their definition: said once.
		live = appendBrief(live[:0], d, d.live)
		if d.persist != nil && bytes.Equal(live, persist) {
			b = append(b, '=')
		} else {
			b = append(b, live...)
		}
		b = appendInt(b, int64(d.domid))
		b = appendField(b, flag(d.paused))
		b = appendField(b, flag(d.preserved))
		b = appendField(b, nsString(d.started))
		b = appendField(b, nsString(d.runSince))
		b = append(b, '\t')
		b = strconv.AppendFloat(b, d.cpuBase, 'g', -1, 64)
		b = append(b, '\n')
	}
	for _, br := range brokens {
		b = append(b, 'b')
		b = appendField(b, br.dir)
		b = appendField(b, br.problem)
		b = appendKey(b, keyAt(fd, br.dir, &rel))
		b = append(b, '\n')
	}
	sum := xxhash.Sum64(b)
	b = append(b, "end\t"...)
	b = appendHex16(b, sum)
	b = append(b, '\n')

	os.MkdirAll(filepath.Dir(path), 0o700)
	f, err := os.CreateTemp(filepath.Dir(path), ".index.tmp*")
	if err != nil {
		return
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return
	}
	// The index of a version before 5 is never read again.
	os.Remove(s.oldIndex)
}

// heapPerIndexByte is about how much heap a command builds for each byte
// of the index it reads: a 10,000-domain list --all of test:///DIR
// allocates 12.3 MB for an index of 1.6 MB.
const heapPerIndexByte = 7

var errStaleIndex = errors.New("index is missing, stale or unreadable")

// loadIndex fills h with the brief state the index holds, when the index
// was built from the directory as it is now (st); h is left alone
// otherwise.
func (s *store) loadIndex(h *Host, st dirStamp) error {
	if st.index == (statKey{}) {
		return errStaleIndex
	}
	// The index's text, what it holds and the listing built from it stay
	// live until the command ends.
	hugeheap.Expect(st.index.size * heapPerIndexByte)
	data, err := readFile(s.indexPath(), st.index.size)
	if err != nil || len(data) == 0 {
		return errStaleIndex
	}
	// The text is never changed: what the index holds shares it.
	text := unsafe.String(unsafe.SliceData(data), len(data))
	body, ok := checkedBody(text)
	if !ok {
		return errStaleIndex
	}
	nl := strings.IndexByte(body, '\n')
	var head [14]string
	if nl < 0 || !splitFields(body[:nl], head[:]) || head[0] != indexMagic || head[1] != indexVersion {
		return errStaleIndex
	}
	body = body[nl+1:]
	var n [11]int64
	for i := range n {
		if n[i], err = strconv.ParseInt(head[3+i], 10, 64); err != nil {
			return errStaleIndex
		}
	}
	next, ndoms, nbroken := n[8], n[9], n[10]
	if dir, ok := unesc(head[2]); !ok || dir != s.dir ||
		(statKey{n[0], n[1], n[2], n[3]}) != st.runtime || (statKey{n[4], n[5], n[6], n[7]}) != st.domains ||
		next < 1 || next > 1<<31 || ndoms < 1 || nbroken < 0 || int64(strings.Count(body, "\n")) != ndoms+nbroken {
		return errStaleIndex
	}
	fd := s.openDomains()
	if fd < 0 {
		return errStaleIndex
	}
	defer closeFd(fd)

	// Two halves, read at once: most of the time is a stat per domain.
	var stale atomic.Bool
	shared := newIndexAtoms()
	root := filepath.Join(s.dir, domainsDir)
	halves := [2]indexHalf{{text: body, root: root, fd: fd, stale: &stale, atoms: shared}}
	if len(body) > 64<<10 {
		cut := len(body) / 2
		cut += strings.IndexByte(body[cut:], '\n') + 1
		halves[0].text, halves[1] = body[:cut], indexHalf{text: body[cut:], root: root, fd: fd, stale: &stale, atoms: shared}
		var wg sync.WaitGroup
		wg.Go(halves[1].read)
		halves[0].read()
		wg.Wait()
	} else {
		halves[0].read()
	}
	if stale.Load() || int64(len(halves[0].doms)+len(halves[1].doms)) != ndoms {
		return errStaleIndex
	}
	doms := append(halves[0].doms, halves[1].doms...)
	if !doms[0].dom0 {
		return errStaleIndex
	}
	h.setDoms(doms)
	h.broken, h.nextID = append(halves[0].broken, halves[1].broken...), int(next)
	return nil
}

// checkedBody is the index's text before its end line, when the checksum
// there says it is what was written.
func checkedBody(text string) (string, bool) {
	if !strings.HasSuffix(text, "\n") {
		return "", false
	}
	i := strings.LastIndexByte(text[:len(text)-1], '\n') + 1
	sum, ok := strings.CutPrefix(text[i:len(text)-1], "end\t")
	if !ok || len(sum) != 16 {
		return "", false
	}
	want, err := strconv.ParseUint(sum, 16, 64)
	if err != nil || want != xxhash.Sum64String(text[:i]) {
		return "", false
	}
	return text[:i], true
}

// appendHex16 appends v as 16 lower-case hex digits.
func appendHex16(b []byte, v uint64) []byte {
	const digits = "0123456789abcdef"
	for shift := 60; shift >= 0; shift -= 4 {
		b = append(b, digits[v>>uint(shift)&0xf])
	}
	return b
}

// splitFields splits a line into exactly len(f) tab-separated fields.
func splitFields(line string, f []string) bool {
	last := len(f) - 1
	for i := range last {
		j := strings.IndexByte(line, '\t')
		if j < 0 {
			return false
		}
		f[i], line = line[:j], line[j+1:]
	}
	f[last] = line
	return strings.IndexByte(line, '\t') < 0
}

// indexAtoms are the atoms every brief config read from one index shares:
// nobody changes the configs of a host read from its index (see doLight).
type indexAtoms struct {
	vm    *sexpr.Node
	image *sexpr.Node // backend.BriefImage()
}

func newIndexAtoms() *indexAtoms {
	return &indexAtoms{vm: sexpr.Atom("vm"), image: backend.BriefImage()}
}

// indexHalf reads a run of the index's lines into domains and broken
// records. What it builds comes from a backend.BriefBuilder's slabs, a
// few allocations for thousands of domains, and equal items of different
// domains' configs, such as (memory 256), are one node.
type indexHalf struct {
	text  string
	root  string // the domains/ directory
	fd    int    // open on root
	stale *atomic.Bool
	atoms *indexAtoms
	path  []byte // keyAt's

	doms   []*dom
	broken []broken

	slab []dom
	*backend.BriefBuilder
}

func (r *indexHalf) read() {
	lines := strings.Count(r.text, "\n")
	r.BriefBuilder = backend.NewBriefBuilder(lines)
	r.slab = make([]dom, lines)
	r.doms = make([]*dom, 0, lines)
	var f [15]string
	for text := r.text; text != ""; {
		if r.stale.Load() {
			return
		}
		nl := strings.IndexByte(text, '\n')
		line := text[:nl]
		text = text[nl+1:]
		ok := false
		switch {
		case strings.HasPrefix(line, "d\t"):
			ok = splitFields(line[2:], f[:]) && r.dom(f[:])
		case strings.HasPrefix(line, "b\t"):
			ok = splitFields(line[2:], f[:6]) && r.brokenRecord(f[:6])
		}
		if !ok {
			r.stale.Store(true)
			return
		}
	}
}

// dom reads the fields of a d line.
func (r *indexHalf) dom(f []string) bool {
	d := &r.slab[len(r.doms)]
	d.domid = -1
	var ok bool
	if d.name, ok = unesc(f[0]); !ok || d.name == "" {
		return false
	}
	if d.uuid, ok = unesc(f[1]); !ok || d.uuid == "" {
		return false
	}
	if d.dir, ok = unesc(f[2]); !ok {
		return false
	}
	if f[7] != "" {
		if d.persist = r.config(f[7], d); d.persist == nil {
			return false
		}
		k, ok := parseKey(f[3:7])
		if !ok || k != keyAt(r.fd, d.configDir(), &r.path) {
			return false
		}
	}
	if live := f[8]; live != "" {
		if live == "=" {
			d.live = d.persist
		} else {
			d.live = r.config(live, d)
		}
		id, err := strconv.Atoi(f[9])
		if err != nil || id < 0 || d.live == nil {
			return false
		}
		d.domid, d.dom0 = id, id == 0
		d.paused, d.preserved = f[10] == "1", f[11] == "1"
		d.started, d.runSince = nsTime(f[12]), nsTime(f[13])
		d.cpuBase, _ = strconv.ParseFloat(f[14], 64)
	}
	if d.config() == nil {
		return false
	}
	r.doms = append(r.doms, d)
	return true
}

// brokenRecord reads the fields of a b line.
func (r *indexHalf) brokenRecord(f []string) bool {
	dir, ok := unesc(f[0])
	if !ok {
		return false
	}
	u, ok := canonicalUUID(dir)
	if !ok {
		return false
	}
	problem, ok := unesc(f[1])
	if !ok {
		return false
	}
	if k, ok := parseKey(f[2:6]); !ok || k != keyAt(r.fd, dir, &r.path) {
		return false
	}
	r.broken = append(r.broken, broken{uuid: u, dir: dir, problem: problem, path: filepath.Join(r.root, dir, configFile)})
	return true
}

func parseKey(f []string) (statKey, bool) {
	var v [4]int64
	for i := range v {
		x, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return statKey{}, false
		}
		v[i] = x
	}
	return statKey{v[0], v[1], v[2], v[3]}, true
}

// config builds the (vm …) node of an encoded brief config (appendBrief).
func (r *indexHalf) config(enc string, d *dom) *sexpr.Node {
	kids := r.Kids(strings.Count(enc, " ") + 2)
	kids[0] = r.atoms.vm
	for i := 1; i < len(kids); i++ {
		item := enc
		if j := strings.IndexByte(enc, ' '); j >= 0 {
			item, enc = enc[:j], enc[j+1:]
		}
		if kids[i] = r.item(item, d); kids[i] == nil {
			return nil
		}
	}
	n := r.Node()
	n.Kids = kids
	return n
}

// item builds one item of a brief config; nil for one the index cannot
// hold.
func (r *indexHalf) item(item string, d *dom) *sexpr.Node {
	if item == "image" {
		return r.atoms.image
	}
	k, v, hasValue := strings.Cut(item, "=")
	if own, ok := strings.CutSuffix(k, "*"); ok && !hasValue {
		switch own {
		case "name":
			return r.KV(own, d.name)
		case "uuid":
			return r.KV(own, d.uuid)
		}
		return nil
	}
	switch {
	case !backend.IsBriefKey(k):
		return nil
	case !hasValue:
		return r.Bare(k)
	}
	v, ok := unesc(v)
	if !ok {
		return nil
	}
	return r.KV(k, v)
}

// indexCurrent reports whether the index on disk was built from the
// directory as st finds it, checking every config.sxp.
func (s *store) indexCurrent(st dirStamp) bool {
	var probe Host
	return s.loadIndex(&probe, st) == nil
}
