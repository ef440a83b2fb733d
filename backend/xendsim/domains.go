package xendsim

import (
	"bytes"
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"xvirsh/sexpr"
)

// domainDir serves /xend/domain: the listing on GET, the directory ops
// (create, new, list) on POST.
func (q *request) domainDir() *response {
	if q.Method != http.MethodPost {
		return q.list(q.args.first("detail") == "1", q.args)
	}
	op, bad := q.op()
	if bad != nil {
		return bad
	}
	spec, ok := dirOps[op]
	if !ok || q.configFormat() < spec.minFormat {
		return notImplemented(op)
	}
	if r := spec.check(op, q.args); r != nil {
		return r
	}
	return spec.run(q, op, "")
}

// list answers GET /xend/domain. From config format 3 (managed domains)
// xend filters on ?state=, running by default, so paused and halted
// domains are missing from a plain GET, and sorts by name; older xend
// lists every live domain.
func (q *request) list(detail bool, args form) *response {
	if !detail && (args.first("state") == "all" || q.configFormat() < 3) {
		return q.allNames()
	}
	doms, err := q.h.host.Domains(q.ctx())
	if err != nil {
		return q.hostError("", "", err)
	}
	if q.configFormat() >= 3 {
		state := args.first("state")
		if state == "" {
			state = "running"
		}
		kept := doms[:0:0]
		for _, d := range doms {
			if state == "all" || powerState(d) == state {
				kept = append(kept, d)
			}
		}
		doms = kept
		sort.SliceStable(doms, func(i, j int) bool { return doms[i].Get("name") < doms[j].Get("name") })
	}
	// Printed record by record into one buffer: the detail listing of a
	// big host is megabytes, and a single tree printed whole would be
	// copied again on its way out.
	var b bytes.Buffer
	b.WriteByte('(')
	for i, d := range doms {
		if i > 0 {
			b.WriteByte(' ')
		}
		if detail {
			b.WriteString(d.String())
		} else {
			b.WriteString(sexpr.Quote(d.Get("name")))
		}
	}
	b.WriteByte(')')
	return &response{status: 200, ctype: ctypeSXP, body: b.Bytes()}
}

// allNames lists every domain by name without building its record, which
// is most of the cost of a listing.
func (q *request) allNames() *response {
	names, err := q.h.host.DomainNames(q.ctx())
	if err != nil {
		return q.hostError("", "", err)
	}
	if q.configFormat() >= 3 {
		sort.Strings(names)
	}
	var b bytes.Buffer
	b.WriteByte('(')
	for i, n := range names {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(sexpr.Quote(n))
	}
	b.WriteByte(')')
	return &response{status: 200, ctype: ctypeSXP, body: b.Bytes()}
}

// powerState is the lower-cased power state name xend compares ?state=
// against. The status number wins when the record has one; a domain
// shutting down reports halted.
func powerState(d *sexpr.Node) string {
	if s, ok := d.GetOK("status"); ok {
		switch s {
		case "0", "4":
			return "halted"
		case "1":
			return "paused"
		case "2":
			return "running"
		case "3":
			return "suspended"
		case "5":
			return "crashed"
		}
		return "unknown"
	}
	if !d.Has("domid") {
		return "halted"
	}
	flags := d.Get("state")
	for _, f := range []struct {
		c     byte
		state string
	}{{'c', "crashed"}, {'s', "halted"}, {'d', "halted"}, {'p', "paused"}} {
		for i := 0; i < len(flags); i++ {
			if flags[i] == f.c {
				return f.state
			}
		}
	}
	return "running"
}

// domain serves /xend/domain/REF. xend resolves REF while walking the path,
// so an unknown domain is a 404 whatever the method or op.
func (q *request) domain(ref string) *response {
	d, err := q.h.host.Domain(q.ctx(), ref)
	if err != nil {
		return q.hostError("", ref, err)
	}
	if q.Method != http.MethodPost {
		// On a GET, xend runs vcpuinfo and ignores every other op.
		if q.args.first("op") == "vcpuinfo" {
			return sxpReply(200, q.vcpuInfo(d))
		}
		return sxpReply(200, d)
	}
	op, bad := q.op()
	if bad != nil {
		return bad
	}
	spec, ok := domainOps[op]
	if !ok {
		spec = forwardedOp
	} else if q.configFormat() < spec.minFormat {
		return notImplemented(op)
	}
	if r := spec.check(op, q.args); r != nil {
		return r
	}
	return spec.answer(q, op, ref)
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
			sexpr.KV("cpu_time", strconv.FormatFloat(t, 'f', -1, 64)),
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
