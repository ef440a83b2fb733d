package fake

import "xvirsh/sexpr"

// nodeSlab hands out nodes and Kids slices from big slabs rather than one
// allocation each: a 10,000-domain host reads, copies or lists hundreds of
// thousands of nodes, and a node apiece was most of the garbage.
type nodeSlab struct {
	nodes []sexpr.Node
	ptrs  []*sexpr.Node
}

func (s *nodeSlab) node() *sexpr.Node {
	if len(s.nodes) == 0 {
		s.nodes = make([]sexpr.Node, 4096)
	}
	n := &s.nodes[0]
	s.nodes = s.nodes[1:]
	return n
}

// kids hands out a list's Kids, full to capacity, so that an append to
// one never writes into the next.
func (s *nodeSlab) kids(n int) []*sexpr.Node {
	if len(s.ptrs) < n {
		s.ptrs = make([]*sexpr.Node, max(n, 8192))
	}
	k := s.ptrs[:n:n]
	s.ptrs = s.ptrs[n:]
	return k
}
