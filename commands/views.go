package commands

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/beevik/etree"

	"xvirsh/backend"
)

// The views of a domain's devices and consoles read the domain XML the
// converter produced (one SEXPR→XML mapping, in the backend), the way
// virsh reads libvirt's XML; the vCPU and scheduler views ask the backend.

func viewCommands() []*Command {
	inactive := Opt{Name: "inactive", Kind: KindBool, Help: "get inactive rather than running configuration"}
	return []*Command{
		{
			Name:        "domblklist",
			Group:       groupMonitor,
			Summary:     "list all domain blocks",
			Description: "Get the summary of block devices for a domain.",
			Opts: []Opt{
				domainOpt("domain name, id or uuid", anyState), inactive,
				{Name: "details", Kind: KindBool, Help: "additionally display the type and device value"},
			},
			Run: runDomblklist,
		},
		{
			Name:        "domiflist",
			Group:       groupMonitor,
			Summary:     "list all domain virtual interfaces",
			Description: "Get the summary of virtual interfaces for a domain.",
			Opts:        []Opt{domainOpt("domain name, id or uuid", anyState), inactive},
			Run:         runDomiflist,
		},
		{
			Name:        "domblkinfo",
			Group:       groupMonitor,
			Summary:     "domain block device size information",
			Description: "Get block device size info for a domain.",
			Opts: []Opt{
				domainOpt("domain name, id or uuid", anyState),
				{Name: "device", Kind: KindString, Positional: true, Help: "block device", NoComplete: true},
				{Name: "human", Kind: KindBool, Help: "Human readable output"},
				{Name: "all", Kind: KindBool, Help: "display all block devices info"},
			},
			Run: runDomblkinfo,
		},
		{
			Name:        "vncdisplay",
			Group:       groupDomain,
			Summary:     "vnc display",
			Description: "Output the IP address and port number for the VNC display.",
			Opts:        []Opt{domainOpt("domain name, id or uuid", guestActive)},
			Run:         runVNCDisplay,
		},
		{
			Name:        "domdisplay",
			Group:       groupDomain,
			Summary:     "domain display connection URI",
			Description: "Output the IP address and port number for the graphical display.",
			Opts: []Opt{
				domainOpt("domain name, id or uuid", guestActive),
				{Name: "include-password", Kind: KindBool, Help: "includes the password into the connection URI if available"},
				{Name: "type", Kind: KindString, Help: "select particular graphical display (e.g. \"vnc\", \"spice\", \"rdp\", \"dbus\")",
					Complete: completeWords("vnc", "sdl")},
				{Name: "all", Kind: KindBool, Help: "show all possible graphical displays"},
			},
			Run: runDomdisplay,
		},
		{
			Name:        "ttyconsole",
			Group:       groupDomain,
			Summary:     "tty console",
			Description: "Output the device for the TTY console.",
			Opts:        []Opt{domainOpt("domain name, id or uuid", guestActive)},
			Run:         runTTYConsole,
		},
	}
}

// domainXML fetches the domain and its XML, parsed.
func (inv *Invocation) domainXML(ctx context.Context, inactive bool) (backend.Domain, *etree.Element, error) {
	d, err := inv.domain(ctx)
	if err != nil {
		return d, nil, err
	}
	x, err := inv.Backend.XML(ctx, d.Ref(), inactive)
	if err != nil {
		return d, nil, err
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromString(x); err != nil || doc.Root() == nil {
		return d, nil, fmt.Errorf("internal error: the domain XML of '%s' cannot be read back", d.Name)
	}
	return d, doc.Root(), nil
}

// attrOr is el's attribute, or "-" as virsh prints a missing value.
func attrOr(el *etree.Element, path, attr string) string {
	if el == nil {
		return "-"
	}
	if path != "" {
		el = el.FindElement(path)
		if el == nil {
			return "-"
		}
	}
	if v := el.SelectAttrValue(attr, ""); v != "" {
		return v
	}
	return "-"
}

// diskSource is what virsh shows as a disk's Source: the file, device,
// directory or volume it reads, "-" for an empty drive.
func diskSource(disk *etree.Element) string {
	src := disk.SelectElement("source")
	if src == nil {
		return "-"
	}
	for _, a := range []string{"file", "dev", "dir", "name", "volume"} {
		if v := src.SelectAttrValue(a, ""); v != "" {
			return v
		}
	}
	return "-"
}

func runDomblklist(ctx context.Context, inv *Invocation) error {
	_, root, err := inv.domainXML(ctx, inv.Bool("inactive"))
	if err != nil {
		return err
	}
	details := inv.Bool("details")
	var rows [][]string
	for _, disk := range root.FindElements("devices/disk") {
		row := []string{attrOr(disk, "target", "dev"), diskSource(disk)}
		if details {
			row = append([]string{attrOr(disk, "", "type"), attrOr(disk, "", "device")}, row...)
		}
		rows = append(rows, row)
	}
	header := []string{"Target", "Source"}
	if details {
		header = []string{"Type", "Device", "Target", "Source"}
	}
	return writeTable(inv.Out, header, rows, inv.Env.Quiet)
}

// ifaceSource is domiflist's Source: the bridge, network or host device
// the interface joins.
func ifaceSource(iface *etree.Element) string {
	src := iface.SelectElement("source")
	if src == nil {
		return "-"
	}
	key := map[string]string{"bridge": "bridge", "network": "network", "direct": "dev", "hostdev": "dev"}[iface.SelectAttrValue("type", "")]
	if key == "" {
		return "-"
	}
	return attrOr(src, "", key)
}

func runDomiflist(ctx context.Context, inv *Invocation) error {
	_, root, err := inv.domainXML(ctx, inv.Bool("inactive"))
	if err != nil {
		return err
	}
	var rows [][]string
	for _, iface := range root.FindElements("devices/interface") {
		rows = append(rows, []string{
			attrOr(iface, "target", "dev"), attrOr(iface, "", "type"), ifaceSource(iface),
			attrOr(iface, "model", "type"), attrOr(iface, "mac", "address"),
		})
	}
	return writeTable(inv.Out, []string{"Interface", "Type", "Source", "Model", "MAC"}, rows, inv.Env.Quiet)
}

// runDomblkinfo reports a disk's sizes. xend has no call for them
// (libvirt's xend driver had no virDomainGetBlockInfo), so they are read
// from the disk's source on this machine, which is dom0 only when the
// connection is to a local host.
func runDomblkinfo(ctx context.Context, inv *Invocation) error {
	dev, haveDev := inv.Lookup("device")
	all := inv.Bool("all")
	if !haveDev && !all {
		return errorf("command 'domblkinfo' requires <device> option")
	}
	if haveDev && all {
		return errorf("Options --device and --all are mutually exclusive")
	}
	_, root, err := inv.domainXML(ctx, false)
	if err != nil {
		return err
	}
	if strings.HasPrefix(inv.Backend.URI(), "http") {
		return errorf("this function is not supported by the connection driver: xend reports no block sizes, and the disks of %s are not on this machine", inv.Backend.URI())
	}
	type info struct{ capacity, alloc, physical uint64 }
	stat := func(disk *etree.Element) (info, error) {
		src := diskSource(disk)
		if src == "-" {
			return info{}, nil // an empty cdrom drive
		}
		fi, err := os.Stat(src)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return info{}, fmt.Errorf("cannot stat file '%s': %s", src, strings.ToUpper(err.Error()[:1])+err.Error()[1:])
		}
		size := uint64(fi.Size())
		return info{size, allocated(fi), size}, nil
	}
	disks := root.FindElements("devices/disk")
	human := inv.Bool("human")
	num := func(n uint64) string {
		if human {
			return humanSize(n)
		}
		return strconv.FormatUint(n, 10)
	}
	if all {
		var rows [][]string
		for _, disk := range disks {
			in, err := stat(disk)
			if err != nil {
				return err
			}
			rows = append(rows, []string{attrOr(disk, "target", "dev"), num(in.capacity), num(in.alloc), num(in.physical)})
		}
		return writeTable(inv.Out, []string{"Target", "Capacity", "Allocation", "Physical"}, rows, inv.Env.Quiet)
	}
	for _, disk := range disks {
		if attrOr(disk, "target", "dev") != dev && diskSource(disk) != dev {
			continue
		}
		in, err := stat(disk)
		if err != nil {
			return err
		}
		fmt.Fprintf(inv.Out, "%-15s %s\n%-15s %s\n%-15s %s\n", "Capacity:", num(in.capacity),
			"Allocation:", num(in.alloc), "Physical:", num(in.physical))
		return nil
	}
	return errorf("invalid argument: invalid path %s not assigned to domain", dev)
}

// humanSize is virsh's --human form: three decimals and a binary unit.
func humanSize(n uint64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v, i := float64(n), 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	return fmt.Sprintf("%.3f %s", v, units[i])
}

// vnc finds the domain's VNC graphics, with its port when it has one.
func vncGraphics(root *etree.Element) (*etree.Element, int) {
	g := root.FindElement("devices/graphics[@type='vnc']")
	if g == nil {
		return nil, 0
	}
	port, _ := strconv.Atoi(g.SelectAttrValue("port", ""))
	return g, port
}

// vncListen is the address a VNC server listens on, "" for every address.
func vncListen(g *etree.Element) string {
	l := g.SelectAttrValue("listen", "")
	if l == "" {
		if el := g.FindElement("listen[@type='address']"); el != nil {
			l = el.SelectAttrValue("address", "")
		}
	}
	if l == "0.0.0.0" || l == "::" {
		return ""
	}
	return l
}

func runVNCDisplay(ctx context.Context, inv *Invocation) error {
	d, root, err := inv.domainXML(ctx, false)
	if err != nil {
		return err
	}
	g, port := vncGraphics(root)
	if !d.State.Active() {
		return errorf("Domain is not running")
	}
	if g == nil || port <= 0 {
		return errorf("Failed to get VNC port. Is this domain using VNC?")
	}
	fmt.Fprintf(inv.Out, "%s:%d\n", vncListen(g), port-5900)
	return nil
}

func runDomdisplay(ctx context.Context, inv *Invocation) error {
	d, root, err := inv.domainXML(ctx, false)
	if err != nil {
		return err
	}
	if !d.State.Active() {
		return errorf("Domain is not running")
	}
	if t, ok := inv.Lookup("type"); ok && t != "vnc" {
		return errorf("No graphical display with type '%s' found", t)
	}
	g, port := vncGraphics(root)
	if g == nil || port <= 0 {
		return errorf("No graphical display found")
	}
	host := vncListen(g)
	if host == "" {
		host = "localhost"
	}
	u := "vnc://"
	if pw := g.SelectAttrValue("passwd", ""); pw != "" && inv.Bool("include-password") {
		u += ":" + url.QueryEscape(pw) + "@"
	}
	fmt.Fprintf(inv.Out, "%s%s:%d\n", u, host, port-5900)
	return nil
}

// runTTYConsole prints the console's pty.
func runTTYConsole(ctx context.Context, inv *Invocation) error {
	d, root, err := inv.domainXML(ctx, false)
	if err != nil {
		return err
	}
	for _, path := range []string{"devices/console", "devices/serial"} {
		for _, c := range root.FindElements(path) {
			tty := c.SelectAttrValue("tty", "")
			if tty == "" {
				if src := c.SelectElement("source"); src != nil {
					tty = src.SelectAttrValue("path", "")
				}
			}
			if tty != "" {
				fmt.Fprintln(inv.Out, tty)
				return nil
			}
		}
	}
	// virsh fails here without a word; xvirsh says why.
	return errorf("Domain '%s' has no TTY console", d.Name)
}

// allocated is the space a file takes on disk.
func allocated(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Blocks) * 512
	}
	return uint64(fi.Size())
}
