// Package sexpr reads, prints and queries the S-expressions xend speaks.
//
// A domain record from xend looks like
//
//	(domain (domid 3) (name web) (image (hvm (boot cd) (kernel ''))))
//
// and a create request sends the same shape headed by vm. Parse reads what
// real xend and libvirt emit: bare atoms, '…' and "…" strings with backslash
// escapes, empty lists. The printer quotes exactly when xend's own reader
// would otherwise split, cut or misread a value, so String() followed by
// Parse always gives back the same tree: no value can inject a list.
package sexpr

import "strings"

// Node is an atom (Value) or a list (Kids). A list's Kids is never nil,
// even when empty: that is what makes it a list, so a node is two words
// smaller than with a flag. It carries no source position either: nodes are
// most of what a parse allocates, and only the reader reports positions
// (SyntaxError).
type Node struct {
	Value string
	Kids  []*Node
}

// noKids is the Kids of an empty list: non-nil, and with no capacity, so an
// append never writes into it. A literal, which the linker lays out, where
// make would run at every start-up.
var noKids = []*Node{}

// Atom returns an atom node.
func Atom(v string) *Node { return &Node{Value: v} }

// List returns a list node holding kids.
func List(kids ...*Node) *Node {
	if kids == nil {
		kids = noKids
	}
	return &Node{Kids: kids}
}

// KV returns the two-element list (key value). The three nodes and the
// list's kids come in one allocation: a config is mostly such pairs.
func KV(key, value string) *Node {
	b := &struct {
		list, key, value Node
		kids             [2]*Node
	}{key: Node{Value: key}, value: Node{Value: value}}
	b.kids = [2]*Node{&b.key, &b.value}
	b.list.Kids = b.kids[:]
	return &b.list
}

// IsList reports whether n is a list (possibly empty).
func (n *Node) IsList() bool { return n != nil && n.Kids != nil }

// Head is the first element of a list when that element is an atom.
func (n *Node) Head() string {
	if !n.IsList() || len(n.Kids) == 0 || n.Kids[0].Kids != nil {
		return ""
	}
	return n.Kids[0].Value
}

// Args returns the elements after the head.
func (n *Node) Args() []*Node {
	if !n.IsList() || len(n.Kids) == 0 {
		return nil
	}
	return n.Kids[1:]
}

// Append adds kids to the list n and returns n, so that builders chain.
func (n *Node) Append(kids ...*Node) *Node {
	if n.Kids == nil {
		n.Kids = noKids
	}
	n.Kids = append(n.Kids, kids...)
	return n
}

// Child returns the first direct child list whose head is key. Like
// libvirt, later duplicates are ignored by scalar lookups.
func (n *Node) Child(key string) *Node {
	if !n.IsList() {
		return nil
	}
	for _, k := range n.Kids {
		if k.headIs(key) {
			return k
		}
	}
	return nil
}

// headIs reports whether n is a list headed by the atom key. Unlike
// Head() == key, it never takes "" to match a headless or empty list.
func (n *Node) headIs(key string) bool {
	return len(n.Kids) > 0 && n.Kids[0].Kids == nil && n.Kids[0].Value == key
}

// Children returns every direct child list whose head is key, in order.
func (n *Node) Children(key string) []*Node {
	if !n.IsList() {
		return nil
	}
	var out []*Node
	for _, k := range n.Kids {
		if k.headIs(key) {
			out = append(out, k)
		}
	}
	return out
}

// Lookup follows a slash path of heads from n, taking the first matching
// child list at each step: on a (domain …) record, Lookup("image/hvm/boot")
// returns the (boot …) list. The path is relative to n, so the same lookup
// works under (domain …) and (vm …).
func (n *Node) Lookup(path string) *Node {
	cur := n
	for path != "" && cur != nil {
		key := path
		if i := strings.IndexByte(path, '/'); i >= 0 {
			key, path = path[:i], path[i+1:]
		} else {
			path = ""
		}
		cur = cur.Child(key)
	}
	return cur
}

// GetOK returns the first element after the key at path when it is an
// atom. As in libvirt, (kernel) and (serial (pty none)) have no value.
func (n *Node) GetOK(path string) (string, bool) {
	l := n.Lookup(path)
	if l == nil || len(l.Kids) < 2 || l.Kids[1].Kids != nil {
		return "", false
	}
	return l.Kids[1].Value, true
}

// Get is GetOK without the flag: "" when there is no value.
func (n *Node) Get(path string) string {
	v, _ := n.GetOK(path)
	return v
}

// Has reports whether the key list at path exists, even empty.
func (n *Node) Has(path string) bool { return n.Lookup(path) != nil }

// HasContent reports whether the key list at path has at least one element
// after its key: (image (hvm)) does not make a domain HVM.
func (n *Node) HasContent(path string) bool {
	l := n.Lookup(path)
	return l != nil && len(l.Kids) > 1
}

// Set replaces the first (key …) child of n by (key value), or appends it.
func (n *Node) Set(key, value string) {
	for i, k := range n.Kids {
		if k.Head() == key {
			n.Kids[i] = KV(key, value)
			return
		}
	}
	n.Append(KV(key, value))
}

// Delete removes every direct child list of n whose head is key.
func (n *Node) Delete(key string) {
	kept := n.Kids[:0]
	for _, k := range n.Kids {
		if k.Head() != key {
			kept = append(kept, k)
		}
	}
	for i := len(kept); i < len(n.Kids); i++ {
		n.Kids[i] = nil
	}
	n.Kids = kept
}

// Clone returns a deep copy of n.
func (n *Node) Clone() *Node {
	if n == nil {
		return nil
	}
	// Every node and every Kids slice of the copy come from two slabs
	// sized by a first walk: a config is a few hundred nodes, which were
	// as many allocations, in a dozen size classes.
	nodes, ptrs := n.count()
	s := Slab{nodes: make([]Node, nodes), ptrs: make([]*Node, ptrs)}
	return s.Clone(n)
}

// count returns the nodes of the tree and the Kids pointers they hold.
func (n *Node) count() (nodes, ptrs int) {
	nodes, ptrs = 1, len(n.Kids)
	for _, k := range n.Kids {
		a, b := k.count()
		nodes, ptrs = nodes+a, ptrs+b
	}
	return nodes, ptrs
}

// Equal reports whether a and b hold the same tree.
func Equal(a, b *Node) bool {
	if a == nil || b == nil {
		return a == b
	}
	if (a.Kids == nil) != (b.Kids == nil) || a.Value != b.Value || len(a.Kids) != len(b.Kids) {
		return false
	}
	for i := range a.Kids {
		if !Equal(a.Kids[i], b.Kids[i]) {
			return false
		}
	}
	return true
}
