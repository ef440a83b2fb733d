// Package backend defines what the commands need from a Xen host, in domain
// terms (Backend), and what a host speaks underneath, in xend's own terms
// (Xend). Two things implement Xend: the in-memory fake host and the HTTP
// client of a real xend. One adapter (Domains) turns any Xend into a Backend,
// so every create and dumpxml goes through the converter in both directions,
// whichever host sits underneath.
package backend

import (
	"context"
	"errors"
	"net/url"
	"time"

	"xvirsh/sexpr"
	"xvirsh/xmlconv"
)

// Errors a caller can test with errors.Is. Backends wrap them with the domain
// name or the xend message for context.
var (
	ErrNotFound     = errors.New("domain not found")
	ErrExists       = errors.New("domain already exists")
	ErrInvalidState = errors.New("operation invalid in the domain's state")
	ErrUnsupported  = errors.New("operation not supported")
	// ErrBroken is a domain the host knows by its UUID but whose record
	// it cannot read; undefine is the one thing that still works on it.
	ErrBroken = errors.New("unreadable domain record")
)

// State is a domain's run state, with virsh's names.
type State int

const (
	StateNoState State = iota
	StateRunning
	StateBlocked
	StatePaused
	StateShutdown // shutting down
	StateShutoff
	StateCrashed
	StateDying
)

// String gives the words virsh prints in `list` and `domstate`.
func (s State) String() string {
	switch s {
	case StateRunning:
		return "running"
	case StateBlocked:
		return "idle"
	case StatePaused:
		return "paused"
	case StateShutdown:
		return "in shutdown"
	case StateShutoff:
		return "shut off"
	case StateCrashed:
		return "crashed"
	case StateDying:
		return "dying"
	}
	return "no state"
}

// Active reports whether a domain in this state has a domid.
func (s State) Active() bool { return s != StateShutoff && s != StateNoState }

// Domain is the summary of one domain, as list, dominfo and the domain
// lookups need it.
type Domain struct {
	ID         int // -1 when inactive
	Name       string
	UUID       string // canonical 8-4-4-4-12 lowercase
	State      State
	OSType     string // "linux" (PV) or "hvm"
	MaxMemKiB  uint64
	MemoryKiB  uint64
	VCPUs      int
	CPUTime    time.Duration
	Persistent bool
	Autostart  bool
}

// Ref is what addresses d in the Backend's calls once it has been looked
// up: its UUID, which no rename or numeric name makes ambiguous, when its
// record holds a well-formed one; its name otherwise (a record without a
// UUID, or with one that does not read as a UUID, is still a domain xend
// holds, and reached by its name). A UUID that two domains share is
// refused by the call rather than taken for either (see domains.record).
func (d Domain) Ref() string {
	if xmlconv.IsCanonicalUUID(d.UUID) {
		return d.UUID
	}
	return d.Name
}

// ListFilter selects domains by activity, like virsh list's flags, and
// says how much of each the caller reads.
type ListFilter int

const (
	ListActive ListFilter = 1 << iota
	ListInactive
	// ListBrief says the caller reads no more of a domain than its ID,
	// Name, State and Persistent (virsh list's table), and ListUUID that
	// it reads its UUID too; the other fields may be left zero. xend
	// names its domains by state without a record, and a record is one
	// request per domain that is not running (xend-protocol.md §2.1).
	ListBrief
	ListUUID
	ListAll = ListActive | ListInactive
)

// NodeInfo is what `nodeinfo` prints.
type NodeInfo struct {
	Model     string // e.g. "x86_64"
	CPUs      int
	MHz       int
	Nodes     int
	Sockets   int // per node
	Cores     int // per socket
	Threads   int // per core
	MemoryKiB uint64
}

// Backend is what the commands use. DOMAIN arguments (ref) are a name, an
// id or a UUID, resolved the way virsh does: id first when the text is a
// number, then UUID, then name.
type Backend interface {
	URI() string
	// ConfigFormat is the xend_config_format the host reports (1..4).
	ConfigFormat(ctx context.Context) (int, error)
	// Version is the hypervisor version, e.g. "3.4.0".
	Version(ctx context.Context) (string, error)
	NodeInfo(ctx context.Context) (NodeInfo, error)

	List(ctx context.Context, filter ListFilter) ([]Domain, error)
	Lookup(ctx context.Context, ref string) (Domain, error)
	// XML is the libvirt domain XML (dumpxml); inactive asks for the
	// persistent definition rather than the live one.
	XML(ctx context.Context, ref string, inactive bool) (string, error)
	// Sexpr is the raw (domain ...) record xend holds (dumpsxp).
	Sexpr(ctx context.Context, ref string) (*sexpr.Node, error)

	// Define and Create take libvirt domain XML.
	Define(ctx context.Context, xml []byte) (Domain, error)
	Create(ctx context.Context, xml []byte) (Domain, error)
	Undefine(ctx context.Context, ref string) error

	Start(ctx context.Context, ref string) error
	Destroy(ctx context.Context, ref string) error
	Shutdown(ctx context.Context, ref string) error
	Reboot(ctx context.Context, ref string) error
	Suspend(ctx context.Context, ref string) error
	Resume(ctx context.Context, ref string) error

	SetMemory(ctx context.Context, ref string, kib uint64) error
	SetMaxMemory(ctx context.Context, ref string, kib uint64) error
	SetVCPUs(ctx context.Context, ref string, n int) error

	// Manager holds the rest of the operator's set: vCPU and scheduler
	// views, save/restore, dump, migrate, autostart (manage.go).
	Manager

	Close() error
}

// PausedCreator is a Backend that can leave a new domain paused, as
// virsh's create --paused asks: xend creates every domain paused, and the
// unpause is simply not sent.
type PausedCreator interface {
	CreatePaused(ctx context.Context, xml []byte) (Domain, error)
}

// Xend is a host in xend's own terms: S-expressions in and out, the
// operations of xend's HTTP API (../shared/spec/xend-protocol.md §2-3).
// The fake host implements it in memory; backend/xend implements it over
// HTTP; the simulator serves any Xend over HTTP.
type Xend interface {
	// Node is GET /xend/node/: the (node ...) record, with
	// xend_config_format among its fields.
	Node(ctx context.Context) (*sexpr.Node, error)
	// DomainNames is GET /xend/domain?state=STATE: names, sorted, as xend
	// selects them (xend-protocol.md §2.1, xendrules). xend 3.1 and later
	// (config format >= 3) list the domains in that power state: running,
	// paused, halted, suspended, crashed, or all ("running" is what a
	// plain GET means); xend 3.0.x ignores state and lists every live
	// domain.
	DomainNames(ctx context.Context, state string) ([]string, error)
	// Domains is GET /xend/domain?detail=1, the items of xend's reply:
	// on xend 3.1 and later the (domain …) records of the running domains
	// only (paused, halted and crashed ones are missing, and ?state= would
	// not change that); xend 3.0.x ignores detail and answers with the
	// names of every live domain, as atoms.
	Domains(ctx context.Context) ([]*sexpr.Node, error)
	// Domain is GET /xend/domain/REF?detail=1; REF is a name, a domid or
	// a UUID. A missing domain is an error wrapping ErrNotFound.
	Domain(ctx context.Context, ref string) (*sexpr.Node, error)
	// Create is POST /xend/domain op=create config=(vm ...): start a new
	// domain from a config.
	Create(ctx context.Context, config *sexpr.Node) error
	// New is POST /xend/domain op=new config=(vm ...): define without
	// starting (format >= 3).
	New(ctx context.Context, config *sexpr.Node) error
	// Op is POST /xend/domain/REF op=OP with the extra form fields, e.g.
	// op=start, op=destroy, op=shutdown (reason=poweroff), op=pause,
	// op=unpause, op=delete, op=mem_target_set (target=MiB),
	// op=maxmem_set (memory=MiB), op=set_vcpus (vcpus=N).
	Op(ctx context.Context, ref, op string, form url.Values) error
	// VCPUInfo is GET /xend/domain/REF?op=vcpuinfo: the (domain … (vcpu
	// …)…) answer of xend-protocol.md §2.4.
	VCPUInfo(ctx context.Context, ref string) (*sexpr.Node, error)
	// Restore is POST /xend/domain/ op=restore file=PATH: bring back a
	// domain that op=save wrote to PATH on the xend host.
	Restore(ctx context.Context, file string) error
	Close() error
}

// BulkXend is a Xend that can hand over every domain's record in one call,
// as the in-process fake host can. xend itself cannot: its detail listing
// leaves out every domain that is not running (xend-protocol.md §2.1), so
// over HTTP the records of the others are fetched one by one. A host in a
// directory reloads it at every call, which makes one call per domain
// dear; hence this shortcut.
type BulkXend interface {
	Xend
	// AllDomains is the (domain …) record of every domain xend would
	// list with ?state=all.
	AllDomains(ctx context.Context) ([]*sexpr.Node, error)
}
