package xendsim

import (
	"context"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"xvirsh/backend/xendrules"
	"xvirsh/sexpr"
)

// recordPrinter is a host that prints its records as sxp.show does
// without building them first (the fake host): a listing of thousands of
// domains is served without a copy of any config.
type recordPrinter interface {
	// ShowDomain prints the record GET /xend/domain/REF?detail=1 answers.
	ShowDomain(ctx context.Context, ref string, b *strings.Builder) error
	// ShowDomains prints the items of the detail listing, space-separated.
	ShowDomains(ctx context.Context, b *strings.Builder) error
}

// list answers GET /xend/domain (xend-protocol.md §2.1) with the host's
// selection: names by ?state= (running when absent), or with detail the
// host's detail items (records of the running domains from format 3 on,
// names before). Names come sorted.
func (q *request) list(detail bool) *response {
	var items []*sexpr.Node
	if sh, ok := q.h.host.(recordPrinter); ok && detail {
		var b strings.Builder
		b.WriteByte('(')
		if err := sh.ShowDomains(q.ctx(), &b); err != nil {
			return q.hostError("", "", err)
		}
		b.WriteByte(')')
		return &response{status: 200, ctype: ctypeSXP, body: []byte(b.String())}
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
	return &response{status: 200, ctype: ctypeSXP, body: []byte(b.String())}
}

// vcpuInfo builds the ?op=vcpuinfo reply from what the record says: one
// (vcpu …) per VCPU, the online ones running on physical CPUs in turn, the
// domain's cpu_time shared among them.
func (q *request) vcpuInfo(d *sexpr.Node) *sexpr.Node {
	n := atoiOr(d.Get("vcpus"), 1)
	online := n
	if v, ok := d.GetOK("online_vcpus"); ok {
		online = atoiOr(v, n)
	}
	active := d.Has("domid")
	if !active {
		online = 0
	}
	pcpus := 1
	if node, err := q.h.host.Node(q.ctx()); err == nil {
		pcpus = max(atoiOr(node.Get("nr_cpus"), 1), 1)
	}
	cpuTime, _ := strconv.ParseFloat(d.Get("cpu_time"), 64)
	cpumap := sexpr.List()
	for i := 0; i < pcpus; i++ {
		cpumap.Append(sexpr.Atom(strconv.Itoa(i)))
	}
	out := sexpr.List(sexpr.Atom("domain"))
	if id, ok := d.GetOK("domid"); ok {
		out.Append(sexpr.KV("domid", id))
	}
	out.Append(sexpr.KV("name", d.Get("name")), sexpr.KV("vcpu_count", strconv.Itoa(n)))
	for i := 0; i < n; i++ {
		on := i < online
		t := 0.0
		if on && online > 0 {
			t = cpuTime / float64(online)
		}
		out.Append(sexpr.List(sexpr.Atom("vcpu"),
			sexpr.KV("number", strconv.Itoa(i)),
			sexpr.KV("online", boolDigit(on)),
			sexpr.KV("blocked", boolDigit(on)),
			sexpr.KV("running", "0"),
			sexpr.KV("cpu_time", xendrules.PyFloat(t)),
			sexpr.KV("cpu", strconv.Itoa(i%pcpus)),
			sexpr.List(sexpr.Atom("cpumap"), cpumap.Clone())))
	}
	return out
}

func boolDigit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

// domainLocation is where a created domain lives, as xend's Location says.
func (q *request) domainLocation(name string) string {
	return q.location("/xend/domain/" + url.PathEscape(name))
}
