package xmlconv

import (
	"fmt"

	"github.com/beevik/etree"
)

// NormalizeLive removes from domain XML what only a running domain shows
// and a new run of the same config cannot keep: the domain id, the console
// pty (tty attribute and pty source path), the vifN.M device names and the
// VNC port chosen by autoport, all of which derive from the domid. The
// headline property, dumpxml -> create -> dumpxml, holds bar these. It
// works on the element tree, so formatting and attribute order do not
// matter, and reindents the result.
func NormalizeLive(xml string) (string, error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(xml); err != nil {
		return "", fmt.Errorf("%w: malformed XML: %v", ErrInvalidXML, err)
	}
	root := doc.Root()
	if root == nil || root.Tag != "domain" {
		return "", invalidf("no <domain> root element")
	}
	root.RemoveAttr("id")
	if devs := root.SelectElement("devices"); devs != nil {
		for _, el := range devs.ChildElements() {
			switch el.Tag {
			case "serial", "console", "parallel":
				el.RemoveAttr("tty")
				if el.SelectAttrValue("type", "") == "pty" {
					for _, src := range el.SelectElements("source") {
						el.RemoveChild(src)
					}
				}
			case "interface":
				if t := el.SelectElement("target"); t != nil && isAutoVifName(t.SelectAttrValue("dev", "")) {
					el.RemoveChild(t)
				}
			case "graphics":
				if el.SelectAttrValue("type", "") == "vnc" && el.SelectAttrValue("autoport", "") == "yes" {
					el.CreateAttr("port", "-1")
				}
			}
		}
	}
	doc.WriteSettings.AttrSingleQuote = true
	doc.Indent(2)
	return doc.WriteToString()
}
