package fake

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"xvirsh/backend"
	"xvirsh/backend/xendrules"
	"xvirsh/sexpr"
)

// Op is POST /xend/domain/REF with op=OP: the domain is resolved first (an
// unknown one is a 404 whatever the op), then the op runs, with xend's
// checks and messages.
func (h *Host) Op(ctx context.Context, ref, op string, f url.Values) error {
	if op == "migrate" {
		return h.migrate(ctx, ref, f) // talks to another xend: see manage.go
	}
	return h.do(ctx, true, func(now time.Time) error {
		d := h.find(ref)
		if d == nil {
			if b := h.findBroken(ref); b != nil && h.format >= 3 {
				return h.brokenOp(b, op)
			}
			return noSuchDomain(ref)
		}
		o, ok := xendrules.Lookup(xendrules.DomainOps, op, h.format)
		if !ok {
			return notImplemented(op)
		}
		f = cloneForm(f)
		if err := xendrules.CheckForm(o, f); err != nil {
			return errorf(nil, "%s", err)
		}
		switch op {
		case "start":
			return h.opStart(d, now)
		case "destroy":
			if err := refuseDom0(d, "destroy"); err != nil {
				return err
			}
			if !d.running() {
				return notRunning(d.name)
			}
			h.halt(d)
			return nil
		case "shutdown":
			return h.opShutdown(d, f, now)
		case "pause", "unpause":
			return h.opPause(d, op == "pause", now)
		case "delete":
			return h.opDelete(d)
		case "wait_for_devices":
			if !d.running() {
				return notRunning(d.name)
			}
			return nil
		case "mem_target_set":
			return h.opMemory(d, f, "target")
		case "maxmem_set":
			return h.opMemory(d, f, "memory")
		case "set_vcpus":
			return h.opVCPUs(d, f)
		case "device_create":
			return h.opDeviceCreate(d, f)
		case "device_destroy":
			return h.opDeviceDestroy(d, f)
		case "device_configure":
			return h.opDeviceConfigure(d, f)
		}
		if handled, err := h.manageOp(d, op, f, now); handled {
			return err
		}
		// An op xend has but the fake does not model: xend would do it,
		// so this is a refusal of the fake's own, not xend's 501.
		return errorf(backend.ErrUnsupported, "The fake host does not model op=%s", op)
	})
}

func cloneForm(f url.Values) url.Values {
	c := make(url.Values, len(f))
	for k, v := range f {
		c[k] = append([]string(nil), v...)
	}
	return c
}

func refuseDom0(d *dom, what string) error {
	if d.dom0 {
		return errorf(backend.ErrInvalidState, "Cannot %s privileged domain 0", what)
	}
	return nil
}

// guestUp refuses to "what" a domain that has no guest running in it:
// Domain-0, a halted domain, one kept after shutting down (preserve).
func guestUp(d *dom, what string) error {
	if err := refuseDom0(d, what); err != nil {
		return err
	}
	if !d.running() {
		return notRunning(d.name)
	}
	if d.preserved {
		return errorf(backend.ErrInvalidState, "Domain '%s' is already shut down", d.name)
	}
	return nil
}

func (h *Host) opStart(d *dom, now time.Time) error {
	if d.running() {
		return errorf(backend.ErrInvalidState, "Domain is already running")
	}
	if err := bootable(d.persist); err != nil {
		return err
	}
	if err := memoryFits(d.persist, true); err != nil {
		return err
	}
	d.live = d.persist.Clone()
	h.boot(d, now, false)
	return nil
}

// shutdownAction is the config key naming what happens after a shutdown
// for reason, false for a reason xend does not know. A "suspend" has
// nowhere to save the guest in the fake, so the guest just halts. A
// switch, where a map would be built at every start-up.
func shutdownAction(reason string) (key string, ok bool) {
	switch reason {
	case "poweroff", "halt":
		return "on_poweroff", true
	case "reboot":
		return "on_reboot", true
	case "suspend":
		return "", true
	}
	return "", false
}

// opShutdown asks the guest to shut down. The fake's guests obey at once,
// so the on_poweroff / on_reboot action runs before the op returns.
func (h *Host) opShutdown(d *dom, f url.Values, now time.Time) error {
	reason := f.Get("reason") // read directly by xend: the first value
	key, ok := shutdownAction(reason)
	if !ok {
		return errorf(nil, "%s", xendrules.InvalidReason(reason))
	}
	if err := guestUp(d, "shutdown"); err != nil {
		return err
	}
	action := "destroy"
	if key != "" {
		action = d.config().Get(key)
	}
	switch action {
	case "restart", "rename-restart", "coredump-restart":
		if d.persist != nil {
			d.live = d.persist.Clone()
		}
		h.boot(d, now, false)
	case "preserve":
		d.stopClock(now)
		d.preserved, d.paused = true, false
		// The hypervisor keeps the guest's shutdown code, which xend
		// 3.0.x prints by name (§4.1); it is the one that chose the
		// action: poweroff for on_poweroff (a halt included), reboot for
		// on_reboot.
		d.shutdownReason = strings.TrimPrefix(key, "on_")
		h.runtimeDirty = true
	default: // destroy, coredump-destroy, and xend's default for poweroff
		if key == "on_reboot" && action == "" {
			h.boot(d, now, false) // xend's default on_reboot is restart
			return nil
		}
		h.halt(d)
	}
	return nil
}

func (h *Host) opPause(d *dom, pause bool, now time.Time) error {
	what := "unpause"
	if pause {
		what = "pause"
	}
	if err := guestUp(d, what); err != nil {
		return err
	}
	if d.paused == pause {
		return nil // xend pauses a paused domain without complaint
	}
	if pause {
		d.stopClock(now)
	} else {
		d.runSince = now
	}
	d.paused = pause
	h.runtimeDirty = true
	return nil
}

func (h *Host) opDelete(d *dom) error {
	if err := refuseDom0(d, "delete"); err != nil {
		return err
	}
	if d.running() {
		return errorf(backend.ErrInvalidState, "%s", xendrules.NotHalted)
	}
	if err := h.removeConfig(d); err != nil {
		return err
	}
	h.dropDom(d)
	return nil
}

// opMemory is mem_target_set (the balloon target, field "target") and
// maxmem_set (the ceiling, field "memory"), both in MiB. A managed domain
// keeps the change in its definition too, as xend saves its config.
func (h *Host) opMemory(d *dom, f url.Values, field string) error {
	mib, err := strconv.Atoi(f.Get(field)) // CheckForm made it decimal
	if err != nil {
		return errorf(nil, "%s", err)
	}
	if mib < 1 {
		return errorf(nil, "Invalid memory size: %d MiB", mib)
	}
	if d.dom0 && field == "memory" {
		return errorf(backend.ErrInvalidState, "Cannot change the maximum memory of privileged domain 0")
	}
	maxmem, _ := strconv.Atoi(d.config().Get("maxmem"))
	if field == "target" && mib > maxmem {
		return errorf(nil, "memory_dynamic_max must be less than or equal to memory_static_max")
	}
	return h.edit(d, func(cfg *sexpr.Node) {
		if field == "target" {
			cfg.Set("memory", strconv.Itoa(mib))
			return
		}
		cfg.Set("maxmem", strconv.Itoa(mib))
		if cur, _ := strconv.Atoi(cfg.Get("memory")); cur > mib {
			cfg.Set("memory", strconv.Itoa(mib))
		}
	})
}

// opVCPUs is set_vcpus: a running domain brings VCPUs on- and offline
// within its maximum (vcpu_avail); a halted one gets a new maximum.
func (h *Host) opVCPUs(d *dom, f url.Values) error {
	n, err := strconv.Atoi(f.Get("vcpus"))
	if err != nil {
		return errorf(nil, "%s", err)
	}
	if n < 1 {
		return errorf(nil, "Invalid VCPUs value: %d", n)
	}
	running := d.running()
	max, _ := strconv.Atoi(d.config().Get("vcpus"))
	if running && n > max {
		return errorf(nil, "Cannot set vcpus greater than max vcpus on running domain")
	}
	return h.edit(d, func(cfg *sexpr.Node) {
		if !running {
			cfg.Set("vcpus", strconv.Itoa(n))
			cfg.Delete("vcpu_avail")
			return
		}
		if cur, _ := strconv.Atoi(cfg.Get("vcpus")); n >= cur {
			cfg.Delete("vcpu_avail")
			return
		}
		cfg.Set("vcpu_avail", strconv.FormatUint(1<<uint(n)-1, 10))
	})
}

// edit applies fn to the live config and to the definition, and saves
// whichever changed.
func (h *Host) edit(d *dom, fn func(cfg *sexpr.Node)) error {
	if d.live != nil {
		fn(d.live)
		h.runtimeDirty = true
	}
	if d.persist != nil {
		old := d.persist.Clone()
		fn(d.persist)
		if err := h.saveConfig(d); err != nil {
			d.persist = old
			return err
		}
	}
	return nil
}

func removeDom(doms []*dom, d *dom) []*dom {
	out := doms[:0]
	for _, x := range doms {
		if x != d {
			out = append(out, x)
		}
	}
	return out
}
