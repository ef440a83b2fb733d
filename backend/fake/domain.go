package fake

import (
	"bytes"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"sync"
	"time"

	"xvirsh/backend"
	"xvirsh/backend/xendrules"
	"xvirsh/sexpr"
)

// dom is one domain as the hypervisor and xend together know it. A managed
// (defined) domain has a persistent config; a running one has a live config
// and a domid. xend keeps one XendConfig per domain, so changes made to a
// running managed domain (memory, vcpus) go to both.
type dom struct {
	uuid, name string
	// dir is the name of the domains/ directory the definition was read
	// from when it is not the canonical UUID (xend's loader takes any
	// spelling, upper case say); "" otherwise.
	dir       string
	persist   *sexpr.Node // the managed definition, (vm …); nil when transient
	live      *sexpr.Node // config of the running instance; nil while halted
	domid     int         // -1 while halted
	paused    bool
	preserved bool // shut down with an on_* action of preserve: kept as ---s--
	dom0      bool
	started   time.Time
	cpuBase   float64       // CPU seconds used before runSince
	runSince  time.Time     // zero while paused, preserved or halted
	pins      map[int][]int // VCPU → physical CPUs, as pincpu set them
	console   struct {      // consoleDevice's, for this domid and port
		domid, port int
		node        *sexpr.Node
	}
}

func (d *dom) running() bool { return d.domid >= 0 }

// configDir is the name of the domains/ directory holding d's definition.
func (d *dom) configDir() string {
	if d.dir != "" {
		return d.dir
	}
	return d.uuid
}

// config is what the record shows: the live config of a running domain,
// else the definition.
func (d *dom) config() *sexpr.Node {
	if d.live != nil {
		return d.live
	}
	return d.persist
}

// cpuRate is how many CPU seconds a domain burns per second of uptime. It
// only needs to make cpu_time grow plausibly; tests pin the clock.
func (d *dom) cpuRate() float64 {
	if d.dom0 {
		return 0.05
	}
	return 0.01 * float64(onlineVCPUs(d.config()))
}

func (d *dom) cpuTime(now time.Time) float64 {
	t := d.cpuBase
	if !d.runSince.IsZero() && now.After(d.runSince) {
		t += now.Sub(d.runSince).Seconds() * d.cpuRate()
	}
	return t
}

// stopClock banks the CPU time used so far, for pause and preserve.
func (d *dom) stopClock(now time.Time) {
	d.cpuBase = d.cpuTime(now)
	d.runSince = time.Time{}
}

// stateFlags is xend's six-letter rbpscd string. Guests sit blocked waiting
// for events most of the time, as on a real host; Domain-0 is on a CPU.
func (d *dom) stateFlags() string {
	var f xendrules.Flags
	switch {
	case d.preserved:
		f.Shutdown = true
	case d.paused:
		f.Paused = true
	case d.dom0:
		f.Running = true
	default:
		f.Blocked = true
	}
	return f.String()
}

// powerState is xend's power state (xend-protocol.md §4.2 item 8), the
// record's status number and what ?state= selects on.
func (d *dom) powerState() xendrules.PowerState {
	switch {
	case !d.running():
		return xendrules.Halted
	case d.preserved:
		return xendrules.ShuttingDown
	case d.paused:
		return xendrules.Paused
	}
	return xendrules.Running
}

// tty is the console pty the fake hands out: one per domid, so two running
// domains never share one.
func (d *dom) tty() string {
	if !d.running() || d.dom0 {
		return ""
	}
	return fmt.Sprintf("/dev/pts/%d", d.domid)
}

// vncPort is the port a running domain's VNC server listens on, 0 when it
// has none: the fixed display when autoport is off, else 5900+domid.
func (d *dom) vncPort() int {
	if !d.running() || d.dom0 {
		return 0
	}
	cfg := d.config()
	var g *sexpr.Node
	// Walked in place: a record printed per request asks this of every
	// running domain.
	for _, dev := range cfg.Args() {
		if dev.Head() != "device" {
			continue
		}
		if vfb := dev.Child("vfb"); vfb != nil && (vfb.Get("type") == "vnc" || strings.HasPrefix(vfb.Get("vnc"), "1")) {
			g = vfb
			break
		}
	}
	if img := cfg.Child("image"); g == nil && img != nil {
		for _, kind := range [...]string{"hvm", "linux"} {
			if k := img.Child(kind); k != nil && strings.HasPrefix(k.Get("vnc"), "1") {
				g = k
				break
			}
		}
	}
	if g == nil {
		return 0
	}
	if g.Get("vncunused") != "1" {
		if n, err := strconv.Atoi(g.Get("vncdisplay")); err == nil && n >= 0 {
			if n < 5900 {
				n += 5900
			}
			return n
		}
	}
	return 5900 + d.domid
}

// record builds the (domain …) S-expression xend returns for d at the
// host's config format (xend-protocol.md §4.1 for 1-2, §4.2 for 3-4).
func (h *Host) record(d *dom, now time.Time) *sexpr.Node {
	rec := sexpr.List(sexpr.Atom("domain"))
	h.fields(d, now, nil, nil, func(n *sexpr.Node, shared bool) {
		if shared {
			n = n.Clone()
		}
		rec.Append(n)
	})
	return rec
}

// brief is backend.Brief(h.record(d, now)), built by b without copying
// the config: a listing reads a dozen fields, not the devices.
func (h *Host) brief(d *dom, now time.Time, b *backend.BriefBuilder) *sexpr.Node {
	kids := b.Start()
	hvm := false
	h.fields(d, now, briefField, b.KV, func(n *sexpr.Node, shared bool) {
		key := n.Head()
		if key == "image" {
			hvm = hvm || n.HasContent("hvm")
			return
		}
		if !backend.BriefKeys[key] {
			return
		}
		for _, k := range kids[1:] {
			if k.Kids[0].Value == key {
				return
			}
		}
		switch {
		case shared && h.light:
			// Read from the index: (key value) or (key) already, and
			// never changed (a change reloads the host first).
		case len(n.Kids) < 2 || n.Kids[1].IsList():
			n = b.Bare(key)
		case shared || len(n.Kids) > 2:
			n = b.KV(key, n.Kids[1].Value)
		}
		// else n is b's already.
		kids = append(kids, n)
	})
	return b.End(kids, hvm)
}

// briefField says which of the record's items a brief record keeps.
func briefField(key string) bool { return key == "image" || backend.BriefKeys[key] }

// writeRecord prints record(d, now) the way xend's sxp.show does, straight
// from the config: the simulator serves thousands of records a listing,
// and building each as a tree only to print it doubled the work. The
// host's lock must be held, as the config is read in place.
func (h *Host) writeRecord(b *bytes.Buffer, d *dom, now time.Time) {
	a := kvArenas.Get().(*kvArena)
	defer a.release()
	b.WriteString("(domain")
	h.fields(d, now, nil, a.kv, func(n *sexpr.Node, _ bool) {
		b.WriteByte(' ')
		xendrules.WriteShow(b, n)
	})
	b.WriteByte(')')
}

// kvArena hands out the (key value) items of one record being printed:
// they are garbage as soon as they are printed, and as sexpr.KV's they
// were a third of what xend-sim allocated per single-domain GET (a dozen
// per record), so the GC of a simulator holding 10,000 domains ran that
// much more often. Every item of a record is its own until release.
type kvArena struct {
	items [24]struct {
		list, key, value sexpr.Node
		kids             [2]*sexpr.Node
	}
	n int
}

var kvArenas = sync.Pool{New: func() any { return new(kvArena) }}

// kv is sexpr.KV(key, value), from the arena while it lasts.
func (a *kvArena) kv(key, value string) *sexpr.Node {
	if a.n == len(a.items) {
		return sexpr.KV(key, value)
	}
	it := &a.items[a.n]
	a.n++
	it.key, it.value = sexpr.Node{Value: key}, sexpr.Node{Value: value}
	it.kids = [2]*sexpr.Node{&it.key, &it.value}
	it.list = sexpr.Node{Kids: it.kids[:]}
	return &it.list
}

// release clears the items handed out, so that the pool keeps no record's
// strings alive, and gives the arena back.
func (a *kvArena) release() {
	clear(a.items[:a.n])
	a.n = 0
	kvArenas.Put(a)
}

// fields hands emit, in order, the items of d's record after its head
// (want, when not nil, says which of the items it builds are wanted):
// nodes built for the record by kv (sexpr.KV when nil) and for a console
// device (shared false), or the config's own (shared true), which emit
// must not keep past the host's lock without a copy. This is the one
// place the record's shape is written down.
func (h *Host) fields(d *dom, now time.Time, want func(key string) bool, kv func(key, value string) *sexpr.Node, emit func(n *sexpr.Node, shared bool)) {
	cfg := d.config()
	if want == nil {
		want = func(string) bool { return true }
	}
	if kv == nil {
		kv = sexpr.KV
	}
	kvInt := func(key string, v int) *sexpr.Node { return kv(key, strconv.Itoa(v)) }
	if d.running() {
		if want("domid") {
			emit(kvInt("domid", d.domid), false)
		}
	}
	// From 3.4 on, cpu_weight and cpu_cap always follow the domid, the
	// domain's own values or the defaults (xend-protocol.md §4.2 item 2).
	if h.format >= 4 {
		for _, def := range [][2]string{{"cpu_weight", "256"}, {"cpu_cap", "0"}} {
			if !want(def[0]) {
				continue
			}
			v, ok := cfg.GetOK(def[0])
			if !ok {
				v = def[1]
			}
			emit(kv(def[0], v), false)
		}
	}
	var image *sexpr.Node
	ndev := 0
	for _, k := range cfg.Args() {
		switch k.Head() {
		case "":
		case "cpu_weight", "cpu_cap":
			if h.format < 4 {
				emit(k, true)
			}
		case "image":
			if image == nil {
				image = k
			}
		case "device":
			ndev++
		default:
			emit(k, true)
		}
	}
	if h.format >= 3 {
		for _, key := range []string{"on_xend_start", "on_xend_stop"} {
			if want(key) && !cfg.Has(key) {
				emit(kv(key, "ignore"), false)
			}
		}
	}
	if d.running() {
		if want("start_time") {
			emit(kv("start_time", xendrules.PyFloat(float64(d.started.UnixNano())/1e9)), false)
		}
		emit(kv("cpu_time", xendrules.PyFloat(d.cpuTime(now))), false)
		if want("online_vcpus") {
			emit(kvInt("online_vcpus", onlineVCPUs(cfg)), false)
		}
		if want("up_time") && h.format < 3 {
			emit(kv("up_time", xendrules.PyFloat(now.Sub(d.started).Seconds())), false)
		}
	} else {
		emit(kv("cpu_time", "0.0"), false)
		emit(kvInt("online_vcpus", 0), false)
	}
	if image != nil {
		emit(image, true)
	}
	if h.format >= 3 && want("status") {
		emit(kvInt("status", int(d.powerState())), false)
	}
	if d.running() && want("state") {
		emit(kv("state", d.stateFlags()), false)
	}
	// xend has no field telling a managed domain from a transient one
	// (libvirt looked for /var/lib/xend/domains/UUID on the local disk);
	// the fake says so outright, and the adapter reads it when present.
	if d.persist != nil && want("managed") {
		emit(kvInt("managed", 1), false)
	}
	if ndev > 0 && want("device") {
		for _, k := range cfg.Args() {
			if k.Head() == "device" {
				emit(k, true)
			}
		}
	}
	// What libvirt read from xenstore (console tty, VNC port) has no place
	// in xend's HTTP API; some 3.0.4/3.1 builds appended the VNC port as a
	// console device, and the fake puts the tty next to it.
	if !want("device") {
		return
	}
	if d.running() && !d.dom0 {
		emit(d.consoleDevice(), true)
	}
}

// consoleDevice is (device (console (protocol vt100) (tty …) [(vnc-port
// …)])) for a running domain, kept while its domid (which names its tty)
// and port hold: the simulator prints it in every record of a running
// domain, and building it each time was a sixth of what a listing
// allocated.
func (d *dom) consoleDevice() *sexpr.Node {
	port := d.vncPort()
	if c := d.console; c.node != nil && c.domid == d.domid && c.port == port {
		return c.node
	}
	con := sexpr.List(sexpr.Atom("console"), sexpr.KV("protocol", "vt100"), sexpr.KV("tty", d.tty()))
	if port > 0 {
		con.Append(sexpr.KV("vnc-port", strconv.Itoa(port)))
	}
	d.console.domid, d.console.port, d.console.node = d.domid, port, sexpr.List(sexpr.Atom("device"), con)
	return d.console.node
}

// onlineVCPUs is the number of VCPUs a config brings up: the bits set in
// vcpu_avail when that narrows vcpus.
func onlineVCPUs(cfg *sexpr.Node) int {
	n, err := strconv.Atoi(cfg.Get("vcpus"))
	if err != nil || n < 1 {
		n = 1
	}
	if s, ok := cfg.GetOK("vcpu_avail"); !ok {
		// Most configs have none: no error to make.
	} else if avail, err := strconv.ParseUint(s, 10, 64); err == nil {
		if c := bits.OnesCount64(avail); c < n {
			n = c
		}
	}
	return n
}

func kvInt(key string, v int) *sexpr.Node { return sexpr.KV(key, strconv.Itoa(v)) }
