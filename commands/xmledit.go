package commands

import (
	"fmt"

	"github.com/beevik/etree"
)

// xmlElementText is the text of the root's child tag, "" when absent.
func xmlElementText(xml, tag string) (string, error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(xml); err != nil {
		return "", fmt.Errorf("XML error: %w", err)
	}
	if doc.Root() == nil {
		return "", fmt.Errorf("XML error: no root element")
	}
	if el := doc.Root().SelectElement(tag); el != nil {
		return el.Text(), nil
	}
	return "", nil
}

// setXMLElementText sets (or, with "", removes) the root's child tag,
// leaving the rest of the document as it was.
func setXMLElementText(xml, tag, text string) (string, error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(xml); err != nil {
		return "", fmt.Errorf("XML error: %w", err)
	}
	root := doc.Root()
	if root == nil {
		return "", fmt.Errorf("XML error: no root element")
	}
	el := root.SelectElement(tag)
	switch {
	case text == "" && el != nil:
		root.RemoveChild(el)
	case text == "":
	case el == nil:
		el = etree.NewElement(tag)
		el.SetText(text)
		// After <uuid>, where libvirt writes it.
		at := 0
		if u := root.SelectElement("uuid"); u != nil {
			at = u.Index() + 1
		}
		root.InsertChildAt(at, el)
	default:
		el.SetText(text)
	}
	return doc.WriteToString()
}
