package backend

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"

	"xvirsh/backend/xendrules"
	"xvirsh/sexpr"
	"xvirsh/xmlconv"
)

// DeviceFlags say which config a device change goes to, as libvirt's
// VIR_DOMAIN_AFFECT_* flags: none (current) means the running domain if
// it runs, else its definition.
type DeviceFlags int

const (
	DeviceLive DeviceFlags = 1 << iota
	DeviceConfig
)

// DeviceChanger is a Backend that hot-plugs devices, given as one device
// element of domain XML (<disk>, <interface>, …), with xend's
// device_create, device_destroy and device_configure.
type DeviceChanger interface {
	AttachDevice(ctx context.Context, ref string, xml []byte, flags DeviceFlags) error
	DetachDevice(ctx context.Context, ref string, xml []byte, flags DeviceFlags) error
	UpdateDevice(ctx context.Context, ref string, xml []byte, flags DeviceFlags) error
}

var (
	_ DeviceChanger = (*domains)(nil)
	_ DeviceChanger = (*readOnly)(nil)
)

// deviceTarget resolves ref and checks flags against what xend can do,
// with the libvirt xend driver's rules and words: xend before format 3
// changes only the running domain; from format 3 on, a running domain's
// live domain and definition change together (xend keeps one config),
// a halted one's definition alone. No flags mean the current state,
// widened to live+config on a running format-3 host as libvirt's
// virDomainAttachDevice did.
func (b *domains) deviceTarget(ctx context.Context, ref string, flags DeviceFlags) (Domain, *sexpr.Node, int, error) {
	rec, err := b.record(ctx, ref)
	if err != nil {
		return Domain{}, nil, 0, err
	}
	d, err := summary(rec)
	if err != nil {
		return Domain{}, nil, 0, err
	}
	f, err := b.ConfigFormat(ctx)
	if err != nil {
		return Domain{}, nil, 0, err
	}
	active := d.State.Active()
	if flags == 0 {
		flags = DeviceConfig
		if active {
			flags = DeviceLive
			if f >= 3 {
				flags |= DeviceConfig
			}
		}
	}
	switch {
	case !active && flags&DeviceLive != 0:
		return d, nil, 0, invalid("Cannot modify live config if domain is inactive")
	case f < 3 && flags&DeviceConfig != 0:
		return d, nil, 0, invalid("Xend version does not support modifying persistent config")
	case active && f >= 3 && flags != DeviceLive|DeviceConfig:
		return d, nil, 0, invalid("Xend only supports modifying both live and persistent config")
	}
	return d, rec, f, nil
}

// deviceBody converts one device element to the body xend takes, the
// (vbd …) without its (device …) wrapper (xend-protocol.md §4.5).
func deviceBody(xml []byte, d Domain, format int) (*sexpr.Node, error) {
	n, err := xmlconv.DeviceToSexpr(xml, d.OSType == "hvm", format)
	if err != nil {
		return nil, err
	}
	if n.Head() == "device" && len(n.Kids) == 2 {
		n = n.Kids[1]
	}
	return n, nil
}

func (b *domains) AttachDevice(ctx context.Context, ref string, xml []byte, flags DeviceFlags) error {
	d, _, f, err := b.deviceTarget(ctx, ref, flags)
	if err != nil {
		return err
	}
	body, err := deviceBody(xml, d, f)
	if err != nil {
		return err
	}
	if body.Head() == "pci" {
		// A PCI hot-plug asks xend to bring the device up
		// (xend-protocol.md §3, detach PCI row).
		body.Append(sexpr.KV("state", "Initialising"))
	}
	return b.x.Op(ctx, d.Name, "device_create", url.Values{"config": {body.String()}})
}

// DetachDevice sends device_destroy for the device of the record that
// the XML names: a disk by its target's device number, an interface by
// its MAC (as libvirt found both in xenstore). A disk not there is for
// xend to refuse, in its words.
func (b *domains) DetachDevice(ctx context.Context, ref string, xml []byte, flags DeviceFlags) error {
	d, rec, f, err := b.deviceTarget(ctx, ref, flags)
	if err != nil {
		return err
	}
	body, err := deviceBody(xml, d, f)
	if err != nil {
		return inImage(err, "detach")
	}
	class := body.Head()
	var devid string
	switch class {
	case "vbd", "tap", "tap2":
		n, err := xendrules.DiskDevID(body.Get("dev"))
		if err != nil {
			return fmt.Errorf("invalid argument: %v", err)
		}
		devid = strconv.Itoa(n)
	case "vif":
		n, err := vifDevID(rec, body.Get("mac"))
		if err != nil {
			return err
		}
		devid = strconv.Itoa(n)
	default:
		return unsupported("xend cannot detach a (%s …) device", class)
	}
	return b.x.Op(ctx, d.Name, "device_destroy", url.Values{
		"type": {class}, "dev": {devid}, "force": {"0"}, "rm_cfg": {"1"},
	})
}

// inImage words the converter's refusal of an HVM floppy, or of a format
// 1 cdrom, for a detach or a change: xend keeps those in the image, (fda
// …) and (cdrom …), and has no op that changes them on a running guest.
func inImage(err error, what string) error {
	if errors.Is(err, xmlconv.ErrInvalidArg) {
		return unsupported("xend keeps an HVM guest's floppies (and, before Xen 3.0.3, its cdrom) in its image and cannot %s them on a running guest", what)
	}
	return err
}

// vifDevID finds the devid of the record's vif with this MAC (any case),
// or of its only vif when mac is empty: the vif's own (devid N), else its
// place among the vifs, as xend numbers them from 0.
func vifDevID(rec *sexpr.Node, mac string) (int, error) {
	var vifs []*sexpr.Node
	for _, dev := range rec.Children("device") {
		if v := dev.Child("vif"); v != nil {
			vifs = append(vifs, v)
		}
	}
	for i, v := range vifs {
		if (mac == "" && len(vifs) == 1) || (mac != "" && equalFoldASCII(v.Get("mac"), mac)) {
			if n, err := strconv.Atoi(v.Get("devid")); err == nil {
				return n, nil
			}
			return i, nil
		}
	}
	if mac == "" {
		return 0, &kindError{"operation failed: the domain has several interfaces; name one by its MAC address", ErrInvalidState}
	}
	return 0, &kindError{fmt.Sprintf("operation failed: no interface with MAC address %s found", mac), ErrNotFound}
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i]|0x20, b[i]|0x20
		if x != y {
			return false
		}
	}
	return true
}

// UpdateDevice sends device_configure, which xend allows for a read-only
// cdrom only: a new ISO, or none to eject (xend-protocol.md §3).
func (b *domains) UpdateDevice(ctx context.Context, ref string, xml []byte, flags DeviceFlags) error {
	d, _, f, err := b.deviceTarget(ctx, ref, flags)
	if err != nil {
		return err
	}
	body, err := deviceBody(xml, d, f)
	if err != nil {
		return inImage(err, "change")
	}
	switch body.Head() {
	case "vbd", "tap", "tap2":
	default:
		return unsupported("xend can only update a disk, not a (%s …) device", body.Head())
	}
	n, err := xendrules.DiskDevID(body.Get("dev"))
	if err != nil {
		return fmt.Errorf("invalid argument: %v", err)
	}
	return b.x.Op(ctx, d.Name, "device_configure", url.Values{"config": {body.String()}, "dev": {strconv.Itoa(n)}})
}
