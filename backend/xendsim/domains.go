package xendsim

import (
	"bytes"
	"context"
	"net/url"
	"sort"
	"strings"

	"xvirsh/backend/xendrules"
	"xvirsh/sexpr"
)

// recordPrinter is a host that prints its records as sxp.show does
// without building them first (the fake host): a listing of thousands of
// domains is served without a copy of any config.
type recordPrinter interface {
	// ShowDomain prints the record GET /xend/domain/REF?detail=1 answers.
	ShowDomain(ctx context.Context, ref string, b *bytes.Buffer) error
	// ShowDomains prints the items of the detail listing, space-separated.
	ShowDomains(ctx context.Context, b *bytes.Buffer) error
}

// list answers GET /xend/domain (xend-protocol.md §2.1) with the host's
// selection: names by ?state= (running when absent), or with detail the
// host's detail items (records of the running domains from format 3 on,
// names before). Names come sorted.
func (q *request) list(detail bool) *response {
	var items []*sexpr.Node
	if sh, ok := q.h.host.(recordPrinter); ok && detail {
		b := listingBuffer()
		b.WriteByte('(')
		if err := sh.ShowDomains(q.ctx(), b); err != nil {
			releaseReply(b)
			return q.hostError("", "", err)
		}
		b.WriteByte(')')
		return &response{status: 200, ctype: ctypeSXP, buf: b}
	}
	if detail {
		var err error
		if items, err = q.h.host.Domains(q.ctx()); err != nil {
			return q.hostError("", "", err)
		}
	} else {
		state := xendrules.DefaultState
		if v := q.args["state"]; len(v) > 0 {
			state = v[0]
		}
		names, err := q.h.host.DomainNames(q.ctx(), state)
		if err != nil {
			return q.hostError("", "", err)
		}
		sort.Strings(names)
		items = make([]*sexpr.Node, len(names))
		for i, n := range names {
			items[i] = sexpr.Atom(n)
		}
	}
	// Printed item by item into one buffer: the detail listing of a big
	// host is megabytes, and a single tree printed whole would be copied
	// again on its way out.
	var b strings.Builder
	b.WriteByte('(')
	for i, it := range items {
		if i > 0 {
			b.WriteByte(' ')
		}
		xendrules.WriteShow(&b, it)
	}
	b.WriteByte(')')
	return &response{status: 200, ctype: ctypeSXP, body: b.String()}
}

// vcpuInfo is the ?op=vcpuinfo answer, as the host reports it.
func (q *request) vcpuInfo(ref string) *response {
	info, err := q.h.host.VCPUInfo(q.ctx(), ref)
	if err != nil {
		return q.hostError("vcpuinfo", ref, err)
	}
	return sxpReply(200, info)
}

// domainLocation is where a created domain lives, as xend's Location says.
func (q *request) domainLocation(name string) string {
	return q.location("/xend/domain/" + url.PathEscape(name))
}
