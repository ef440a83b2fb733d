package xmlconv

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// ErrInvalidXML marks input that is not a usable domain XML document (syntax,
// root element, missing or malformed required values).
var ErrInvalidXML = errors.New("invalid domain XML")

// ErrUnsupportedConfig marks valid domain XML that xend cannot express; the
// text after it says what (libvirt's VIR_ERR_CONFIG_UNSUPPORTED wording).
var ErrUnsupportedConfig = errors.New("unsupported configuration")

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidXML, fmt.Sprintf(format, args...))
}

func unsupportedf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnsupportedConfig, fmt.Sprintf(format, args...))
}

// readDomainXML parses and checks the document.
func readDomainXML(data []byte) (*domainDef, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, invalidf("empty document")
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(dropIndentation(data)); err != nil {
		// Read the document as given again, for the line numbers.
		if err2 := etree.NewDocument().ReadFromBytes(data); err2 != nil {
			err = err2
		}
		return nil, fmt.Errorf("%w: malformed XML: %v", ErrInvalidXML, err)
	}
	var roots []*etree.Element
	for _, tok := range doc.Child {
		switch t := tok.(type) {
		case *etree.Element:
			roots = append(roots, t)
		case *etree.CharData:
			if !t.IsWhitespace() {
				return nil, invalidf("malformed XML: text outside the root element")
			}
		}
	}
	switch {
	case len(roots) == 0:
		return nil, invalidf("no root element")
	case len(roots) > 1:
		return nil, invalidf("malformed XML: more than one root element")
	}
	root := roots[0]
	if root.Tag != "domain" {
		return nil, invalidf("root element is <%s>, not <domain>", root.FullTag())
	}
	if t := root.SelectAttrValue("type", "xen"); t != "xen" {
		return nil, unsupportedf("domain type '%s' (xend runs only type='xen')", t)
	}

	d := &domainDef{domid: -1}
	steps := []func(*etree.Element) error{
		d.readIdentity, d.readMemory, d.readVCPU, d.readOS, d.readFeatures,
		d.readClock, d.readLifecycle, d.readDevices,
	}
	for _, step := range steps {
		if err := step(root); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// dropIndentation removes the line breaks and indentation between tags
// before etree reads a document: etree keeps each run as a text node of
// its own, and those are a fifth of what reading a domain costs. A run is
// dropped only when it starts with a line break and sits between two
// tags of which it cannot be the content: after an end tag or an empty
// element, or before a start tag. So <cmdline>  </cmdline> keeps its
// blanks, and CDATA sections are copied as they are.
func dropIndentation(data []byte) []byte {
	out := make([]byte, 0, len(data))
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == '<' && bytes.HasPrefix(data[i:], []byte("<![CDATA[")) {
			end := bytes.Index(data[i:], []byte("]]>"))
			if end < 0 {
				return data // malformed: let etree say so
			}
			out = append(out, data[i:i+end+3]...)
			i += end + 2
			continue
		}
		out = append(out, c)
		if c != '>' || i+1 >= len(data) || data[i+1] != '\n' {
			continue
		}
		j := i + 1
		for j < len(data) && (data[j] == ' ' || data[j] == '\n' || data[j] == '\t' || data[j] == '\r') {
			j++
		}
		if j+1 >= len(data) || data[j] != '<' || !isTagStart(data[j+1]) {
			continue
		}
		afterEnd := i > 0 && data[i-1] == '/' || lastTagIsEnd(data[:i])
		if afterEnd || data[j+1] != '/' {
			i = j - 1
		}
	}
	return out
}

// isTagStart reports whether c, after a '<', begins a start or end tag
// (not a comment, CDATA section or processing instruction).
func isTagStart(c byte) bool {
	return c == '/' || c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// lastTagIsEnd reports whether the tag that ends data is an end tag.
func lastTagIsEnd(data []byte) bool {
	open := bytes.LastIndexByte(data, '<')
	return open >= 0 && open+1 < len(data) && data[open+1] == '/'
}

// elemText is the element's character data, "" when the element is absent.
// Values are not trimmed: a <cmdline> may start or end with blanks on purpose.
func elemText(parent *etree.Element, tag string) string {
	if parent == nil {
		return ""
	}
	el := parent.SelectElement(tag)
	if el == nil {
		return ""
	}
	return el.Text()
}

func (d *domainDef) readIdentity(root *etree.Element) error {
	d.name = elemText(root, "name")
	if d.name == "" {
		return invalidf("missing name")
	}
	if u := elemText(root, "uuid"); u != "" {
		canon, err := ParseUUID(u)
		if err != nil {
			return invalidf("malformed uuid '%s'", u)
		}
		d.uuid = canon
	}
	for _, f := range topFields {
		*f.str(d) = elemText(root, f.xml)
	}
	return nil
}

// scaledKiB reads a libvirt scaled integer (unit attribute, default KiB)
// and returns it in KiB, rounded up like libvirt does.
func scaledKiB(el *etree.Element) (uint64, error) {
	raw := strings.TrimSpace(el.Text())
	v, err := strconv.ParseUint(raw, 10, 64)
	if err != nil {
		return 0, invalidf("<%s> value '%s' is not a non-negative integer", el.Tag, raw)
	}
	unit := el.SelectAttrValue("unit", "KiB")
	mult, ok := UnitBytes(unit)
	if !ok {
		return 0, invalidf("<%s> has unknown unit '%s'", el.Tag, unit)
	}
	if v > math.MaxUint64/mult {
		return 0, invalidf("<%s> value %s %s is too large", el.Tag, raw, unit)
	}
	bytes := v * mult
	return bytes/1024 + min(bytes%1024, 1), nil
}

func (d *domainDef) readMemory(root *etree.Element) error {
	mem := root.SelectElement("memory")
	if mem == nil {
		return invalidf("missing <memory>")
	}
	var err error
	if d.maxKiB, err = scaledKiB(mem); err != nil {
		return err
	}
	if d.maxKiB == 0 {
		return invalidf("<memory> must be greater than zero")
	}
	if d.maxKiB > maxMemMiB<<10 {
		return unsupportedf("<memory> of %d KiB is more than the %d MiB a domain can have", d.maxKiB, int64(maxMemMiB))
	}
	d.curKiB = d.maxKiB
	if cur := root.SelectElement("currentMemory"); cur != nil {
		if d.curKiB, err = scaledKiB(cur); err != nil {
			return err
		}
		// libvirt clamps the balloon target to the maximum, and so does xend.
		d.curKiB = min(d.curKiB, d.maxKiB)
		if d.curKiB == 0 {
			return invalidf("<currentMemory> must be greater than zero")
		}
	}
	return nil
}

func (d *domainDef) readVCPU(root *etree.Element) error {
	d.vcpus, d.vcpuCurrent = 1, 1
	el := root.SelectElement("vcpu")
	if el == nil {
		return nil
	}
	raw := strings.TrimSpace(el.Text())
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return invalidf("<vcpu> value '%s' is not a positive integer", raw)
	}
	if n > maxVCPUs {
		return unsupportedf("<vcpu> of %d is more than the %d vcpus a domain can have", n, maxVCPUs)
	}
	d.vcpus, d.vcpuCurrent = n, n
	if c := el.SelectAttr("current"); c != nil {
		cur, err := strconv.Atoi(strings.TrimSpace(c.Value))
		if err != nil || cur < 1 {
			return invalidf("<vcpu current='%s'> is not a positive integer", c.Value)
		}
		if cur > n {
			return invalidf("<vcpu current='%d'> exceeds the maximum of %d", cur, n)
		}
		d.vcpuCurrent = cur
	}
	if c := el.SelectAttr("cpuset"); c != nil {
		set, err := canonicalCPUSet(c.Value)
		if err != nil {
			return err
		}
		d.cpuset = set
	}
	return nil
}

// canonicalCPUSet rewrites a cpuset as sorted ranges ("0-3,^2,8" becomes
// "0-1,3,8"), which is what libvirt sends to xend.
func canonicalCPUSet(s string) (string, error) {
	set, ok := parseCPUSet(s, maxCPUs)
	if !ok {
		return "", invalidf("malformed cpuset '%s'", s)
	}
	return formatCPUSet(set), nil
}

func (d *domainDef) readOS(root *etree.Element) error {
	osEl := root.SelectElement("os")
	d.hvm = strings.TrimSpace(elemText(osEl, "type")) == "hvm"
	if !d.hvm {
		// HVM guests boot from their loader; libvirt's xend code reads a
		// bootloader only for PV and so do we (it would otherwise suppress
		// the whole HVM image). An empty <bootloader/> is what xend's
		// "(bootloader )" reads as; it goes back as "(bootloader)" but,
		// unlike in libvirt, does not drop the kernel: it boots nothing.
		d.bootloader = elemText(root, "bootloader")
		d.hasBootloader = root.SelectElement("bootloader") != nil
		d.bootloaderArgs = elemText(root, "bootloader_args")
	}
	if osEl == nil {
		return nil
	}
	for _, f := range kernelFields {
		*f.str(d) = elemText(osEl, f.xml)
	}
	d.loader = elemText(osEl, "loader")
	for _, b := range osEl.SelectElements("boot") {
		dev := b.SelectAttrValue("dev", "")
		letter, ok := bootLetter(dev)
		if !ok {
			return invalidf("unknown boot device '%s' (want fd, hd, cdrom or network)", dev)
		}
		if len(d.boot) < txMaxBoot {
			d.boot = append(d.boot, letter)
		}
	}
	return nil
}

func (d *domainDef) readFeatures(root *etree.Element) error {
	feats := root.SelectElement("features")
	if feats == nil {
		d.noFeatures = true
		return nil
	}
	for _, f := range featureFields {
		name := f.name
		el := feats.SelectElement(f.xml)
		// state='off' asks for the feature to be off, which is what leaving it
		// out of the SEXPR means to xend.
		if el != nil && el.SelectAttrValue("state", "on") != "off" {
			d.features = append(d.features, name)
		} else if el != nil && name == "hap" {
			d.hapOff = true
		}
	}
	return nil
}

func (d *domainDef) readClock(root *etree.Element) error {
	d.clockOffset = "utc"
	clock := root.SelectElement("clock")
	if clock == nil {
		return nil
	}
	d.clockOffset = clock.SelectAttrValue("offset", "utc")
	switch d.clockOffset {
	case "utc", "localtime", "variable", "timezone", "absolute":
	default:
		return invalidf("unknown clock offset '%s'", d.clockOffset)
	}
	d.clockAdjustment = clock.SelectAttrValue("adjustment", "")
	if a := d.clockAdjustment; a != "" && a != "reset" {
		if _, err := strconv.ParseInt(a, 10, 64); err != nil {
			return invalidf("clock adjustment '%s' is neither 'reset' nor an integer", a)
		}
	}
	d.clockBasis = clock.SelectAttrValue("basis", "utc")
	if d.clockBasis != "utc" && d.clockBasis != "localtime" {
		return invalidf("unknown clock basis '%s'", d.clockBasis)
	}
	for _, t := range clock.SelectElements("timer") {
		if t.SelectAttrValue("name", "") != "hpet" {
			continue
		}
		switch p := t.SelectAttrValue("present", ""); p {
		case "yes":
			d.hpet = "1"
		case "no":
			d.hpet = "0"
		case "":
		default:
			return invalidf("hpet timer present='%s' (want yes or no)", p)
		}
	}
	return nil
}

func (d *domainDef) readLifecycle(root *etree.Element) error {
	for _, f := range lifecycleFields {
		v := strings.TrimSpace(elemText(root, f.xml))
		if v == "" {
			v = f.words[0]
		}
		if !slices.Contains(f.words, v) {
			return invalidf("unexpected lifecycle value '%s' in <%s>", v, f.xml)
		}
		*f.str(d) = v
	}
	return nil
}
