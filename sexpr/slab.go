package sexpr

import "unsafe"

// Slab hands out nodes, Kids slices and strings from big blocks rather
// than one allocation each: a listing of 10,000 domains builds hundreds
// of thousands of nodes, and a node apiece was most of its garbage and
// of the pages it touched. What a Slab hands out lives as long as any of
// its block does. The zero Slab is ready; it is not safe for concurrent
// use. Blocks start small and grow, so that a Slab that builds one record
// costs about what the record does.
type Slab struct {
	nodes []Node
	ptrs  []*Node
	text  []byte
	grown int // how many node blocks were made, for their size
}

const (
	slabFirst = 32   // nodes in the first block
	slabMax   = 4096 // nodes in a block once grown
)

// Node is a new, empty node.
func (s *Slab) Node() *Node {
	if len(s.nodes) == 0 {
		s.nodes = make([]Node, min(slabFirst<<s.grown, slabMax))
		s.grown = min(s.grown+1, 8)
	}
	n := &s.nodes[0]
	s.nodes = s.nodes[1:]
	return n
}

// Kids is a list's Kids of n nil items, full to capacity, so that an
// append to one never writes into the next.
func (s *Slab) Kids(n int) []*Node {
	if len(s.ptrs) < n {
		s.ptrs = make([]*Node, max(n, 2*min(slabFirst<<s.grown, slabMax)))
	}
	k := s.ptrs[:n:n]
	s.ptrs = s.ptrs[n:]
	return k
}

// Atom is Atom(v) from the slab.
func (s *Slab) Atom(v string) *Node {
	n := s.Node()
	n.Value = v
	return n
}

// Clone is n.Clone() from the slab: every node and Kids slice of the copy.
func (s *Slab) Clone(n *Node) *Node {
	m := s.Node()
	m.Value = n.Value
	switch {
	case n.Kids == nil: // an atom
	case len(n.Kids) == 0:
		m.Kids = noKids
	default:
		m.Kids = s.Kids(len(n.Kids))
		for i, kid := range n.Kids {
			m.Kids[i] = s.Clone(kid)
		}
	}
	return m
}

// String is string(b), sharing a block with the slab's other strings.
func (s *Slab) String(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if cap(s.text)-len(s.text) < len(b) {
		s.text = make([]byte, 0, max(len(b), 32*min(slabFirst<<s.grown, slabMax)))
	}
	start := len(s.text)
	s.text = append(s.text, b...)
	// The bytes are never written again: appends go past them, and a
	// full block is left for a new one.
	return unsafe.String(&s.text[start], len(b))
}
