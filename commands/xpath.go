package commands

import (
	"fmt"
	"strings"

	"github.com/beevik/etree"
)

// dumpxml --xpath EXPR [--wrap] selects nodes of the domain XML and
// prints each as libxml2's xmlNodeDump does for virsh: elements
// re-indented by two from column 0 with double-quoted attributes, text
// nodes as their text, attributes as ` name="value"`; --wrap puts them
// all in one <nodes> element. The expression is XPath's location-path
// subset etree knows (child and descendant steps, *, .., [n], [@a],
// [@a='v'], [tag='v'], text() tests), plus what etree paths cannot say
// and virsh users write: a last step /text() or /@NAME (or //@NAME), and
// unions with |. Anything else (count(), other axes) is refused as
// virsh refuses an expression that gives no node set.

// xpathNode is one selected node: an element, a text node or an
// attribute of owner.
type xpathNode struct {
	elem     *etree.Element
	text     string
	textNode *etree.CharData
	attr     *etree.Attr
	order    int // document order, for unions: the element's,
	sub      int // then its attributes' and texts' within it
}

func xpathSelect(xml, expr string) ([]xpathNode, error) {
	bad := errorf("internal error: Incorrect xpath '%s'", expr)
	doc := etree.NewDocument()
	if err := doc.ReadFromString(xml); err != nil {
		return nil, fmt.Errorf("XML error: %w", err)
	}
	order := map[*etree.Element]int{}
	n := 0
	var walk func(*etree.Element)
	walk = func(e *etree.Element) {
		order[e] = n
		n++
		for _, c := range e.ChildElements() {
			walk(c)
		}
	}
	if doc.Root() == nil {
		return nil, errorf("XML error: no root element")
	}
	walk(doc.Root())

	if !xpathFunctionsKnown(expr) {
		return nil, bad
	}
	var out []xpathNode
	seen := map[any]bool{}
	for _, alt := range strings.Split(expr, "|") {
		alt = strings.TrimSpace(alt)
		nodes, err := xpathPath(doc, alt, order)
		if err != nil || alt == "" {
			return nil, bad
		}
		for _, nd := range nodes {
			var key any = nd.elem
			if nd.attr != nil {
				key = nd.attr
			} else if nd.textNode != nil {
				key = nd.textNode
			}
			if !seen[key] {
				seen[key] = true
				out = append(out, nd)
			}
		}
	}
	// A union comes out in document order, as XPath node sets do.
	sortStable(out)
	return out, nil
}

// xpathPath evaluates one alternative.
func xpathPath(doc *etree.Document, p string, order map[*etree.Element]int) ([]xpathNode, error) {
	base, last := p, ""
	if i := strings.LastIndex(p, "/"); i >= 0 {
		if tail := p[i+1:]; tail == "text()" || strings.HasPrefix(tail, "@") {
			base, last = p[:i], tail
		}
	}
	var elems []*etree.Element
	descendAttr := false
	switch {
	case last != "" && strings.HasSuffix(base, "/"):
		// X//@a, X//text(): every element under X, X's own included.
		base = strings.TrimSuffix(base, "/")
		descendAttr = true
		fallthrough
	default:
		if base == "" {
			if last == "" {
				return nil, fmt.Errorf("empty path")
			}
			elems = []*etree.Element{doc.Root()}
			if !descendAttr {
				// "/@a" is the document node's attribute: none.
				elems = nil
			}
		} else {
			path, err := etree.CompilePath(base)
			if err != nil {
				return nil, err
			}
			elems = doc.FindElementsPath(path)
		}
	}
	if descendAttr {
		var all []*etree.Element
		for _, e := range elems {
			all = append(all, e)
			all = append(all, e.FindElements(".//*")...)
		}
		elems = all
	}
	var out []xpathNode
	for _, e := range elems {
		switch {
		case last == "":
			out = append(out, xpathNode{elem: e, order: order[e]})
		case last == "text()":
			for _, t := range e.Child {
				if cd, ok := t.(*etree.CharData); ok && !cd.IsWhitespace() {
					out = append(out, xpathNode{elem: e, text: cd.Data, textNode: cd, order: order[e], sub: 1 + len(e.Attr) + cd.Index()})
				}
			}
		default:
			name := last[1:]
			for i := range e.Attr {
				if name == "*" || e.Attr[i].FullKey() == name {
					out = append(out, xpathNode{elem: e, attr: &e.Attr[i], order: order[e], sub: 1 + i})
				}
			}
		}
	}
	return out, nil
}

// xpathFunctionsKnown refuses a function etree would not read as one
// (count(), string(), contains()...): such an expression is no node set.
func xpathFunctionsKnown(expr string) bool {
	for _, f := range []string{"text()", "local-name()", "name()", "namespace-prefix()", "namespace-uri()"} {
		expr = strings.ReplaceAll(expr, f, "")
	}
	return !strings.ContainsAny(expr, "()")
}

func sortStable(ns []xpathNode) {
	for i := 1; i < len(ns); i++ {
		for j := i; j > 0 && (ns[j-1].order > ns[j].order || ns[j-1].order == ns[j].order && ns[j-1].sub > ns[j].sub); j-- {
			ns[j-1], ns[j] = ns[j], ns[j-1]
		}
	}
}

// xpathOutput prints the nodes as virsh does.
func xpathOutput(nodes []xpathNode, wrap bool) (string, error) {
	settings := etree.WriteSettings{CanonicalText: true}
	if wrap {
		doc := etree.NewDocument()
		doc.WriteSettings = settings
		root := doc.CreateElement("nodes")
		mixed := false
		for _, nd := range nodes {
			switch {
			case nd.attr != nil:
				root.CreateAttr(nd.attr.FullKey(), nd.attr.Value)
			case nd.textNode != nil:
				root.CreateText(nd.text)
				mixed = true
			default:
				root.AddChild(stripIndent(nd.elem.Copy()))
			}
		}
		if mixed {
			// libxml2 lays out no element with text among its
			// children, nor anything inside it.
			s, err := doc.WriteToString()
			return s + "\n", err
		}
		doc.Indent(2)
		return doc.WriteToString()
	}
	var b strings.Builder
	for _, nd := range nodes {
		switch {
		case nd.attr != nil:
			v := etree.NewDocument()
			e := v.CreateElement("x")
			e.CreateAttr(nd.attr.FullKey(), nd.attr.Value)
			s, _ := v.WriteToString()
			b.WriteString(strings.TrimSuffix(strings.TrimPrefix(s, "<x"), "/>"))
		case nd.textNode != nil:
			v := etree.NewDocument()
			v.WriteSettings = settings
			v.CreateText(nd.text)
			s, _ := v.WriteToString()
			b.WriteString(s)
		default:
			v := etree.NewDocument()
			v.WriteSettings = settings
			v.AddChild(stripIndent(nd.elem.Copy()))
			v.Indent(2)
			s, _ := v.WriteToString()
			b.WriteString(strings.TrimSuffix(s, "\n"))
		}
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// stripIndent drops whitespace-only text between elements, so that
// Indent lays the copy out from its own column.
func stripIndent(e *etree.Element) *etree.Element {
	for _, t := range append([]etree.Token(nil), e.Child...) {
		switch t := t.(type) {
		case *etree.CharData:
			if t.IsWhitespace() && len(e.ChildElements()) > 0 {
				e.RemoveChild(t)
			}
		case *etree.Element:
			stripIndent(t)
		}
	}
	return e
}
