package fake

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"xvirsh/backend"
)

func dump(t testing.TB, h *Host) []string {
	t.Helper()
	recs, err := allRecords(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs {
		out = append(out, r.String())
	}
	return out
}

func TestPersistenceAcrossHosts(t *testing.T) {
	dir := t.TempDir()
	h1, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h1.Close()
	names, _ := h1.DomainNames(ctx, "all")
	if want := []string{"Domain-0", "fc8", "rhel5", "winxp"}; !slices.Equal(names, want) {
		t.Fatalf("a new directory starts as the demo host, got %v", names)
	}
	if err := h1.Create(ctx, mustParse(t, pvConfig("web", ""))); err != nil {
		t.Fatal(err)
	}
	const u = "0f0f0f0f-1111-2222-3333-444444444444"
	if err := h1.New(ctx, mustParse(t, pvConfig("db", u))); err != nil {
		t.Fatal(err)
	}
	mustOp(t, h1, "fc8", "pause")
	mustOp(t, h1, "winxp", "mem_target_set", "target", "384")
	if _, err := os.Stat(filepath.Join(dir, "domains", u, "config.sxp")); err != nil {
		t.Errorf("define must write xend's layout: %v", err)
	}

	// A second process (here: a second Host) sees exactly the same host,
	// down to the CPU times once both clocks read the same.
	h2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h2.Close()
	now := time.Now()
	h1.SetClock(func() time.Time { return now })
	h2.SetClock(func() time.Time { return now })
	if a, b := dump(t, h1), dump(t, h2); !slices.Equal(a, b) {
		t.Fatalf("reopened host differs:\n%s\n---\n%s", strings.Join(a, "\n"), strings.Join(b, "\n"))
	}

	// Changes made through either are seen by the other.
	mustOp(t, h2, "web", "destroy")
	mustOp(t, h2, "db", "start")
	if got := record(t, h1, "db").Get("domid"); got != "4" {
		t.Errorf("h1 sees db started by h2 with domid %q, want 4", got)
	}
	if _, err := h1.Domain(ctx, "web"); err == nil {
		t.Error("h1 still sees web, destroyed by h2")
	}
	mustOp(t, h1, "db", "destroy")
	mustOp(t, h1, "db", "delete")
	if _, err := os.Stat(filepath.Join(dir, "domains", u)); !os.IsNotExist(err) {
		t.Errorf("undefine must remove domains/%s: %v", u, err)
	}
	if _, err := h2.Domain(ctx, "db"); err == nil {
		t.Error("h2 still sees db, undefined by h1")
	}
	// Domids are not reused across processes either.
	if err := h2.Create(ctx, mustParse(t, pvConfig("web2", ""))); err != nil {
		t.Fatal(err)
	}
	if got := record(t, h1, "web2").Get("domid"); got != "5" {
		t.Errorf("next domid = %s, want 5", got)
	}
}

func TestOpenSweepsInterruptedWrites(t *testing.T) {
	dir := t.TempDir()
	h, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	h.Close()
	domains := filepath.Join(dir, "domains")
	half := filepath.Join(domains, "0f0f0f0f-1111-2222-3333-444444444444")
	rhel5 := filepath.Join(domains, "8b1e7f3a-2c5d-4e9f-a1b2-c3d4e5f60718")
	for _, p := range []string{half, filepath.Join(domains, ".deleted-x-1")} {
		if err := os.Mkdir(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{filepath.Join(half, ".config.sxp.tmp1"), filepath.Join(rhel5, ".config.sxp.tmp2"), filepath.Join(dir, ".runtime.sxp.tmp3")} {
		if err := os.WriteFile(p, []byte("(domain (name half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	names, _ := h.DomainNames(ctx, "all")
	if want := []string{"Domain-0", "fc8", "rhel5", "winxp"}; !slices.Equal(names, want) {
		t.Errorf("names = %v", names)
	}
	mustOp(t, h, "rhel5", "start") // any change sweeps
	left, _ := filepath.Glob(filepath.Join(dir, "*", ".*"))
	more, _ := filepath.Glob(filepath.Join(domains, "*", ".*"))
	if _, err := os.Stat(half); !os.IsNotExist(err) || len(left)+len(more) > 0 {
		t.Errorf("leftovers not swept: half dir %v, %v %v", err, left, more)
	}
}

// A corrupt runtime.sxp, unlike one domain's record, is the whole host's
// state: what runs is unknown, so every operation fails, naming the file.
// (A bad config.sxp costs its own domain only: broken_test.go.)
func TestCorruptRuntimeIsAClearError(t *testing.T) {
	dir := t.TempDir()
	h, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	bad := filepath.Join(dir, "runtime.sxp")
	if err := os.WriteFile(bad, []byte("(domain (name rhel5"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = h.DomainNames(ctx, "all")
	wantErr(t, err, nil, bad)
}

func TestOpenRefusesOtherDirectories(t *testing.T) {
	if _, err := Open("relative/dir"); err == nil || !strings.Contains(err.Error(), "absolute") {
		t.Errorf("Open(relative) = %v", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir)
	if err == nil || !strings.Contains(err.Error(), "neither empty nor a fake host") {
		t.Errorf("Open(a directory of other files) = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "domains")); !os.IsNotExist(err) {
		t.Error("Open wrote into a directory it refused")
	}
	// A copy of xend's own directory is taken as it is, without the demo.
	xendDir := t.TempDir()
	const u = "0f0f0f0f-1111-2222-3333-444444444444"
	os.MkdirAll(filepath.Join(xendDir, "domains", u), 0o755)
	os.WriteFile(filepath.Join(xendDir, "domains", u, "config.sxp"), []byte(pvConfig("db", u)), 0o644)
	h, err := Open(xendDir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if names, _ := h.DomainNames(ctx, "all"); !slices.Equal(names, []string{"Domain-0", "db"}) {
		t.Errorf("xend's directory loads as %v, want Domain-0 and db", names)
	}
}

// TestHelperProcess is the child of the multi-process tests: it defines
// domains in $XVIRSH_FAKE_BURST_DIR (up to $XVIRSH_FAKE_BURST_COUNT, else
// until killed), printing each UUID once the call has returned. With
// $XVIRSH_FAKE_BURST_MIX set, every other domain is created (running)
// instead, which rewrites runtime.sxp.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv("XVIRSH_FAKE_BURST_DIR")
	if dir == "" {
		t.Skip("only runs as the child of the multi-process tests")
	}
	count, err := strconv.Atoi(os.Getenv("XVIRSH_FAKE_BURST_COUNT"))
	if err != nil {
		count = 100000
	}
	mix := os.Getenv("XVIRSH_FAKE_BURST_MIX") != ""
	h, err := Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for i := 0; i < count; i++ {
		u := backend.NewUUID()
		cfg := mustParse(t, pvConfig("burst-"+u[:8], u))
		if mix && i%2 == 1 {
			err = h.Create(ctx, cfg)
		} else {
			err = h.New(ctx, cfg)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		fmt.Println(u) // os.Stdout is unbuffered: the line is in the pipe once this returns
	}
	os.Exit(0)
}

// child starts the test binary as TestHelperProcess on dir.
func child(t *testing.T, dir string, env ...string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(append(os.Environ(), "XVIRSH_FAKE_BURST_DIR="+dir), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewScanner(out)
}

// uuidsIn opens dir afresh and returns the UUIDs of all its domains.
func uuidsIn(t *testing.T, dir string) map[string]bool {
	t.Helper()
	h, err := Open(dir)
	if err != nil {
		t.Fatalf("directory does not load: %v", err)
	}
	defer h.Close()
	recs, err := allRecords(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, r := range recs {
		have[r.Get("uuid")] = true
	}
	return have
}

// Two processes changing one directory at once lose nothing: the lock
// serialises them and each reloads what the other wrote.
func TestTwoProcessesShareADirectory(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	dir := t.TempDir()
	const each = 16
	var printed []string
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		cmd, sc := child(t, dir, "XVIRSH_FAKE_BURST_COUNT="+strconv.Itoa(each), "XVIRSH_FAKE_BURST_MIX=1")
		wg.Add(1)
		go func() {
			defer wg.Done()
			for sc.Scan() {
				mu.Lock()
				printed = append(printed, sc.Text())
				mu.Unlock()
			}
			if err := cmd.Wait(); err != nil {
				t.Errorf("child: %v", err)
			}
		}()
	}
	wg.Wait()
	if len(printed) != 2*each {
		t.Fatalf("children reported %d domains, want %d", len(printed), 2*each)
	}
	have := uuidsIn(t, dir)
	for _, u := range printed {
		if !have[u] {
			t.Errorf("domain %s made by one process was lost", u)
		}
	}
	if len(have) != 4+2*each {
		t.Errorf("%d domains in the directory, want %d", len(have), 4+2*each)
	}
}

func TestLockWaitGivesUpWithTheContext(t *testing.T) {
	dir := t.TempDir()
	h, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	other := holdLock(t, dir, syscall.LOCK_EX)
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, err = h.Domains(short)
	want := fmt.Sprintf("gave up waiting for %s/lock, held by pid %d", dir, os.Getpid())
	if !errors.Is(err, context.DeadlineExceeded) || err == nil || err.Error() != want {
		t.Errorf("Domains while another process holds the lock: %v, want %q", err, want)
	}
	syscall.Flock(int(other.Fd()), syscall.LOCK_UN)
	if _, err := h.Domains(ctx); err != nil {
		t.Errorf("after the lock is released: %v", err)
	}
}

// holdLock takes the directory's lock as another process would: through
// its own open file.
func holdLock(t *testing.T, dir string, how int) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "lock"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		t.Fatal(err)
	}
	return f
}

// Waiting for another process's lock is bounded by LockWait, says so while
// it lasts, and names the holder.
func TestLockWaitIsBoundedAndSaysSo(t *testing.T) {
	old := LockWait
	LockWait = 400 * time.Millisecond
	defer func() { LockWait = old }()
	dir := t.TempDir()
	h, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	holdLock(t, dir, syscall.LOCK_EX)
	var mu sync.Mutex
	var warnings []string
	wctx := backend.WithWarnings(ctx, func(m string) { mu.Lock(); warnings = append(warnings, m); mu.Unlock() })
	err = h.Op(wctx, "fc8", "pause", nil)
	pid := os.Getpid()
	want := fmt.Sprintf("%s/lock is still held by pid %d after 400 ms; giving up (is that process stuck?)", dir, pid)
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
	mu.Lock()
	defer mu.Unlock()
	if w := fmt.Sprintf("waiting for %s/lock, held by pid %d", dir, pid); len(warnings) != 1 || warnings[0] != w {
		t.Errorf("warnings = %q, want [%q]", warnings, w)
	}
}

// A host served to clients names no path of its own in what it answers,
// a lock it cannot get included.
func TestHiddenPathsStayHidden(t *testing.T) {
	old := LockWait
	LockWait = 100 * time.Millisecond
	defer func() { LockWait = old }()
	dir := t.TempDir()
	h, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	h.HidePaths()
	holdLock(t, dir, syscall.LOCK_EX)
	err = h.Op(ctx, "fc8", "pause", nil)
	want := fmt.Sprintf("lock is still held by pid %d after 100 ms; giving up (is that process stuck?)", os.Getpid())
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

// In one process (xend-sim), a request waiting for the lock holds up no
// other: with another process reading, a change waits while reads go on;
// with another process changing, each waiting request gives up at its own
// deadline.
func TestLockWaitersDoNotHoldEachOther(t *testing.T) {
	dir := t.TempDir()
	h, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	reader := holdLock(t, dir, syscall.LOCK_SH)

	writeDone := make(chan error, 1)
	go func() { writeDone <- h.Op(ctx, "fc8", "pause", nil) }()
	time.Sleep(100 * time.Millisecond) // let the change start waiting
	for i := 0; i < 3; i++ {
		readCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
		if _, err := h.Domain(readCtx, "fc8"); err != nil {
			t.Errorf("a read while a change waits: %v", err)
		}
		cancel()
	}
	select {
	case err := <-writeDone:
		t.Fatalf("the change did not wait for the other process: %v", err)
	default:
	}
	syscall.Flock(int(reader.Fd()), syscall.LOCK_UN)
	if err := <-writeDone; err != nil {
		t.Fatalf("the change, once the lock is free: %v", err)
	}

	holdLock(t, dir, syscall.LOCK_EX)
	long, cancelLong := context.WithCancel(ctx)
	defer cancelLong()
	longDone := make(chan error, 1)
	go func() { longDone <- h.Op(long, "fc8", "unpause", nil) }()
	time.Sleep(50 * time.Millisecond)
	// The other process has begun its change: what the host holds is
	// no longer current, so the read must wait for the lock.
	changeBehind(t, dir)
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if _, err := h.Domain(short, "fc8"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a read behind a waiting change: %v, want its own deadline", err)
	}
	cancelLong()
	if err := <-longDone; !errors.Is(err, context.Canceled) {
		t.Errorf("the waiting change: %v, want canceled", err)
	}
}

func TestDefinesSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	dir := t.TempDir()
	cmd, sc := child(t, dir)
	var printed []string
	for sc.Scan() {
		printed = append(printed, sc.Text())
		if len(printed) == 40 {
			cmd.Process.Signal(syscall.SIGKILL) // mid-burst: the child is defining the next one
		}
	}
	err := cmd.Wait()
	if len(printed) < 40 {
		t.Fatalf("child stopped after %d defines: %v", len(printed), err)
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child was not killed by SIGKILL: %v", err)
	}
	have := uuidsIn(t, dir)
	for _, u := range printed {
		if !have[u] {
			t.Errorf("define of %s returned success but the domain is lost", u)
		}
	}
	t.Logf("%d defines returned before the kill landed; %d domains on disk", len(printed), len(have)-4)
}

// Many clients at once, as the simulator serves them: every domain gets
// its own domid and nothing is lost or duplicated.
func TestConcurrentClients(t *testing.T) {
	h := NewDefault()
	const workers, rounds = 12, 25
	var mu sync.Mutex
	seen := map[string]string{}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				name := fmt.Sprintf("w%d-%d", w, i)
				if err := h.Create(ctx, mustParse(t, pvConfig(name, ""))); err != nil {
					t.Error(err)
					return
				}
				rec, err := h.Domain(ctx, name)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if other, dup := seen[rec.Get("domid")]; dup {
					t.Errorf("domid %s given to both %s and %s", rec.Get("domid"), other, name)
				}
				seen[rec.Get("domid")] = name
				mu.Unlock()
				if _, err := h.Domains(ctx); err != nil {
					t.Error(err)
				}
				if i%2 == 0 {
					if err := h.Op(ctx, name, "destroy", nil); err != nil {
						t.Error(err)
					}
				}
			}
		}(w)
	}
	wg.Wait()
	names, _ := h.DomainNames(ctx, "all")
	if want := 4 + workers*(rounds/2); len(names) != want { // odd rounds keep their domain
		t.Errorf("%d domains left, want %d", len(names), want)
	}
	if len(seen) != workers*rounds {
		t.Errorf("%d distinct domids for %d creates", len(seen), workers*rounds)
	}
}

// A lock file replaced while a process keeps lock descriptions open (a
// host directory made again under a running xend-sim) is the one locked
// from then on: another process holding the new file's lock is waited for.
func TestLockFollowsAReplacedLockFile(t *testing.T) {
	dir := t.TempDir()
	h, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if _, err := h.Domains(ctx); err != nil { // leaves a description idle
		t.Fatal(err)
	}
	path := filepath.Join(dir, "lock")
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	holdLock(t, dir, syscall.LOCK_EX)
	changeBehind(t, dir)
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := h.Domains(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Domains while another process holds the new lock file: %v, want it to wait", err)
	}
}

// changeBehind is another process's change begun in dir: domains/ is
// touched, as a define or an undefine there does.
func changeBehind(t *testing.T, dir string) {
	t.Helper()
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "domains"), later, later); err != nil {
		t.Fatal(err)
	}
}

// A read that finds what the host holds current (its directory's stamp
// as it was when read, within the time it is trusted) is served from
// memory without the directory's lock: another process holding the lock
// for a change it has not begun does not hold it up, and what it reads
// is the state before that change. Once the change is under way (the
// stamp moved), reads wait for the lock and read again.
func TestCurrentReadNeedsNoLock(t *testing.T) {
	dir := t.TempDir()
	h, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	h.Resident()
	if _, err := h.Domain(ctx, "fc8"); err != nil {
		t.Fatal(err)
	}
	holder := holdLock(t, dir, syscall.LOCK_EX)
	short, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	rec, err := h.Domain(short, "fc8")
	if err != nil {
		t.Fatalf("a current read while another process holds the lock: %v", err)
	}
	if got := rec.Get("state"); got != "-b----" && got != "r-----" {
		t.Errorf("state %q, want fc8 running as before", got)
	}

	other, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	syscall.Flock(int(holder.Fd()), syscall.LOCK_UN)
	if err := other.Op(ctx, "fc8", "pause", nil); err != nil {
		t.Fatal(err)
	}
	rec, err = h.Domain(ctx, "fc8")
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.Get("state"); got != "--p---" {
		t.Errorf("after another process paused fc8: state %q, want --p---", got)
	}
}

// Close closes the lock descriptions kept between operations.
func TestCloseClosesKeptLockFiles(t *testing.T) {
	dir := t.TempDir()
	h, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Domains(ctx); err != nil {
		t.Fatal(err)
	}
	if n := openLocks(t, dir); n != 1 {
		t.Fatalf("%d descriptions of the lock file open after a read, want 1 kept", n)
	}
	h.Close()
	if n := openLocks(t, dir); n != 0 {
		t.Errorf("%d descriptions of the lock file open after Close, want 0", n)
	}
}

func openLocks(t *testing.T, dir string) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip(err)
	}
	n := 0
	for _, fd := range fds {
		if target, err := os.Readlink("/proc/self/fd/" + fd.Name()); err == nil && target == filepath.Join(dir, "lock") {
			n++
		}
	}
	return n
}
