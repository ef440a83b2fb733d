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

	// shutdownReason is, while preserved, the shutdown the guest made
	// ("poweroff" or "reboot"), which 3.0.x's records show (§4.1).
	shutdownReason string
	// printing is what printed records take from the config (Host.view),
	// made when the simulator first prints the domain: a listing from
	// the index keeps ten thousand doms and never prints them.
	printing *cfgView
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

func (d *dom) cpuTime(now time.Time) float64 {
	return d.cpuTimeAt(now, onlineVCPUs(d.config()))
}

// cpuTimeAt is cpuTime for a domain with online VCPUs up. A domain burns
// a hundredth of a CPU second per second and VCPU (Domain-0 a twentieth):
// cpu_time need only grow plausibly; tests pin the clock.
func (d *dom) cpuTimeAt(now time.Time, online int) float64 {
	t := d.cpuBase
	if !d.runSince.IsZero() && now.After(d.runSince) {
		rate := 0.01 * float64(online)
		if d.dom0 {
			rate = 0.05
		}
		t += now.Sub(d.runSince).Seconds() * rate
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

// vncNode is the part of a config that sets up a VNC server: a vfb
// device of type vnc, else an image asking for vnc; nil for none.
func vncNode(cfg *sexpr.Node) *sexpr.Node {
	for _, dev := range cfg.Args() {
		if dev.Head() != "device" {
			continue
		}
		if vfb := dev.Child("vfb"); vfb != nil && (vfb.Get("type") == "vnc" || strings.HasPrefix(vfb.Get("vnc"), "1")) {
			return vfb
		}
	}
	if img := cfg.Child("image"); img != nil {
		for _, kind := range [...]string{"hvm", "linux"} {
			if k := img.Child(kind); k != nil && strings.HasPrefix(k.Get("vnc"), "1") {
				return k
			}
		}
	}
	return nil
}

// vncPort is the port a running domain's VNC server listens on, 0 when it
// has none (g is its vncNode): the fixed display when autoport is off,
// else 5900+domid.
func (d *dom) vncPort(g *sexpr.Node) int {
	if !d.running() || d.dom0 || g == nil {
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
	}, nil)
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
		if !backend.IsBriefKey(key) {
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
	}, nil)
	return b.End(kids, hvm)
}

// briefField says which of the record's items a brief record keeps.
func briefField(key string) bool { return key == "image" || backend.IsBriefKey(key) }

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
	}, func(text []byte) { b.Write(text) })
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
// nodes built for the record by kv (sexpr.KV when nil) (shared false),
// or the config's own and the kept console device (shared true), which
// emit must not keep past the host's lock without a copy. With text not
// nil, the items that are the config's own come to it instead, already
// printed as sxp.show prints them, each after a space (cfgView). This is
// the one place the record's shape is written down.
func (h *Host) fields(d *dom, now time.Time, want func(key string) bool, kv func(key, value string) *sexpr.Node, emit func(n *sexpr.Node, shared bool), text func([]byte)) {
	var local cfgView
	v := h.view(d, text != nil, &local)
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
		if want("cpu_weight") {
			emit(kv("cpu_weight", v.weight), false)
		}
		if want("cpu_cap") {
			emit(kv("cpu_cap", v.cap), false)
		}
	}
	if text != nil {
		text(v.items)
	} else {
		for _, k := range v.cfg.Args() {
			if ownItem(k.Head(), h.format) {
				emit(k, true)
			}
		}
	}
	if h.format >= 3 {
		if want("on_xend_start") && !v.hasStart {
			emit(kv("on_xend_start", "ignore"), false)
		}
		if want("on_xend_stop") && !v.hasStop {
			emit(kv("on_xend_stop", "ignore"), false)
		}
	}
	if d.running() {
		if want("start_time") {
			emit(kv("start_time", xendrules.PyFloat(float64(d.started.UnixNano())/1e9)), false)
		}
		emit(kv("cpu_time", xendrules.PyFloat(d.cpuTimeAt(now, v.online))), false)
		if want("online_vcpus") {
			emit(kvInt("online_vcpus", v.online), false)
		}
		if want("up_time") && h.format < 3 {
			emit(kv("up_time", xendrules.PyFloat(now.Sub(d.started).Seconds())), false)
		}
	} else {
		emit(kv("cpu_time", "0.0"), false)
		emit(kvInt("online_vcpus", 0), false)
	}
	switch {
	case text != nil:
		text(v.image)
	case v.imageNode != nil:
		emit(v.imageNode, true)
	}
	if h.format >= 3 && want("status") {
		emit(kvInt("status", int(d.powerState())), false)
	}
	if d.running() && want("state") {
		emit(kv("state", d.stateFlags()), false)
	}
	// XendDomainInfo.sxpr follows the state with the reason of the
	// shutdown while the shutdown flag is set (xend-protocol.md §4.1).
	if d.running() && d.preserved && xendrules.ShutdownReasonShown(h.format) && want("shutdown_reason") {
		emit(kv("shutdown_reason", d.shutdownReason), false)
	}
	// xend has no field telling a managed domain from a transient one
	// (libvirt looked for /var/lib/xend/domains/UUID on the local disk);
	// the fake says so outright, and the adapter reads it when present.
	if d.persist != nil && want("managed") {
		emit(kvInt("managed", 1), false)
	}
	if want("device") {
		if text != nil {
			text(v.devices)
		} else {
			for _, k := range v.cfg.Args() {
				if k.Head() == "device" {
					emit(k, true)
				}
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
		port := d.vncPort(v.vnc)
		if text != nil {
			text(v.consoleText(d, port))
		} else {
			emit(consoleDevice(d, port), true)
		}
	}
}

// consoleDevice is (device (console (protocol vt100) (tty …) [(vnc-port
// …)])) for a running domain with VNC on port (0 for none).
func consoleDevice(d *dom, port int) *sexpr.Node {
	con := sexpr.List(sexpr.Atom("console"), sexpr.KV("protocol", "vt100"), sexpr.KV("tty", d.tty()))
	if port > 0 {
		con.Append(sexpr.KV("vnc-port", strconv.Itoa(port)))
	}
	return sexpr.List(sexpr.Atom("device"), con)
}

// consoleText is consoleDevice as sxp.show prints it after a space, kept
// while the domid (which names the tty) and the port hold: the simulator
// prints it in every record of a running domain.
func (v *cfgView) consoleText(d *dom, port int) []byte {
	if c := &v.console; c.text == nil || c.domid != d.domid || c.port != port {
		c.domid, c.port = d.domid, port
		c.text = xendrules.AppendShow([]byte{' '}, consoleDevice(d, port))
	}
	return v.console.text
}

// ownItem says whether a config item with this head goes into the record
// as it is, where fields puts the config's own items: not the image or the
// devices, which come later, nor from format 4 on cpu_weight and cpu_cap,
// which come first.
func ownItem(head string, format int) bool {
	switch head {
	case "", "image", "device":
		return false
	case "cpu_weight", "cpu_cap":
		return format < 4
	}
	return true
}

// cfgView is what a record takes from a domain's config, worked out once
// for that config while the host is unchanged (h.gen) rather than for
// every record printed: the simulator prints thousands a listing, and
// looking each value up again, and printing the same config items again,
// was most of its time. With printed, the config's own items are kept as
// sxp.show prints them too.
type cfgView struct {
	gen, format int
	cfg         *sexpr.Node
	weight, cap string // cpu_weight and cpu_cap, or their defaults
	hasStart    bool   // on_xend_start is in the config
	hasStop     bool   // on_xend_stop is
	online      int    // onlineVCPUs
	imageNode   *sexpr.Node
	vnc         *sexpr.Node // vncNode
	printed     bool
	items       []byte // the config's own items (ownItem), each after a space
	image       []byte // the first image, after a space; nil without one
	devices     []byte // the devices, each after a space
	console     struct {
		domid, port int
		text        []byte
	}
}

// view is d's cfgView: with printed, the one d keeps, worked out again
// when its config or the host changed since; else worked out into local,
// for a record that is built, not printed.
func (h *Host) view(d *dom, printed bool, local *cfgView) *cfgView {
	cfg, v := d.config(), local
	if printed {
		if d.printing == nil {
			d.printing = new(cfgView)
		}
		v = d.printing
	}
	if v.cfg != cfg || v.gen != h.gen || v.format != h.format {
		*v = cfgView{gen: h.gen, format: h.format, cfg: cfg, weight: "256", cap: "0"}
		weightSeen, capSeen := false, false
		for _, k := range cfg.Args() {
			switch head := k.Head(); {
			case head == "cpu_weight" && !weightSeen:
				weightSeen = true
				if val, ok := scalar(k); ok {
					v.weight = val
				} else {
					v.weight = "256"
				}
			case head == "cpu_cap" && !capSeen:
				capSeen = true
				if val, ok := scalar(k); ok {
					v.cap = val
				}
			case head == "on_xend_start":
				v.hasStart = true
			case head == "on_xend_stop":
				v.hasStop = true
			case head == "image" && v.imageNode == nil:
				v.imageNode = k
			}
		}
		v.online = onlineVCPUs(cfg)
		v.vnc = vncNode(cfg)
	}
	if printed && !v.printed {
		v.printed = true
		for _, k := range cfg.Args() {
			switch head := k.Head(); {
			case ownItem(head, h.format):
				v.items = append(v.items, ' ')
				v.items = xendrules.AppendShow(v.items, k)
			case head == "device":
				v.devices = append(v.devices, ' ')
				v.devices = xendrules.AppendShow(v.devices, k)
			}
		}
		if v.imageNode != nil {
			v.image = xendrules.AppendShow([]byte{' '}, v.imageNode)
		}
	}
	return v
}

// scalar is the value of (key value …) when it is an atom, as GetOK reads
// one.
func scalar(k *sexpr.Node) (string, bool) {
	if len(k.Kids) < 2 || k.Kids[1].Kids != nil {
		return "", false
	}
	return k.Kids[1].Value, true
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
