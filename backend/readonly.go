package backend

import (
	"context"
	"errors"
	"fmt"

	"xvirsh/sexpr"
)

// ErrForbidden is a change asked of a read-only connection.
var ErrForbidden = errors.New("operation forbidden")

// forbidden is libvirt's refusal on a read-only connection, naming the
// API the change would have called: "operation forbidden: read only
// access prevents virDomainDestroy" (virsh -r).
func forbidden(api string) error {
	return &kindError{fmt.Sprintf("operation forbidden: read only access prevents %s", api), ErrForbidden}
}

// ReadOnly returns b as virsh -r sees its connection: every read passes
// through, every change is refused with libvirt's message before anything
// reaches the host. It is the one place that decides what a read-only
// connection may do; an extension interface (PausedCreator...) that
// changes the host must be refused here too, or a type assertion on the
// wrapper finds it missing and the command says "unsupported".
func ReadOnly(b Backend) Backend {
	if _, ok := b.(*readOnly); ok {
		return b
	}
	return &readOnly{b}
}

// IsReadOnly reports whether b is a read-only connection.
func IsReadOnly(b Backend) bool {
	_, ok := b.(*readOnly)
	return ok
}

// AllowSecure refuses, on a read-only connection, what libvirt calls the
// secure XML (dumpxml --security-info, edit): it holds passwords.
func AllowSecure(b Backend) error {
	if IsReadOnly(b) {
		return &kindError{"operation forbidden: virDomainGetXMLDesc with secure flag", ErrForbidden}
	}
	return nil
}

// AllowChange refuses, on a read-only connection, a change that is not a
// Backend method (a console session, virDomainOpenConsole), with the
// same words as every other refusal.
func AllowChange(b Backend, api string) error {
	if IsReadOnly(b) {
		return forbidden(api)
	}
	return nil
}

// readOnly embeds no Backend on purpose: a method added to Backend must
// be given here, and so decided, or the build fails.
type readOnly struct{ b Backend }

func (r *readOnly) URI() string                                   { return r.b.URI() }
func (r *readOnly) ConfigFormat(ctx context.Context) (int, error) { return r.b.ConfigFormat(ctx) }
func (r *readOnly) Version(ctx context.Context) (string, error)   { return r.b.Version(ctx) }
func (r *readOnly) NodeInfo(ctx context.Context) (NodeInfo, error) {
	return r.b.NodeInfo(ctx)
}
func (r *readOnly) List(ctx context.Context, f ListFilter) ([]Domain, error) {
	return r.b.List(ctx, f)
}
func (r *readOnly) Lookup(ctx context.Context, ref string) (Domain, error) {
	return r.b.Lookup(ctx, ref)
}
func (r *readOnly) XML(ctx context.Context, ref string, inactive bool) (string, error) {
	return r.b.XML(ctx, ref, inactive)
}
func (r *readOnly) Sexpr(ctx context.Context, ref string) (*sexpr.Node, error) {
	return r.b.Sexpr(ctx, ref)
}
func (r *readOnly) Close() error { return r.b.Close() }

func (r *readOnly) Define(context.Context, []byte) (Domain, error) {
	return Domain{}, forbidden("virDomainDefineXML")
}
func (r *readOnly) Create(context.Context, []byte) (Domain, error) {
	return Domain{}, forbidden("virDomainCreateXML")
}
func (r *readOnly) CreatePaused(context.Context, []byte) (Domain, error) {
	return Domain{}, forbidden("virDomainCreateXML")
}
func (r *readOnly) Undefine(context.Context, string) error {
	return forbidden("virDomainUndefineFlags")
}
func (r *readOnly) Start(context.Context, string) error    { return forbidden("virDomainCreate") }
func (r *readOnly) Destroy(context.Context, string) error  { return forbidden("virDomainDestroy") }
func (r *readOnly) Shutdown(context.Context, string) error { return forbidden("virDomainShutdown") }
func (r *readOnly) Reboot(context.Context, string) error   { return forbidden("virDomainReboot") }
func (r *readOnly) Suspend(context.Context, string) error  { return forbidden("virDomainSuspend") }
func (r *readOnly) Resume(context.Context, string) error   { return forbidden("virDomainResume") }
func (r *readOnly) SetMemory(context.Context, string, uint64) error {
	return forbidden("virDomainSetMemoryFlags")
}
func (r *readOnly) SetMaxMemory(context.Context, string, uint64) error {
	return forbidden("virDomainSetMemoryFlags")
}
func (r *readOnly) SetVCPUs(context.Context, string, int) error {
	return forbidden("virDomainSetVcpus")
}

func (r *readOnly) HostInfo(ctx context.Context) (HostInfo, error) { return HostInfoOf(ctx, r.b) }

// Manager: reads pass through, changes are refused with the API virsh
// would have called.
func (r *readOnly) VCPUs(ctx context.Context, ref string) ([]VCPU, error) { return r.b.VCPUs(ctx, ref) }
func (r *readOnly) Sched(ctx context.Context, ref string) (Sched, error)  { return r.b.Sched(ctx, ref) }
func (r *readOnly) PinVCPU(context.Context, string, int, []int) error {
	return forbidden("virDomainPinVcpu")
}
func (r *readOnly) SetSched(context.Context, string, *int, *int) error {
	return forbidden("virDomainSetSchedulerParameters")
}
func (r *readOnly) Save(context.Context, string, string) error { return forbidden("virDomainSave") }
func (r *readOnly) Restore(context.Context, string) error      { return forbidden("virDomainRestore") }
func (r *readOnly) CoreDump(context.Context, string, string, DumpFlags) error {
	return forbidden("virDomainCoreDump")
}
func (r *readOnly) Migrate(context.Context, string, string, bool) error {
	return forbidden("virDomainMigrate3")
}
func (r *readOnly) SetAutostart(context.Context, string, bool) error {
	return forbidden("virDomainSetAutostart")
}
func (r *readOnly) Reset(context.Context, string) error { return forbidden("virDomainReset") }
func (r *readOnly) Rename(context.Context, string, string) error {
	return forbidden("virDomainRename")
}
func (r *readOnly) Sysrq(context.Context, string, byte) error { return forbidden("virDomainSendKey") }
func (r *readOnly) StartPaused(context.Context, string) error {
	return forbidden("virDomainCreateWithFlags")
}
