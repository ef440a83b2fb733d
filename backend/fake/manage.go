package fake

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"xvirsh/backend"
	"xvirsh/backend/xendrules"
	"xvirsh/sexpr"
)

// The ops behind save/restore, dump, migrate, pinning, the credit
// scheduler, reset, rename and sysrq, each with the checks and messages of
// xend 3.4's XendDomain (xend-protocol.md §3).

// Relocator reaches the xend a domain migrates to: dest and port are op=
// migrate's fields. xend itself opens its relocation port there; the
// fake host has no relocation protocol and hands the domain to the
// destination's xend API instead (see connect.Relocate).
type Relocator func(ctx context.Context, dest string, port int) (backend.Xend, error)

// SetRelocator says how this host reaches migration destinations. Without
// one, every migration fails as xend's does when it cannot connect.
func (h *Host) SetRelocator(r Relocator) {
	h.mu.Lock()
	h.relocate = r
	h.mu.Unlock()
}

// guestSignature opens the file op=save writes, as xend's XendCheckpoint
// does: the signature, the config's length as a big-endian int32, the
// config. xend follows it with the guest's memory; the fake has none.
const guestSignature = "LinuxGuestRecord"

// notStarted is xend's VMBadState text for ops that need a live guest.
func notStarted(ref string) *Error {
	return errorf(backend.ErrInvalidState, "Domain '%s' is not started", ref)
}

// started refuses Domain-0 (in xend's words for the op) and a domain that
// is neither running nor paused.
func started(d *dom, dom0Msg string) error {
	if d.dom0 {
		return errorf(backend.ErrInvalidState, "%s", dom0Msg)
	}
	if !d.running() || d.preserved {
		return notStarted(d.name)
	}
	return nil
}

// manageOp runs the ops of this file, with the host locked; handled is
// false for an op that is not one of them.
func (h *Host) manageOp(d *dom, op string, f url.Values, now time.Time) (handled bool, err error) {
	switch op {
	case "save":
		return true, h.opSave(d, f.Get("file"), now)
	case "dump":
		return true, h.opDump(d, f, now)
	case "pincpu":
		return true, h.opPin(d, f.Get("vcpu"), f.Get("cpumap"))
	case "domain_sched_credit_set":
		return true, h.opSchedSet(d, f)
	case "reset":
		if err := started(d, "Cannot reset privileged domain 0"); err != nil {
			return true, err
		}
		h.boot(d, now, false)
		return true, nil
	case "rename":
		return true, h.opRename(d, f.Get("name"))
	case "sysrq":
		return true, h.opSysrq(d, f.Get("key"), now)
	}
	return false, nil
}

// opSave writes d to file and stops it: a transient domain is gone, a
// managed one halted, as after xend's save.
func (h *Host) opSave(d *dom, file string, now time.Time) error {
	if d.dom0 {
		return errorf(backend.ErrInvalidState, "Cannot save privileged domain 0")
	}
	if !d.running() || d.paused || d.preserved {
		return errorf(backend.ErrInvalidState, "Domain is not running")
	}
	cfg := xendrules.Show(h.record(d, now))
	var buf bytes.Buffer
	buf.WriteString(guestSignature)
	binary.Write(&buf, binary.BigEndian, int32(len(cfg)))
	buf.WriteString(cfg)
	if err := writeWhole(file, buf.Bytes()); err != nil {
		return errorf(nil, "can't write guest state file %s: %s", file, err)
	}
	h.halt(d)
	return nil
}

// writeWhole writes data to path through a temporary file in the same
// directory, so a failed save leaves no half-written image behind.
func writeWhole(path string, data []byte) error {
	if !filepath.IsAbs(path) {
		return fmt.Errorf("not an absolute path")
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".xvirsh-save-*")
	if err != nil {
		return osReason(err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return osReason(err)
	}
	if err := tmp.Close(); err != nil {
		return osReason(err)
	}
	return osReason(os.Rename(tmp.Name(), path))
}

// osReason is the strerror part of an OS error, as Python's ex[1] gives it.
func osReason(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return fmt.Errorf("%s", strings.ToUpper(pe.Err.Error()[:1])+pe.Err.Error()[1:])
	}
	if le, ok := err.(*os.LinkError); ok {
		return osReason(&os.PathError{Err: le.Err})
	}
	return err
}

// Restore is POST /xend/domain/ op=restore: read a file op=save wrote and
// run the domain it holds, unpaused.
func (h *Host) Restore(ctx context.Context, file string) error {
	_, err := h.RestoreDomain(ctx, file)
	return err
}

// RestoreDomain is Restore, naming the domain it brought back: xend's
// answer points at it (Location), which the simulator needs.
func (h *Host) RestoreDomain(ctx context.Context, file string) (name string, err error) {
	err = h.do(ctx, true, func(now time.Time) error {
		cfg, err := readGuestState(file)
		if err != nil {
			return err
		}
		d, err := h.create(cfg, now)
		if err != nil {
			return err
		}
		d.paused, d.runSince = false, now
		name = d.name
		return nil
	})
	return name, err
}

func readGuestState(file string) (*sexpr.Node, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, errorf(nil, "can't read guest state file %s: %s", file, osReason(err))
	}
	defer f.Close()
	sig := make([]byte, len(guestSignature))
	if _, err := io.ReadFull(f, sig); err != nil || string(sig) != guestSignature {
		return nil, errorf(nil, "not a valid guest state file: found '%s'", strings.TrimRight(string(sig), "\x00"))
	}
	var n int32
	if err := binary.Read(f, binary.BigEndian, &n); err != nil || n <= 0 || n > xendrules.MaxBody*100 {
		return nil, errorf(nil, "not a valid guest state file: config size")
	}
	data := make([]byte, n)
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, errorf(nil, "not a valid guest state file: config size")
	}
	cfg, err := xendrules.ReadSXP(string(data))
	if err != nil || !cfg.IsList() {
		return nil, errorf(nil, "not a valid guest state file: config parse")
	}
	return cfg, nil
}

// opDump writes a core file. xend pauses a running guest for the dump
// unless live, then destroys it (crash), resets it (reset) or lets it run
// on. The fake's core holds the domain's record: it has no guest memory.
func (h *Host) opDump(d *dom, f url.Values, now time.Time) error {
	if err := started(d, "Cannot dump core for privileged domain 0"); err != nil {
		return err
	}
	core := fmt.Sprintf("# Xen core dump of domain %d (fake host: no guest memory)\n%s\n", d.domid, xendrules.Show(h.record(d, now)))
	if err := writeWhole(f.Get("file"), []byte(core)); err != nil {
		return errorf(nil, "Failed to dump core: %s", err)
	}
	switch {
	case f.Get("crash") != "0":
		h.halt(d)
	case f.Get("reset") != "0":
		h.boot(d, now, false)
	}
	return nil
}

// opPin is pincpu. cpumap is "0,1,3" (xend 3.1 and later) or "[0,1,3]"
// (3.0.x); vcpu is a number, or "all" from 3.4 on.
func (h *Host) opPin(d *dom, vcpu, cpumap string) error {
	if h.format < 3 {
		if !d.running() {
			return notRunning(d.name)
		}
		cpumap = strings.TrimSuffix(strings.TrimPrefix(cpumap, "["), "]")
	}
	var cpus []int
	for _, s := range strings.Split(cpumap, ",") {
		n, err := xendrules.PyInt(s)
		if err != nil {
			return errorf(nil, "%s", err)
		}
		cpus = append(cpus, int(n))
	}
	max, _ := strconv.Atoi(d.config().Get("vcpus"))
	var which []int
	if strings.ToLower(vcpu) == "all" && h.format >= 4 {
		for i := 0; i < max; i++ {
			which = append(which, i)
		}
	} else {
		n, err := xendrules.PyInt(vcpu)
		if err != nil {
			return errorf(nil, "%s", err)
		}
		which = []int{int(n)}
	}
	for _, v := range which {
		bad := v < 0 || v >= max
		for _, c := range cpus {
			bad = bad || c < 0 || c >= hostCPUs
		}
		if bad {
			return errorf(nil, "Cannot pin vcpu: %d to cpu: %s - (22, 'Invalid argument')", v, pyList(cpus))
		}
	}
	if d.pins == nil {
		d.pins = map[int][]int{}
	}
	for _, v := range which {
		d.pins[v] = append([]int(nil), cpus...)
	}
	h.runtimeDirty = true
	return nil
}

func pyList(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return "[" + strings.Join(s, ", ") + "]"
}

// opSchedSet is domain_sched_credit_set: xend's range checks, then the
// values kept in the domain's config (cpu_weight, cpu_cap).
func (h *Host) opSchedSet(d *dom, f url.Values) error {
	w, _ := strconv.Atoi(f.Get("weight"))
	c, _ := strconv.Atoi(f.Get("cap"))
	if w < 1 || w > 65535 {
		return errorf(nil, "weight is out of range")
	}
	if max, _ := strconv.Atoi(d.config().Get("vcpus")); c < 0 || c > max*100 {
		return errorf(nil, "cap is out of range")
	}
	return h.edit(d, func(cfg *sexpr.Node) {
		cfg.Set("cpu_weight", strconv.Itoa(w))
		cfg.Set("cpu_cap", strconv.Itoa(c))
	})
}

// opRename is rename: xend's name check (_checkName), then the new name in
// the live config and the definition.
func (h *Host) opRename(d *dom, name string) error {
	if !xendrules.ValidName(name) {
		return errorf(nil, "Invalid VM Name '%s'", name)
	}
	if d.dom0 {
		return errorf(backend.ErrInvalidState, "Cannot rename privileged domain 0")
	}
	for _, o := range h.named(name) {
		if o != d {
			return conflict(o, name, d.uuid)
		}
	}
	if err := h.edit(d, func(cfg *sexpr.Node) { cfg.Set("name", name) }); err != nil {
		return err
	}
	h.renameDom(d, name)
	return nil
}

// sysrqShutdown is what a guest kernel does on the magic keys that end
// it: b reboots at once, o powers off. Other keys act inside the guest.
// A switch, where a map would be built at every start-up.
func sysrqShutdown(key byte) (reason string, ok bool) {
	switch key {
	case 'b':
		return "reboot", true
	case 'o':
		return "poweroff", true
	}
	return "", false
}

func (h *Host) opSysrq(d *dom, key string, now time.Time) error {
	if !d.running() || d.preserved {
		return notStarted(d.name)
	}
	if d.dom0 {
		return errorf(backend.ErrInvalidState, "Cannot send sysrq to domain 0")
	}
	k, _ := strconv.Atoi(key) // CheckForm made it decimal
	if k < 0 || k > 255 {
		return errorf(nil, "chr() arg not in range(256)")
	}
	if reason, ok := sysrqShutdown(byte(k)); ok {
		return h.opShutdown(d, url.Values{"reason": {reason}}, now)
	}
	return nil
}

// VCPUInfo is GET /xend/domain/REF?op=vcpuinfo (xend-protocol.md §2.4):
// one (vcpu …) per VCPU, the online ones on physical CPUs in turn, the
// domain's cpu_time shared among them, the affinity pincpu set (else the
// config's cpus, else every CPU).
func (h *Host) VCPUInfo(ctx context.Context, ref string) (*sexpr.Node, error) {
	var out *sexpr.Node
	err := h.do(ctx, false, func(now time.Time) error {
		d := h.find(ref)
		if d == nil {
			return noSuchDomain(ref)
		}
		cfg := d.config()
		n, _ := strconv.Atoi(cfg.Get("vcpus"))
		n = max(n, 1)
		online := 0
		if d.running() {
			online = onlineVCPUs(cfg)
		}
		out = sexpr.List(sexpr.Atom("domain"))
		if d.running() {
			out.Append(kvInt("domid", d.domid))
		}
		out.Append(sexpr.KV("name", d.name), kvInt("vcpu_count", n))
		cpuTime := d.cpuTime(now)
		def := defaultAffinity(cfg.Get("cpus"))
		for i := 0; i < n; i++ {
			on := i < online
			t := 0.0
			if on {
				t = cpuTime / float64(online)
			}
			aff := def
			if p, ok := d.pins[i]; ok {
				aff = p
			}
			m := sexpr.List()
			for _, c := range aff {
				m.Append(sexpr.Atom(strconv.Itoa(c)))
			}
			running := on && (d.dom0 && !d.paused)
			out.Append(sexpr.List(sexpr.Atom("vcpu"),
				kvInt("number", i),
				sexpr.KV("online", digit(on)),
				sexpr.KV("blocked", digit(on && !running)),
				sexpr.KV("running", digit(running)),
				sexpr.KV("cpu_time", xendrules.PyFloat(t)),
				kvInt("cpu", aff[i%len(aff)]),
				sexpr.List(sexpr.Atom("cpumap"), m)))
		}
		return nil
	})
	return out, err
}

// defaultAffinity reads a config's cpus ("0-2,^1,3", libvirt's syntax as
// the converter writes it); anything unreadable means every CPU.
func defaultAffinity(cpus string) []int {
	all := make([]int, hostCPUs)
	for i := range all {
		all[i] = i
	}
	if cpus == "" {
		return all
	}
	set := map[int]bool{}
	for _, part := range strings.Split(cpus, ",") {
		neg := strings.HasPrefix(part, "^")
		part = strings.TrimPrefix(part, "^")
		lo, hi, found := strings.Cut(part, "-")
		a, err1 := strconv.Atoi(lo)
		b := a
		var err2 error
		if found {
			b, err2 = strconv.Atoi(hi)
		}
		if err1 != nil || err2 != nil || a > b {
			return all
		}
		for c := a; c <= b; c++ {
			set[c] = !neg
		}
	}
	var out []int
	for c := 0; c < hostCPUs; c++ {
		if set[c] {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return all
	}
	return out
}

func digit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// migrate is op=migrate. The checks and the snapshot run with the host
// locked; the transfer does not, so a destination that is this very host
// (or slow) cannot deadlock it. The domain stops here only once the
// destination has it running: a failed transfer leaves it as it was.
func (h *Host) migrate(ctx context.Context, ref string, f url.Values) error {
	var (
		cfg    *sexpr.Node
		domid  int
		reloc  Relocator
		dest   string
		port   int
		paused bool
	)
	err := h.do(ctx, false, func(now time.Time) error {
		d := h.find(ref)
		if d == nil {
			return noSuchDomain(ref)
		}
		o, _ := xendrules.Lookup(xendrules.DomainOps, "migrate", h.format)
		f = cloneForm(f)
		if err := xendrules.CheckForm(o, f); err != nil {
			return errorf(nil, "%s", err)
		}
		if d.dom0 {
			return errorf(backend.ErrInvalidState, "Cannot migrate privileged domain 0")
		}
		if !d.running() || d.preserved || (d.paused && h.format >= 3) {
			return errorf(backend.ErrInvalidState, "Domain is not running")
		}
		cfg, domid, reloc, paused = d.live.Clone(), d.domid, h.relocate, d.paused
		dest = f.Get("destination")
		port, _ = strconv.Atoi(f.Get("port"))
		return nil
	})
	if err != nil {
		return err
	}
	if reloc == nil {
		return errorf(nil, "can't connect: this host has no route to another xend")
	}
	dst, err := reloc(ctx, dest, port)
	if err != nil {
		return errorf(nil, "can't connect: %s", err)
	}
	defer dst.Close()
	if _, err := dst.Node(ctx); err != nil {
		return errorf(nil, "can't connect: %s", err)
	}
	if err := dst.Create(ctx, cfg); err != nil {
		return errorf(nil, "Failed to migrate: the destination refused the domain: %s", err)
	}
	if !paused {
		if err := dst.Op(ctx, cfg.Get("name"), "unpause", nil); err != nil {
			// Half there is nowhere: the copy goes, the domain stays here.
			dst.Op(context.WithoutCancel(ctx), cfg.Get("name"), "destroy", nil)
			return errorf(nil, "Failed to migrate: %s", err)
		}
	}
	return h.do(context.WithoutCancel(ctx), true, func(time.Time) error {
		for _, d := range h.doms {
			if d.domid == domid && d.running() {
				h.halt(d)
			}
		}
		return nil
	})
}
