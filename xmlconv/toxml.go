package xmlconv

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"xvirsh/sexpr"
)

// Errors of ToXML that callers may want to tell apart with errors.Is.
var (
	// ErrNotDomain: the input is not a (domain …) or (vm …) S-expression.
	ErrNotDomain = errors.New("not a domain S-expression")
	// ErrIncomplete: a field the XML needs is missing (libvirt's wording).
	ErrIncomplete = errors.New("domain information incomplete")
)

// ToXML converts a domain S-expression to libvirt domain XML, indented by two
// spaces and ending in a newline.
//
// root is either what xend returns for a domain, (domain (domid 3) ...), or
// what a create request sends, (vm ...). libvirt only reads (domain ...) and
// fails on its own (vm ...) output with "missing name"; reading both here
// lets dumpxml -> create -> dumpxml round-trip through one converter.
//
// opt.Version selects the xend config format (1..4, 0 = DefaultVersion);
// see mapping.md §9 for what depends on it. opt.TTY fills the pty console or
// serial, opt.VNCPort the VNC port of a running domain (0 = unknown).
func ToXML(root *sexpr.Node, opt Options) (string, error) {
	c, err := txNew(root, opt)
	if err != nil {
		return "", err
	}
	if err := c.build(); err != nil {
		return "", err
	}
	return c.render()
}

// txConv holds one conversion. The S-expression is only read; the XML tree
// is built in libvirt's element order, so no reordering pass is needed.
type txConv struct {
	root  *sexpr.Node
	opt   Options
	ver   int
	domid int64 // -1 when the record has no (domid), i.e. an inactive domain
	hvm   bool
	image *sexpr.Node // the (hvm …) or (linux …) list; nil when absent

	doc  *etree.Document
	dom  *etree.Element
	devs *etree.Element

	// device blocks among the root's direct children, in SEXPR order
	disks []*sexpr.Node // the (vbd …), (tap2 …) or (tap …) list
	vifs  []*sexpr.Node
	pci   *sexpr.Node // first (pci …) with content
	vfb   *sexpr.Node // first (vfb …) with content

	name string // the domain's, for warnings

}

func txNew(root *sexpr.Node, opt Options) (*txConv, error) {
	if root == nil {
		return nil, fmt.Errorf("%w: empty input", ErrNotDomain)
	}
	if !root.IsList() {
		if root.Value == "" {
			return nil, fmt.Errorf("%w: empty input", ErrNotDomain)
		}
		return nil, fmt.Errorf("%w: got the atom %q, want (domain ...) or (vm ...)", ErrNotDomain, root.Value)
	}
	if h := root.Head(); h != "domain" && h != "vm" {
		if h == "" {
			return nil, fmt.Errorf("%w: the root list has no head, want (domain ...) or (vm ...)", ErrNotDomain)
		}
		return nil, fmt.Errorf("%w: root is (%s ...), want (domain ...) or (vm ...)", ErrNotDomain, h)
	}
	ver, err := checkVersion(opt.Version)
	if err != nil {
		return nil, err
	}
	c := &txConv{root: root, opt: opt, ver: ver, domid: -1}
	if c.hvm = root.HasContent("image/hvm"); c.hvm {
		c.image = root.Lookup("image/hvm")
	} else {
		c.image = root.Lookup("image/linux")
	}
	return c, nil
}

func (c *txConv) build() error {
	if err := c.readDomid(); err != nil {
		return err
	}
	name := c.root.Get("name")
	if name == "" {
		return fmt.Errorf("%w, missing name", ErrIncomplete)
	}
	c.name = name
	rawUUID := c.root.Get("uuid")
	if rawUUID == "" {
		// libvirt says "missing name" here too; naming the real field helps.
		return fmt.Errorf("%w, missing uuid", ErrIncomplete)
	}
	uuid, err := ParseUUID(rawUUID)
	if err != nil {
		return fmt.Errorf("domain %s: %w", name, err)
	}

	c.doc = etree.NewDocument()
	c.doc.WriteSettings.AttrSingleQuote = true
	c.dom = c.doc.CreateElement("domain")
	c.dom.CreateAttr("type", "xen")
	if c.domid >= 0 {
		c.dom.CreateAttr("id", strconv.FormatInt(c.domid, 10))
	}
	txText(c.dom, "name", name)
	txText(c.dom, "uuid", uuid)
	if d := c.root.Get("description"); d != "" {
		txText(c.dom, "description", d)
	}

	steps := []func() error{
		c.memory, c.vcpus, c.bootloader, c.os, c.features, c.clock, c.lifecycle, c.devices,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// readDomid reads (domid N). libvirt demands it before xend 3.0.4, whose
// records always had one; a record without it is read as an inactive
// domain in every format instead, because that is also how an --inactive
// view of a running domain is asked for (and how (vm …) requests look).
func (c *txConv) readDomid() error {
	v, ok := c.root.GetOK("domid")
	if !ok || v == "" {
		return nil
	}
	n, ok := txStrictInt(v)
	if !ok {
		return fmt.Errorf("malformed domid '%s'", v)
	}
	if n >= 0 {
		c.domid = n
	}
	return nil
}

func (c *txConv) render() (string, error) {
	c.doc.IndentWithSettings(&etree.IndentSettings{Spaces: 2, PreserveLeafWhitespace: true})
	var b strings.Builder
	b.Grow(4096)
	if _, err := c.doc.WriteTo(&b); err != nil {
		return "", err
	}
	out := b.String()
	if !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	return out, nil
}

// warn reports a value the lenient read drops: what, and why.
func (c *txConv) warn(format string, args ...any) {
	if c.opt.Warn != nil {
		c.opt.Warn(fmt.Sprintf("domain %s: ", c.name) + fmt.Sprintf(format, args...))
	}
}

// txText appends <tag>text</tag> to parent.
func txText(parent *etree.Element, tag, text string) *etree.Element {
	e := parent.CreateElement(tag)
	e.SetText(text)
	return e
}

// txElem appends <tag k='v' …/> to parent; attrs are key, value pairs.
func txElem(parent *etree.Element, tag string, attrs ...string) *etree.Element {
	e := parent.CreateElement(tag)
	if len(attrs) > 2 {
		e.Attr = make([]etree.Attr, 0, len(attrs)/2+1)
	}
	for i := 0; i+1 < len(attrs); i += 2 {
		e.CreateAttr(attrs[i], attrs[i+1])
	}
	return e
}

// imageGet reads a key of the (hvm …) or (linux …) image.
func (c *txConv) imageGet(key string) string {
	if c.image == nil {
		return ""
	}
	return c.image.Get(key)
}

func (c *txConv) imageGetOK(key string) (string, bool) {
	if c.image == nil {
		return "", false
	}
	return c.image.GetOK(key)
}
