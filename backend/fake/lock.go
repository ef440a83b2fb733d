package fake

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"xvirsh/backend"
)

// LockWait bounds how long an operation waits for another process's lock
// on a host directory: past it the operation fails, naming the holder.
// The caller's context may end the wait sooner.
var LockWait = 10 * time.Second

// lockNotice is how long a wait goes unreported: a lock held for a
// moment by another xvirsh is normal, one held longer is news.
const lockNotice = 200 * time.Millisecond

// lock takes the directory lock, shared to read, exclusive for a change.
// Each call uses an open description of the lock file of its own (opened
// anew, or one no other operation is using, see lockPool): flock belongs
// to the open file, so two operations of one process (two requests to
// xend-sim) exclude each other exactly as two processes do, and each waits
// on its own. The kernel
// drops the lock when a process dies, so a killed xvirsh never leaves it
// held; one that hangs holding it makes the others wait, and say so on
// stderr ("waiting for DIR/lock, held by pid N"), until LockWait or their
// ctx gives up.
//
// A host on a read-only mount opens the lock read-only (flock needs no
// write access), so it can still be listed and dumped; with no lock file
// at all there is nobody to exclude, and reads go ahead unlocked.
func (s *store) lock(ctx context.Context, write bool) (unlock func(), err error) {
	// A change opens the file anew, so that one on a file system remounted
	// read-only, or a lock file no longer writable, fails as it always did.
	if !write {
		if lf := s.locks.take(s.lockPath); lf != nil {
			return s.flock(ctx, lf, write)
		}
	}
	f, err := os.OpenFile(s.lockPath, os.O_RDWR|os.O_CREATE, 0o644)
	rw := err == nil
	if err != nil && !write && (errors.Is(err, syscall.EROFS) || errors.Is(err, fs.ErrPermission)) {
		f, err = os.Open(s.lockPath)
		if errors.Is(err, fs.ErrNotExist) {
			return func() {}, nil
		}
	}
	switch {
	case write && errors.Is(err, syscall.EROFS):
		return nil, s.wrap(errors.New("it is on a read-only file system: it can be listed and dumped, not changed"))
	case write && errors.Is(err, fs.ErrPermission):
		return nil, s.wrap(errors.New("no permission to change it: it can be listed and dumped, not changed"))
	case err != nil:
		return nil, s.wrap(err)
	}
	lf := &lockDesc{f: f, fd: int(f.Fd())}
	// Only a description open for writing is kept: one opened read-only
	// cannot serve a change, which must fail as it did (opening the lock
	// file for writing) rather than go ahead.
	var st syscall.Stat_t
	if rw && syscall.Fstat(lf.fd, &st) == nil {
		lf.dev, lf.ino, lf.keep = uint64(st.Dev), uint64(st.Ino), true
	}
	return s.flock(ctx, lf, write)
}

// flock takes lf's lock; unlock releases it and gives lf back to the pool
// (or closes it). On failure lf is already given back.
func (s *store) flock(ctx context.Context, lf *lockDesc, write bool) (unlock func(), err error) {
	f, fd := lf.f, lf.fd
	how := syscall.LOCK_SH | syscall.LOCK_NB
	if write {
		how = syscall.LOCK_EX | syscall.LOCK_NB
	}
	start, limit := time.Now(), LockWait
	// The deadline's timer is made at the first refusal: nearly every
	// lock is had at once, and a timer made and stopped for each was a
	// tenth of a request to xend-sim's allocations.
	var giveUp *time.Timer
	defer func() {
		if giveUp != nil {
			giveUp.Stop()
		}
	}()
	told := false
	for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		err = syscall.Flock(fd, how)
		if err == nil {
			break
		}
		if err != syscall.EWOULDBLOCK && err != syscall.EINTR {
			s.locks.drop(lf)
			return nil, s.wrap(fmt.Errorf("lock: %w", err))
		}
		if giveUp == nil {
			giveUp = time.NewTimer(limit - time.Since(start))
		}
		if !told && time.Since(start) >= lockNotice {
			told = true
			backend.Warn(ctx, fmt.Sprintf("waiting for %s, held by %s", s.lockPath, s.holder(f)))
		}
		select {
		case <-ctx.Done():
			holder := s.holder(f)
			s.locks.put(lf)
			return nil, &lockError{msg: fmt.Sprintf("gave up waiting for %s, held by %s", s.lockPath, holder), err: ctx.Err()}
		case <-giveUp.C:
			holder := s.holder(f)
			s.locks.put(lf)
			return nil, &lockError{msg: fmt.Sprintf("%s is still held by %s after %s; giving up (is that process stuck?)",
				s.lockPath, holder, backend.Wait(LockWait)), err: errLockTimeout}
		case <-time.After(wait):
		}
	}
	if write {
		// The holder of a change signs the lock file, so that whoever
		// waits can be told who they wait for even where /proc/locks is
		// not to be had.
		if err := f.Truncate(0); err == nil {
			f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
		}
	}
	return func() {
		if syscall.Flock(fd, syscall.LOCK_UN) != nil {
			s.locks.drop(lf)
			return
		}
		s.locks.put(lf)
	}, nil
}

// lockDesc is one open description of the lock file.
type lockDesc struct {
	f        *os.File
	fd       int
	dev, ino uint64 // what it is open on, to tell a replaced lock file
	keep     bool   // may go back to the pool
}

// lockPool keeps open descriptions of the lock file between operations:
// opening the file anew for each was most of a request's cost to xend-sim
// (os.File's setup, the poller's probe, the close). Each description
// serves one operation at a time, taken out of the pool while in use, so
// two operations still hold two descriptions and exclude each other as
// two processes do. One is used again only while the lock file at the path
// is still the file it is open on: a lock file removed or replaced (a host
// directory deleted and made again) is opened anew, as before.
type lockPool struct {
	mu     sync.Mutex
	idle   []*lockDesc
	closed bool
}

// maxIdleLocks bounds the descriptions kept: as many as operations that
// commonly run at once.
const maxIdleLocks = 8

// take returns an idle description still open on the file at path, or nil.
func (p *lockPool) take(path string) *lockDesc {
	p.mu.Lock()
	if len(p.idle) == 0 {
		p.mu.Unlock()
		return nil
	}
	lf := p.idle[len(p.idle)-1]
	p.idle = p.idle[:len(p.idle)-1]
	p.mu.Unlock()
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil || uint64(st.Dev) != lf.dev || uint64(st.Ino) != lf.ino {
		// Every idle one is open on the same stale file.
		p.closeIdle()
		lf.f.Close()
		return nil
	}
	return lf
}

// put gives back an unlocked description.
func (p *lockPool) put(lf *lockDesc) {
	p.mu.Lock()
	if lf.keep && !p.closed && len(p.idle) < maxIdleLocks {
		p.idle = append(p.idle, lf)
		p.mu.Unlock()
		return
	}
	p.mu.Unlock()
	lf.f.Close()
}

// drop closes a description that is not to be used again.
func (p *lockPool) drop(lf *lockDesc) { lf.f.Close() }

func (p *lockPool) closeIdle() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, lf := range idle {
		lf.f.Close()
	}
}

// close closes the idle descriptions and those given back after it.
func (p *lockPool) close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.closeIdle()
}

var errLockTimeout = errors.New("lock wait timed out")

// lockError is a lock that could not be had; it wraps the context's error
// or errLockTimeout for errors.Is.
type lockError struct {
	msg string
	err error
}

func (e *lockError) Error() string { return e.msg }
func (e *lockError) Unwrap() error { return e.err }

// holder names who holds the lock: the pids the kernel lists in
// /proc/locks for the lock file, else the pid the last writer recorded in
// it, else "another process".
func (s *store) holder(f *os.File) string {
	if pids := flockHolders(f); len(pids) > 0 {
		if len(pids) == 1 {
			return "pid " + pids[0]
		}
		return "pids " + strings.Join(pids, ", ")
	}
	data := make([]byte, 32)
	n, _ := f.ReadAt(data, 0)
	if pid, err := strconv.Atoi(strings.TrimSpace(string(data[:n]))); err == nil && pid > 0 {
		return "pid " + strconv.Itoa(pid)
	}
	return "another process"
}

// flockHolders reads /proc/locks for the granted flocks on f's inode
// (lines such as "1: FLOCK  ADVISORY  WRITE 1234 00:2e:5678 0 EOF";
// waiters are marked "->" and left out).
func flockHolders(f *os.File) []string {
	fi, err := f.Stat()
	if err != nil {
		return nil
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	locks, err := os.Open("/proc/locks")
	if err != nil {
		return nil
	}
	defer locks.Close()
	dev := uint64(st.Dev)
	major := (dev>>8)&0xfff | (dev>>32)&^0xfff
	minor := dev&0xff | (dev>>12)&^0xff
	id := fmt.Sprintf("%02x:%02x:%d", major, minor, st.Ino)
	var pids []string
	sc := bufio.NewScanner(io.LimitReader(locks, 4<<20))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || fields[1] != "FLOCK" || fields[5] != id {
			continue
		}
		pids = append(pids, fields[4])
	}
	return pids
}

// storeOf is the host's directory, if it has one; using a closed host is
// an error.
func (h *Host) storeOf() (*store, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.store != nil && h.store.closed {
		return nil, h.store.wrap(errors.New("host is closed"))
	}
	return h.store, nil
}
