package commands

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/beevik/etree"

	"xvirsh/backend"
)

// The device commands: one device element of domain XML goes to the
// backend, which converts it with the converter's per-device entry point
// and sends xend's device_create, device_destroy or device_configure.

func devicesCommands() []*Command {
	return []*Command{
		{
			Name: "attach-device", Group: groupDomain, Flags: Changes,
			Summary:     "attach device from an XML file",
			Description: "Attach device from an XML <file>.",
			Opts: append([]Opt{domainOpt("domain name, id or uuid", notDom0),
				fileOpt("file", "XML file")}, persistOpts(true)...),
			Run: func(ctx context.Context, inv *Invocation) error {
				return fromDeviceFile(ctx, inv, "attach", "attached", changer.AttachDevice)
			},
		},
		{
			Name: "detach-device", Group: groupDomain, Flags: Changes,
			Summary:     "detach device from an XML file",
			Description: "Detach device from an XML <file>",
			Opts: append([]Opt{domainOpt("domain name, id or uuid", notDom0),
				fileOpt("file", "XML file")}, persistOpts(true)...),
			Run: func(ctx context.Context, inv *Invocation) error {
				return fromDeviceFile(ctx, inv, "detach", "detached", changer.DetachDevice)
			},
		},
		{
			Name: "update-device", Group: groupDomain, Flags: Changes,
			Summary:     "update device from an XML file",
			Description: "Update device from an XML <file>.",
			Opts: append([]Opt{domainOpt("domain name, id or uuid", notDom0),
				fileOpt("file", "XML file"),
				{Name: "force", Kind: KindBool, Help: "force device update"}}, persistOpts(true)...),
			Run: func(ctx context.Context, inv *Invocation) error {
				return fromDeviceFile(ctx, inv, "update", "updated", changer.UpdateDevice)
			},
		},
		{
			Name: "attach-disk", Group: groupDomain, Flags: Changes,
			Summary:     "attach disk device",
			Description: "Attach new disk device.",
			Opts: append([]Opt{domainOpt("domain name, id or uuid", notDom0),
				{Name: "source", Kind: KindString, Required: true, Positional: true, Help: "source of disk device", Complete: completeFile},
				{Name: "target", Kind: KindString, Required: true, Positional: true, Help: "target of disk device", NoComplete: true},
				{Name: "driver", Kind: KindString, Help: "driver of disk device", Complete: completeWords("file", "phy", "tap", "tap2")},
				{Name: "subdriver", Kind: KindString, Help: "subdriver of disk device", Complete: completeWords("raw", "aio", "qcow", "qcow2", "vmdk")},
				{Name: "type", Kind: KindString, Help: "target device type", Complete: completeWords("disk", "cdrom", "floppy")},
				{Name: "mode", Kind: KindString, Help: "mode of device reading and writing", Complete: completeWords("readonly", "shareable")},
				{Name: "sourcetype", Kind: KindString, Help: "type of source (block|file)", Complete: completeWords("file", "block")},
				{Name: "print-xml", Kind: KindBool, Help: "print XML document rather than attach the disk"},
			}, persistOpts(true)...),
			Run: runAttachDisk,
		},
		{
			Name: "detach-disk", Group: groupDomain, Flags: Changes,
			Summary:     "detach disk device",
			Description: "Detach disk device.",
			Opts: append([]Opt{domainOpt("domain name, id or uuid", notDom0),
				{Name: "target", Kind: KindString, Required: true, Positional: true, Help: "target of disk device", NoComplete: true},
			}, persistOpts(true)...),
			Run: runDetachDisk,
		},
		{
			Name: "attach-interface", Group: groupDomain, Flags: Changes,
			Summary:     "attach network interface",
			Description: "Attach new network interface.",
			Opts: append([]Opt{domainOpt("domain name, id or uuid", notDom0),
				{Name: "type", Kind: KindString, Required: true, Positional: true, Help: "network interface type", Complete: completeWords("bridge", "ethernet")},
				{Name: "source", Kind: KindString, Required: true, Positional: true, Help: "source of network interface", NoComplete: true},
				{Name: "target", Kind: KindString, Help: "target network name", NoComplete: true},
				{Name: "mac", Kind: KindString, Help: "MAC address", NoComplete: true},
				{Name: "script", Kind: KindString, Help: "script used to bridge network interface", Complete: completeFile},
				{Name: "model", Kind: KindString, Help: "model type", Complete: completeWords("rtl8139", "e1000", "ne2k_pci", "pcnet", "netfront")},
				{Name: "print-xml", Kind: KindBool, Help: "print XML document rather than attach the interface"},
			}, persistOpts(true)...),
			Run: runAttachInterface,
		},
		{
			Name: "detach-interface", Group: groupDomain, Flags: Changes,
			Summary:     "detach network interface",
			Description: "Detach network interface.",
			Opts: append([]Opt{domainOpt("domain name, id or uuid", notDom0),
				{Name: "type", Kind: KindString, Required: true, Positional: true, Help: "network interface type", Complete: completeWords("bridge", "ethernet")},
				{Name: "mac", Kind: KindString, Help: "MAC address", NoComplete: true},
			}, persistOpts(true)...),
			Run: runDetachInterface,
		},
		{
			Name: "change-media", Group: groupDomain, Flags: Changes,
			Summary:     "Change media of CD or floppy drive",
			Description: "Change media of CD or floppy drive.",
			Opts: append([]Opt{domainOpt("domain name, id or uuid", notDom0),
				{Name: "path", Kind: KindString, Required: true, Positional: true, Help: "Fully-qualified path or target of disk device", NoComplete: true},
				{Name: "source", Kind: KindString, Positional: true, Help: "source of the media", Complete: completeFile},
				{Name: "eject", Kind: KindBool, Help: "Eject the media"},
				{Name: "insert", Kind: KindBool, Help: "Insert the media"},
				{Name: "update", Kind: KindBool, Help: "Update the media"},
				{Name: "force", Kind: KindBool, Help: "force media changing"},
				{Name: "print-xml", Kind: KindBool, Help: "print XML document rather than change media"},
				{Name: "block", Kind: KindBool, Help: "source media is a block device"},
			}, persistOpts(false)...),
			Run: runChangeMedia,
		},
	}
}

// changer is the method set the device commands call.
var changer = struct {
	AttachDevice, DetachDevice, UpdateDevice func(backend.DeviceChanger, context.Context, string, []byte, backend.DeviceFlags) error
}{backend.DeviceChanger.AttachDevice, backend.DeviceChanger.DetachDevice, backend.DeviceChanger.UpdateDevice}

// persistOpts are virsh's --persistent (attach and detach only),
// --config, --live and --current.
func persistOpts(persistent bool) []Opt {
	var o []Opt
	if persistent {
		o = append(o, Opt{Name: "persistent", Kind: KindBool, Help: "make live change persistent"})
	}
	return append(o,
		Opt{Name: "config", Kind: KindBool, Help: "affect next boot"},
		Opt{Name: "live", Kind: KindBool, Help: "affect running domain"},
		Opt{Name: "current", Kind: KindBool, Help: "affect current domain"})
}

// deviceFlags reads the flags as virsh does: --current excludes --live
// and --config; --persistent means the config, and the live domain too
// when it runs.
func deviceFlags(inv *Invocation, d backend.Domain) (backend.DeviceFlags, error) {
	pairs := [][2]string{{"current", "live"}, {"current", "config"}}
	if inv.Cmd.Opt("persistent") != nil {
		pairs = append(pairs, [2]string{"persistent", "current"})
	}
	for _, p := range pairs {
		if err := inv.Exclusive(p[0], p[1]); err != nil {
			return 0, err
		}
	}
	var f backend.DeviceFlags
	persistent := inv.Cmd.Opt("persistent") != nil && inv.Bool("persistent")
	if inv.Bool("config") || persistent {
		f |= backend.DeviceConfig
	}
	if inv.Bool("live") || (persistent && d.State.Active()) {
		f |= backend.DeviceLive
	}
	return f, nil
}

// devTarget resolves the domain, its flags and the backend's device
// methods.
func devTarget(ctx context.Context, inv *Invocation) (backend.Domain, backend.DeviceFlags, backend.DeviceChanger, error) {
	d, err := inv.domain(ctx)
	if err != nil {
		return d, 0, nil, err
	}
	f, err := deviceFlags(inv, d)
	if err != nil {
		return d, 0, nil, err
	}
	dc, ok := inv.Backend.(backend.DeviceChanger)
	if !ok {
		return d, 0, nil, errorf("this connection cannot change devices")
	}
	return d, f, dc, nil
}

type deviceOp func(backend.DeviceChanger, context.Context, string, []byte, backend.DeviceFlags) error

func fromDeviceFile(ctx context.Context, inv *Invocation, verb, done string, op deviceOp) error {
	d, f, dc, err := devTarget(ctx, inv)
	if err != nil {
		return err
	}
	file := inv.String("file")
	data, err := readInput(inv, file)
	if err != nil {
		return err
	}
	failed := fmt.Sprintf("Failed to %s device from %s", verb, file)
	if err := checkXMLSyntax(data); err != nil {
		return &Error{Msg: failed, Err: err}
	}
	if err := op(dc, ctx, d.Ref(), data, f); err != nil {
		return &Error{Msg: failed, Err: err}
	}
	inv.status("Device %s successfully\n", done)
	return nil
}

func runAttachDisk(ctx context.Context, inv *Invocation) error {
	source, target := inv.String("source"), inv.String("target")
	device := "disk"
	if t, ok := inv.Lookup("type"); ok {
		if t != "disk" && t != "cdrom" && t != "floppy" {
			return errorf("Unknown disk type '%s'", t)
		}
		device = t
	}
	driver, _ := inv.Lookup("driver")
	// virsh's guess: a file driver or a regular file is a file, anything
	// else a block device.
	isFile := driver == "file" || driver == "tap" || driver == "tap2"
	if st, err := os.Stat(source); err == nil && st.Mode().IsRegular() {
		isFile = true
	}
	if st, ok := inv.Lookup("sourcetype"); ok {
		switch st {
		case "file":
			isFile = true
		case "block":
			isFile = false
		default:
			return errorf("Unknown source type: '%s'", st)
		}
	}
	doc := etree.NewDocument()
	disk := doc.CreateElement("disk")
	typ, attr := "block", "dev"
	if isFile {
		typ, attr = "file", "file"
	}
	disk.CreateAttr("type", typ)
	disk.CreateAttr("device", device)
	if driver != "" {
		drv := disk.CreateElement("driver")
		drv.CreateAttr("name", driver)
		if sub, ok := inv.Lookup("subdriver"); ok {
			drv.CreateAttr("type", sub)
		}
	}
	disk.CreateElement("source").CreateAttr(attr, source)
	disk.CreateElement("target").CreateAttr("dev", target)
	if mode, ok := inv.Lookup("mode"); ok {
		if mode != "readonly" && mode != "shareable" {
			return errorf("No support for %s in command 'attach-disk'", mode)
		}
		disk.CreateElement(mode)
	}
	return sendDevice(ctx, inv, doc, "Failed to attach disk", "Disk attached successfully\n", changer.AttachDevice)
}

// sendDevice prints the device XML (--print-xml) or hands it to op.
func sendDevice(ctx context.Context, inv *Invocation, doc *etree.Document, failed, done string, op deviceOp) error {
	doc.Indent(2)
	doc.WriteSettings.AttrSingleQuote = true // as libvirt writes XML
	xml, err := doc.WriteToString()
	if err != nil {
		return err
	}
	if inv.Cmd.Opt("print-xml") != nil && inv.Bool("print-xml") {
		fmt.Fprint(inv.Out, xml)
		return nil
	}
	d, f, dc, err := devTarget(ctx, inv)
	if err != nil {
		return err
	}
	if err := op(dc, ctx, d.Ref(), []byte(xml), f); err != nil {
		return &Error{Msg: failed, Err: err}
	}
	inv.status("%s", done)
	return nil
}

// domainDoc is the domain's XML, the definition when only --config is
// asked for, as virsh reads it to find a device.
func domainDoc(ctx context.Context, inv *Invocation, d backend.Domain) (*etree.Document, error) {
	inactive := inv.Bool("config") && !inv.Bool("live")
	xml, err := inv.Backend.XML(ctx, d.Ref(), inactive)
	if err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromString(xml); err != nil {
		return nil, err
	}
	return doc, nil
}

// findDisk is the disk whose target or source is path; changeable asks
// for a cdrom or floppy only (virshFindDisk).
func findDisk(doc *etree.Document, path string, changeable bool) *etree.Element {
	for _, disk := range doc.FindElements("/domain/devices/disk") {
		if changeable {
			if dv := disk.SelectAttrValue("device", "disk"); dv != "cdrom" && dv != "floppy" {
				continue
			}
		}
		if t := disk.SelectElement("target"); t != nil && t.SelectAttrValue("dev", "") == path {
			return disk
		}
		if s := disk.SelectElement("source"); s != nil {
			for _, a := range s.Attr {
				if a.Value == path {
					return disk
				}
			}
		}
	}
	return nil
}

func elementDoc(el *etree.Element) *etree.Document {
	doc := etree.NewDocument()
	doc.SetRoot(el.Copy())
	return doc
}

func runDetachDisk(ctx context.Context, inv *Invocation) error {
	d, err := inv.domain(ctx)
	if err != nil {
		return err
	}
	doc, err := domainDoc(ctx, inv, d)
	if err != nil {
		return err
	}
	target := inv.String("target")
	disk := findDisk(doc, target, false)
	if disk == nil {
		return errorf("No disk found whose source path or target is %s", target)
	}
	return sendDevice(ctx, inv, elementDoc(disk), "Failed to detach disk", "Disk detached successfully\n", changer.DetachDevice)
}

func runAttachInterface(ctx context.Context, inv *Invocation) error {
	typ, source := inv.String("type"), inv.String("source")
	attr := map[string]string{"bridge": "bridge", "network": "network", "ethernet": ""}
	srcAttr, ok := attr[typ]
	if !ok || typ == "network" {
		return errorf("No support for %s in command 'attach-interface'", typ)
	}
	doc := etree.NewDocument()
	ifc := doc.CreateElement("interface")
	ifc.CreateAttr("type", typ)
	if mac, ok := inv.Lookup("mac"); ok {
		ifc.CreateElement("mac").CreateAttr("address", mac)
	}
	if srcAttr != "" {
		ifc.CreateElement("source").CreateAttr(srcAttr, source)
	} else if source != "" {
		ifc.CreateElement("ip").CreateAttr("address", source)
	}
	if s, ok := inv.Lookup("script"); ok {
		ifc.CreateElement("script").CreateAttr("path", s)
	}
	if t, ok := inv.Lookup("target"); ok {
		ifc.CreateElement("target").CreateAttr("dev", t)
	}
	if m, ok := inv.Lookup("model"); ok {
		ifc.CreateElement("model").CreateAttr("type", m)
	}
	return sendDevice(ctx, inv, doc, "Failed to attach interface", "Interface attached successfully\n", changer.AttachDevice)
}

func runDetachInterface(ctx context.Context, inv *Invocation) error {
	d, err := inv.domain(ctx)
	if err != nil {
		return err
	}
	doc, err := domainDoc(ctx, inv, d)
	if err != nil {
		return err
	}
	typ := inv.String("type")
	mac, byMAC := inv.Lookup("mac")
	var found []*etree.Element
	for _, ifc := range doc.FindElements("/domain/devices/interface") {
		if ifc.SelectAttrValue("type", "") != typ {
			continue
		}
		if byMAC {
			m := ifc.SelectElement("mac")
			if m == nil || !strings.EqualFold(m.SelectAttrValue("address", ""), mac) {
				continue
			}
		}
		found = append(found, ifc)
	}
	switch {
	case len(found) == 0 && byMAC:
		return errorf("No interface found whose type is %s and MAC address is %s", typ, mac)
	case len(found) == 0:
		return errorf("No interface found whose type is %s", typ)
	case len(found) > 1:
		return errorf("Domain has %d interfaces. Please specify which one to detach using --mac", len(found))
	}
	return sendDevice(ctx, inv, elementDoc(found[0]), "Failed to detach interface", "Interface detached successfully\n", changer.DetachDevice)
}

// runChangeMedia is virsh's change-media: the cdrom or floppy found by
// target or source gets its <source> taken out (eject), put in (insert)
// or replaced (update, an eject when no SOURCE is given), and goes to
// update-device, which xend carries out with device_configure.
func runChangeMedia(ctx context.Context, inv *Invocation) error {
	for _, p := range [][2]string{{"eject", "insert"}, {"eject", "update"}, {"insert", "update"}} {
		if err := inv.Exclusive(p[0], p[1]); err != nil {
			return err
		}
	}
	action, done := "update", "Successfully updated media.\n"
	switch {
	case inv.Bool("eject"):
		action, done = "eject", "Successfully ejected media.\n"
	case inv.Bool("insert"):
		action, done = "insert", "Successfully inserted media.\n"
	}
	source, hasSource := inv.Lookup("source")
	if action == "insert" && !hasSource {
		return errorf("No source is specified for inserting media")
	}
	if action == "update" && !hasSource {
		action, done = "eject", "Successfully ejected media.\n"
	}
	if action == "eject" && hasSource {
		return errorf("No source is needed for ejecting media")
	}
	d, err := inv.domain(ctx)
	if err != nil {
		return err
	}
	if _, err := deviceFlags(inv, d); err != nil {
		return err
	}
	doc, err := domainDoc(ctx, inv, d)
	if err != nil {
		return err
	}
	path := inv.String("path")
	found := findDisk(doc, path, true)
	if found == nil {
		return errorf("No disk found whose source path or target is %s", path)
	}
	disk := elementDoc(found)
	el := disk.Root()
	target := path
	if t := el.SelectElement("target"); t != nil {
		target = t.SelectAttrValue("dev", path)
	}
	src := el.SelectElement("source")
	switch action {
	case "eject":
		if src == nil {
			return errorf("The disk device '%s' doesn't have media", target)
		}
		el.RemoveChild(src)
	case "insert":
		if src != nil {
			return errorf("The disk device '%s' already has media", target)
		}
	}
	if action != "eject" {
		if src != nil {
			el.RemoveChild(src)
		}
		typ, attr := "file", "file"
		if inv.Bool("block") {
			typ, attr = "block", "dev"
		}
		el.CreateAttr("type", typ)
		src = etree.NewElement("source")
		src.CreateAttr(attr, source)
		// <source> goes where libvirt writes it, after <driver>.
		pos := 0
		if drv := el.SelectElement("driver"); drv != nil {
			pos = drv.Index() + 1
		}
		el.InsertChildAt(pos, src)
	}
	return sendDevice(ctx, inv, disk, fmt.Sprintf("Failed to complete action %s on media", action), done, changer.UpdateDevice)
}
