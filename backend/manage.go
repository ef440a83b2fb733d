package backend

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"xvirsh/backend/xendrules"
	"xvirsh/sexpr"
)

// VCPU is one virtual CPU as xend's vcpuinfo reports it (xend-protocol.md
// §2.4), in virsh's words.
type VCPU struct {
	Number   int
	State    string // "running", "blocked" or "offline", as virsh prints them
	CPU      int    // the physical CPU it last ran on
	CPUTime  time.Duration
	Affinity []bool // one entry per physical CPU of the host
}

// Sched is a domain's credit scheduler setting.
type Sched struct {
	Scheduler   string // the host's xen_scheduler: "credit", "sedf", …
	Weight, Cap int
}

// DumpFlags are virsh dump's --live, --crash and --reset, which xend's
// op=dump takes as live, crash and reset.
type DumpFlags struct{ Live, Crash, Reset bool }

// Manager is the part of Backend behind the operator's newer commands:
// each method is one of xend's ops (xend-protocol.md §3), with the checks
// libvirt's xend driver made before sending it.
type Manager interface {
	// VCPUs is vcpuinfo: the domain's VCPUs and the host's CPU count.
	VCPUs(ctx context.Context, ref string) ([]VCPU, error)
	// PinVCPU is pincpu: VCPU vcpu may run on cpus only.
	PinVCPU(ctx context.Context, ref string, vcpu int, cpus []int) error
	// Sched reads the credit scheduler setting from the record, as libvirt
	// did (cpu_weight, cpu_cap); SetSched sends domain_sched_credit_set,
	// filling a nil value from the record.
	Sched(ctx context.Context, ref string) (Sched, error)
	SetSched(ctx context.Context, ref string, weight, cap *int) error
	// Save writes the running domain to file on the xend host and stops
	// it there; Restore brings such a file back as a running domain.
	Save(ctx context.Context, ref, file string) error
	Restore(ctx context.Context, file string) error
	CoreDump(ctx context.Context, ref, file string, f DumpFlags) error
	// Migrate sends the running domain to the xend named by destURI.
	Migrate(ctx context.Context, ref, destURI string, live bool) error
	// SetAutostart redefines the domain with on_xend_start start/ignore.
	SetAutostart(ctx context.Context, ref string, on bool) error
	Reset(ctx context.Context, ref string) error
	Rename(ctx context.Context, ref, name string) error
	// Sysrq sends the magic SysRq key (a letter such as 'b') to the guest.
	Sysrq(ctx context.Context, ref string, key byte) error
	// StartPaused starts a defined domain and leaves it paused.
	StartPaused(ctx context.Context, ref string) error
}

// needFormat refuses an op the host's xend does not have.
func (b *domains) needFormat(ctx context.Context, min int, what string) error {
	f, err := b.ConfigFormat(ctx)
	if err != nil {
		return err
	}
	if f < min {
		return unsupported("xend config format %d has no %s (it needs format %d or later)", f, what, min)
	}
	return nil
}

// guestRunning refuses Domain-0 and a domain that is not running, for
// an op on a guest ("reset", "send keys to").
func guestRunning(what string) func(Domain, *sexpr.Node) error {
	return func(d Domain, _ *sexpr.Node) error {
		if d.ID == 0 {
			return invalid("cannot %s Domain-0", what)
		}
		return mustRun(d, nil)
	}
}

func (b *domains) VCPUs(ctx context.Context, ref string) ([]VCPU, error) {
	rec, err := b.record(ctx, ref)
	if err != nil {
		return nil, err
	}
	n, err := b.NodeInfo(ctx)
	if err != nil {
		return nil, err
	}
	info, err := b.x.VCPUInfo(ctx, rec.Get("name"))
	if err != nil {
		return nil, err
	}
	var out []VCPU
	for _, v := range info.Children("vcpu") {
		num, err := strconv.Atoi(v.Get("number"))
		if err != nil {
			return nil, fmt.Errorf("xend's vcpuinfo has an unreadable VCPU number %q", v.Get("number"))
		}
		c := VCPU{Number: num, State: "offline", Affinity: make([]bool, max(n.CPUs, 1))}
		// libvirt's order: offline, else blocked wins over running.
		switch {
		case v.Get("online") == "0":
		case v.Get("blocked") == "1":
			c.State = "blocked"
		case v.Get("running") == "1":
			c.State = "running"
		default:
			c.State = "blocked"
		}
		c.CPU, _ = strconv.Atoi(v.Get("cpu"))
		if s, err := strconv.ParseFloat(v.Get("cpu_time"), 64); err == nil && s > 0 {
			c.CPUTime = time.Duration(s * 1e9)
		}
		if m := v.Child("cpumap"); m != nil {
			list := m
			if len(m.Kids) == 2 && m.Kids[1].IsList() {
				list = m.Kids[1] // (cpumap (0 1 2 3))
			}
			for _, k := range list.Kids {
				if i, err := strconv.Atoi(k.Value); err == nil && i >= 0 && i < len(c.Affinity) {
					c.Affinity[i] = true
				}
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// PinVCPU sends the cpumap in the form the host's xend reads: "[0,1,3]"
// before format 3, "0,1,3" after (xend-protocol.md §3, pinVcpu).
func (b *domains) PinVCPU(ctx context.Context, ref string, vcpu int, cpus []int) error {
	f, err := b.ConfigFormat(ctx)
	if err != nil {
		return err
	}
	if len(cpus) == 0 {
		return errors.New("invalid argument: the CPU list is empty")
	}
	parts := make([]string, len(cpus))
	for i, c := range cpus {
		parts[i] = strconv.Itoa(c)
	}
	m := strings.Join(parts, ",")
	if f < 3 {
		m = "[" + m + "]"
	}
	return b.act(ctx, ref, "pincpu", url.Values{"vcpu": {strconv.Itoa(vcpu)}, "cpumap": {m}}, func(d Domain, rec *sexpr.Node) error {
		if n, _ := strconv.Atoi(rec.Get("vcpus")); vcpu < 0 || vcpu >= n {
			return fmt.Errorf("invalid argument: vcpu %d is out of range (the domain has %d)", vcpu, n)
		}
		if f < 3 && !d.State.Active() {
			return invalid("domain is not running")
		}
		return nil
	})
}

func (b *domains) Sched(ctx context.Context, ref string) (Sched, error) {
	s, _, err := b.sched(ctx, ref)
	return s, err
}

// sched reads the host's scheduler and the domain's credit setting, as
// libvirt did: xen_scheduler from the node, cpu_weight and cpu_cap from
// the record (xend-protocol.md §2.2-2.3); format 4 (xend 3.1) first has
// them.
func (b *domains) sched(ctx context.Context, ref string) (Sched, *sexpr.Node, error) {
	if err := b.needFormat(ctx, 4, "credit scheduler interface"); err != nil {
		return Sched{}, nil, err
	}
	n, err := b.x.Node(ctx)
	if err != nil {
		return Sched{}, nil, err
	}
	rec, err := b.record(ctx, ref)
	if err != nil {
		return Sched{}, nil, err
	}
	s := Sched{Scheduler: n.Get("xen_scheduler")}
	if s.Scheduler == "" {
		s.Scheduler = "unknown"
	}
	s.Weight, _ = strconv.Atoi(rec.Get("cpu_weight"))
	s.Cap, _ = strconv.Atoi(rec.Get("cpu_cap"))
	return s, rec, nil
}

// SetSched sends both fields, the one not given filled from the record,
// as libvirt did (xend-protocol.md §3).
func (b *domains) SetSched(ctx context.Context, ref string, weight, cap *int) error {
	s, rec, err := b.sched(ctx, ref)
	if err != nil {
		return err
	}
	if s.Scheduler != "credit" {
		return unsupported("the host's scheduler is %s; xend sets parameters of the credit scheduler only", s.Scheduler)
	}
	if weight != nil {
		s.Weight = *weight
	}
	if cap != nil {
		s.Cap = *cap
	}
	form := url.Values{"weight": {strconv.Itoa(s.Weight)}, "cap": {strconv.Itoa(s.Cap)}}
	return b.x.Op(ctx, rec.Get("name"), "domain_sched_credit_set", form)
}

// absPath makes a FILE argument absolute: xend runs in / and would read a
// relative path from there, not from where the user typed it.
func absPath(file string) (string, error) {
	if file == "" {
		return "", errors.New("invalid argument: empty file name")
	}
	return filepath.Abs(file)
}

func (b *domains) Save(ctx context.Context, ref, file string) error {
	p, err := absPath(file)
	if err != nil {
		return err
	}
	return b.act(ctx, ref, "save", url.Values{"file": {p}}, func(d Domain, rec *sexpr.Node) error {
		if d.ID == 0 {
			return errors.New("invalid argument: cannot save Domain-0")
		}
		return mustRun(d, rec)
	})
}

func (b *domains) Restore(ctx context.Context, file string) error {
	p, err := absPath(file)
	if err != nil {
		return err
	}
	return b.x.Restore(ctx, p)
}

func (b *domains) CoreDump(ctx context.Context, ref, file string, fl DumpFlags) error {
	p, err := absPath(file)
	if err != nil {
		return err
	}
	if fl.Crash && fl.Reset {
		return errors.New("Flags 'VIR_DUMP_CRASH' and 'VIR_DUMP_RESET' are mutually exclusive")
	}
	bit := func(b bool) string {
		if b {
			return "1"
		}
		return "0"
	}
	form := url.Values{"file": {p}, "live": {bit(fl.Live)}, "crash": {bit(fl.Crash)}, "reset": {bit(fl.Reset)}}
	if fl.Reset {
		if err := b.needFormat(ctx, 4, "reset after a core dump"); err != nil {
			return err
		}
	}
	return b.act(ctx, ref, "dump", form, func(d Domain, rec *sexpr.Node) error {
		if d.ID == 0 {
			return errors.New("invalid argument: cannot dump the core of Domain-0")
		}
		return mustRun(d, rec)
	})
}

// MigrateTarget is what op=migrate's destination and port say for a
// destination URI, the way libvirt's xend driver read it: the host of a
// network URI, port 0 (xend's own relocation port) unless a xenmigr://
// URI names one. xen+unix:///PATH names a xend on this machine by its
// socket; xend itself takes only host names, the simulator takes the
// path too (xendsim relocates over the destination's HTTP API).
func MigrateTarget(destURI string) (dest string, port int, err error) {
	u, err := url.Parse(destURI)
	if err != nil || u.Scheme == "" {
		return "", 0, fmt.Errorf("invalid argument: unable to parse migration URI '%s'", destURI)
	}
	switch u.Scheme {
	case "xen+unix":
		if u.Path == "" || !filepath.IsAbs(u.Path) {
			return "", 0, fmt.Errorf("invalid argument: migration URI '%s' names no socket path", destURI)
		}
		return u.Path, 0, nil
	case "xenmigr", "http", "xen", "xen+tcp", "xen+ssh":
		if u.Hostname() == "" {
			return "", 0, fmt.Errorf("invalid argument: migration URI '%s' names no host", destURI)
		}
		if u.Scheme == "xenmigr" && u.Port() != "" {
			port, err = strconv.Atoi(u.Port())
			if err != nil || port < 1 || port > 65535 {
				return "", 0, fmt.Errorf("invalid argument: bad port in migration URI '%s'", destURI)
			}
		}
		return u.Hostname(), port, nil
	}
	return "", 0, fmt.Errorf("invalid argument: xend cannot migrate to '%s': use xen+unix:///PATH, http://HOST:PORT/ or xenmigr://HOST:PORT", destURI)
}

// Migrate sends every field any xend wants, as libvirt did: unknown ones
// are ignored (xend-protocol.md §3, migrate).
func (b *domains) Migrate(ctx context.Context, ref, destURI string, live bool) error {
	dest, port, err := MigrateTarget(destURI)
	if err != nil {
		return err
	}
	l := "0"
	if live {
		l = "1"
	}
	form := url.Values{"destination": {dest}, "live": {l}, "port": {strconv.Itoa(port)},
		"node": {"-1"}, "ssl": {"0"}, "change_home_server": {"0"}, "resource": {"0"}}
	return b.act(ctx, ref, "migrate", form, func(d Domain, rec *sexpr.Node) error {
		if d.ID == 0 {
			return errors.New("invalid argument: cannot migrate Domain-0")
		}
		return mustRun(d, rec)
	})
}

// SetAutostart does what libvirt did: fetch the record, set
// on_xend_start, and redefine the domain with the whole tree (op=new).
func (b *domains) SetAutostart(ctx context.Context, ref string, on bool) error {
	if err := b.needFormat(ctx, 3, "managed domains to autostart"); err != nil {
		return err
	}
	rec, err := b.record(ctx, ref)
	if err != nil {
		return err
	}
	cur := rec.Get("on_xend_start")
	if cur != "start" && cur != "ignore" {
		return fmt.Errorf("internal error: unexpected value from on_xend_start: %q", cur)
	}
	want := "ignore"
	if on {
		want = "start"
	}
	if cur == want {
		return nil
	}
	cfg := rec.Clone()
	cfg.Set("on_xend_start", want)
	return b.x.New(ctx, cfg)
}

func (b *domains) Reset(ctx context.Context, ref string) error {
	if err := b.needFormat(ctx, 4, "reset"); err != nil {
		return err
	}
	return b.act(ctx, ref, "reset", nil, guestRunning("reset"))
}

func (b *domains) Rename(ctx context.Context, ref, name string) error {
	if !xendrules.ValidName(name) {
		return fmt.Errorf("invalid argument: invalid domain name '%s'", name)
	}
	return b.act(ctx, ref, "rename", url.Values{"name": {name}}, func(d Domain, _ *sexpr.Node) error {
		if d.ID == 0 {
			return invalid("cannot rename Domain-0")
		}
		return nil
	})
}

// Sysrq sends the key as its character code: xend's sysrq declares key an
// int (xend-protocol.md §3) and writes it to the guest as a character.
func (b *domains) Sysrq(ctx context.Context, ref string, key byte) error {
	return b.act(ctx, ref, "sysrq", url.Values{"key": {strconv.Itoa(int(key))}}, guestRunning("send keys to"))
}

// StartPaused is op=start then op=pause: xend's start has a paused field
// that, as written, never takes effect (xend-protocol.md §3), so the guest
// runs for the moment between the two.
func (b *domains) StartPaused(ctx context.Context, ref string) error {
	if err := b.Start(ctx, ref); err != nil {
		return err
	}
	d, err := b.Lookup(ctx, ref)
	if err != nil {
		return err
	}
	return b.x.Op(ctx, d.Name, "pause", nil)
}
