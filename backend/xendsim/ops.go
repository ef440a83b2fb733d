package xendsim

import (
	"context"
	"errors"
	"net/url"

	"xvirsh/backend"
	"xvirsh/backend/xendrules"
	"xvirsh/sexpr"
)

// The POST ops (xend-protocol.md §3). Which ops exist at which config
// format, the fields each declares and how it answers come from
// xendrules; what an op does is the host's business.

// values is a copy of the request's fields as a handler sees them, op
// left out.
func (q *request) values() url.Values {
	v := make(url.Values, len(q.args))
	for k, vals := range q.args {
		if k != "op" {
			v[k] = append([]string(nil), vals...)
		}
	}
	return v
}

// fail is op's answer to a failure with xend's message msg: 500 for a
// synchronous op, the unchanged status with (xend.err …) for a threaded
// one.
func fail(o *xendrules.Op, msg string) *response {
	r := xendErr(o.Name, msg)
	if o.Threaded != 0 {
		r.status, r.reason = o.Threaded, ""
	}
	return r
}

// domainDir serves /xend/domain: the listing on GET, the directory ops
// (create, new, list, restore) on POST.
func (q *request) domainDir() *response {
	if q.Method != "POST" {
		return q.list(xendrules.WantsDetail(q.args["detail"]))
	}
	op, bad := q.op()
	if bad != nil {
		return bad
	}
	o, ok := xendrules.Lookup(xendrules.DirOps, op, q.configFormat())
	if !ok {
		return notImplemented(op)
	}
	form := q.values()
	if err := xendrules.CheckForm(o, form); err != nil {
		return fail(o, err.Error())
	}
	switch op {
	case "list":
		return q.list(true)
	case "create", "new":
		// CheckForm has read it once already; it reads the same again.
		cfg, _ := xendrules.ReadSXP(form.Get("config"))
		return q.runConfig(o, cfg)
	}
	// restore runs in xend's worker thread: 201 and a Location naming the
	// domain when it worked, the 200 chosen before it with (xend.err …)
	// when not (xend-protocol.md §3).
	name, err := q.restore(form.Get("file"))
	if err != nil {
		return fail(o, err.Error())
	}
	r := emptyReply(201)
	r.reason = xendrules.ReasonCreated
	if name != "" {
		r.location = q.domainLocation(name)
	}
	return r
}

// restore asks the host to restore file, and for the domain's name when
// the host can say it.
func (q *request) restore(file string) (string, error) {
	if h, ok := q.h.host.(interface {
		RestoreDomain(context.Context, string) (string, error)
	}); ok {
		return h.RestoreDomain(q.ctx(), file)
	}
	return "", q.h.host.Restore(q.ctx(), file)
}

// runConfig is create (201 created, Location, the new domain's record)
// and new (200, empty).
func (q *request) runConfig(o *xendrules.Op, cfg *sexpr.Node) *response {
	if o.Name == "new" {
		if err := q.h.host.New(q.ctx(), cfg); err != nil {
			return fail(o, err.Error())
		}
		return emptyReply(200)
	}
	if err := q.h.host.Create(q.ctx(), cfg); err != nil {
		return fail(o, err.Error())
	}
	name := cfg.Get("name")
	r := emptyReply(201)
	r.reason = xendrules.ReasonCreated
	r.location = q.domainLocation(name)
	if d, err := q.h.host.Domain(q.ctx(), name); err == nil {
		r.ctype, r.body = ctypeSXP, xendrules.Show(d)
	}
	return r
}

// domain serves /xend/domain/REF. xend resolves REF while walking the path,
// so an unknown domain is a 404 whatever the method, op or rest of the
// path.
func (q *request) domain(ref string, rest []string) *response {
	if sh, ok := q.h.host.(recordPrinter); ok && len(rest) == 0 && q.Method == "GET" && q.args.first("op") != "vcpuinfo" {
		b := replyBuffer()
		if err := sh.ShowDomain(q.ctx(), ref, b); err != nil {
			releaseReply(b)
			return q.hostError("", ref, err)
		}
		return &response{status: 200, ctype: ctypeSXP, buf: b}
	}
	d, err := q.h.host.Domain(q.ctx(), ref)
	if err != nil {
		return q.hostError("", ref, err)
	}
	if len(rest) > 0 {
		return notFound(rest[0])
	}
	return q.leaf(func() *response { return q.domainOp(ref, d) })
}

func (q *request) domainOp(ref string, d *sexpr.Node) *response {
	if q.Method != "POST" {
		// On a GET, xend runs vcpuinfo and ignores every other op; detail
		// is ignored on a single domain (§2.3).
		if q.args.first("op") == "vcpuinfo" {
			return q.vcpuInfo(ref)
		}
		return sxpReply(200, d)
	}
	op, bad := q.op()
	if bad != nil {
		return bad
	}
	o, ok := xendrules.Lookup(xendrules.DomainOps, op, q.configFormat())
	if !ok {
		return notImplemented(op)
	}
	form := q.values()
	if err := xendrules.CheckForm(o, form); err != nil {
		return q.failDomainOp(o, err.Error())
	}
	if op == "vcpuinfo" {
		return q.vcpuInfo(ref)
	}
	if err := q.h.host.Op(q.ctx(), ref, op, form); err != nil {
		if errors.Is(err, backend.ErrNotFound) {
			return q.noSuchDomain(ref)
		}
		return q.failDomainOp(o, err.Error())
	}
	if o.Accept {
		r := emptyReply(202)
		r.location = q.location(q.Path + "/..")
		return r
	}
	return emptyReply(200)
}

// failDomainOp is fail for an op on a domain. A threaded op that xend
// accepts (save, dump) has had its 202 and Location set before the worker
// ran, and keeps both whatever the worker then reports.
func (q *request) failDomainOp(o *xendrules.Op, msg string) *response {
	r := fail(o, msg)
	if o.Threaded != 0 && o.Accept {
		r.location = q.location(q.Path + "/..")
	}
	return r
}
