package xendsim

import (
	"net/http"
	"net/url"
	"strconv"

	"xvirsh/sexpr"
)

// paramKind is how xend's FormFn coerces a declared form field.
type paramKind int

const (
	pStr paramKind = iota
	pInt
	pSxpr
)

type param struct {
	name string
	kind paramKind
}

// opSpec describes one POST op as xend declares it (spec §3): the form
// fields its handler declares (each required, each at most once), the
// first config format that has it, and how it answers on success.
type opSpec struct {
	params    []param
	minFormat int
	// accept marks ops answered through xend's acceptCommand: 202 and a
	// Location pointing at the parent resource.
	accept   bool
	validate func(args form) string // xend's own refusal text, "" when fine
	// threaded ops run in a worker thread whose failure cannot change the
	// status already chosen: it is this status (202, or 200) with the
	// (xend.err …) body. 0 for synchronous ops, whose failures are 500s.
	threaded int
	run      func(q *request, op, ref string) *response
}

// fail is the op's answer to an error message.
func (s *opSpec) fail(op, msg string) *response {
	if s.threaded != 0 {
		r := xendErr(op, msg)
		r.status, r.reason = s.threaded, ""
		return r
	}
	return xendErr(op, msg)
}

// check applies FormFn's rules, which cause many of xend's 500s: a missing
// declared field, a field sent twice, an int that Python's int() rejects.
// Ints are normalised so the host sees plain decimal.
func (s *opSpec) check(op string, args form) *response {
	for _, p := range s.params {
		vals := args[p.name]
		switch {
		case len(vals) == 0:
			return s.fail(op, "Missing parameter: "+p.name)
		case len(vals) > 1:
			return s.fail(op, "Too many values for "+p.name)
		}
		switch p.kind {
		case pInt:
			n, err := pyInt(vals[0])
			if err != nil {
				return s.fail(op, err.Error())
			}
			args[p.name] = []string{strconv.FormatInt(n, 10)}
		case pSxpr:
			if _, err := sexpr.ParseString(vals[0]); err != nil {
				return s.fail(op, "Invalid sxpr: "+err.Error())
			}
		}
	}
	if s.validate != nil {
		if msg := s.validate(args); msg != "" {
			return s.fail(op, msg)
		}
	}
	return nil
}

var configParam = []param{{"config", pSxpr}}

// dirOps are the ops of /xend/domain itself.
var dirOps = map[string]*opSpec{
	"create": {params: configParam, run: runCreate},
	"new":    {params: configParam, minFormat: 3, run: runNew},
	"list": {run: func(q *request, _, _ string) *response {
		return q.list(true, q.args)
	}},
	// The fake host keeps no saved images, so a restore always fails, the
	// way a threaded restore fails on xend: 200 and (xend.err …).
	"restore": {params: []param{{"file", pStr}}, threaded: http.StatusOK, run: func(q *request, op, _ string) *response {
		r := xendErr(op, "Cannot restore "+q.args.first("file")+": the simulator keeps no saved domains")
		r.status, r.reason = http.StatusOK, ""
		return r
	}},
}

// domainOps are the ops of /xend/domain/REF that xend declares. An op not
// listed here is still handed to the host, which answers for the ones it
// knows and refuses the rest (501).
var domainOps = map[string]*opSpec{
	"start":                   {minFormat: 3, accept: true, run: runForward},
	"delete":                  {minFormat: 3, accept: true, run: runForward},
	"destroy":                 {accept: true, run: runForward},
	"shutdown":                {params: []param{{"reason", pStr}}, accept: true, validate: validReason, run: runForward},
	"wait_for_devices":        {accept: true, run: runForward},
	"pause":                   {run: runForward},
	"unpause":                 {run: runForward},
	"mem_target_set":          {params: []param{{"target", pInt}}, run: runForward},
	"maxmem_set":              {params: []param{{"memory", pInt}}, run: runForward},
	"set_vcpus":               {params: []param{{"vcpus", pInt}}, run: runForward},
	"pincpu":                  {params: []param{{"vcpu", pInt}, {"cpumap", pStr}}, run: runForward},
	"domain_sched_credit_set": {params: []param{{"weight", pInt}, {"cap", pInt}}, minFormat: 4, run: runForward},
	"device_create":           {params: configParam, run: runForward},
	"device_configure":        {params: []param{{"config", pSxpr}, {"dev", pStr}}, run: runForward},
	"device_destroy":          {params: []param{{"type", pStr}, {"dev", pStr}}, run: runForward},
	// Threaded ops. libvirt 2010 sent live twice to dump, which newer xend
	// answers with "Too many values for live" inside a 202.
	"save":    {params: []param{{"file", pStr}}, accept: true, threaded: http.StatusAccepted, run: runForward},
	"dump":    {params: []param{{"file", pStr}, {"live", pInt}, {"crash", pInt}}, accept: true, threaded: http.StatusAccepted, run: runForward},
	"migrate": {params: []param{{"destination", pStr}, {"live", pInt}, {"port", pInt}}, threaded: http.StatusOK, run: runForward},
}

var forwardedOp = &opSpec{run: runForward}

// answer runs a domain op and gives success its status, and accepted ops
// their Location, in one place.
func (s *opSpec) answer(q *request, op, ref string) *response {
	if r := s.run(q, op, ref); r != nil {
		if s.threaded != 0 && r.status >= 500 {
			// The worker's failure, whatever it was, comes back
			// under the status the request already had.
			if r.ctype == ctypeSXP {
				return &response{status: s.threaded, ctype: ctypeSXP, body: r.body}
			}
			return s.fail(op, string(r.body))
		}
		return r
	}
	if s.accept {
		r := emptyReply(http.StatusAccepted)
		r.location = q.location(q.URL.EscapedPath() + "/..")
		return r
	}
	return emptyReply(http.StatusOK)
}

func validReason(args form) string {
	switch r := args.first("reason"); r {
	case "poweroff", "reboot", "halt", "suspend":
		return ""
	default:
		return "Invalid reason: " + r
	}
}

// runForward hands the op to the host with every field but op itself;
// nil means success.
func runForward(q *request, op, ref string) *response {
	if err := q.h.host.Op(q.ctx(), ref, op, url.Values(q.args.without("op"))); err != nil {
		return q.hostError(op, ref, err)
	}
	return nil
}

// runCreate starts a domain and answers 201 with its record, as xend does.
func runCreate(q *request, op, _ string) *response {
	cfg, _ := sexpr.ParseString(q.args.first("config"))
	if err := q.h.host.Create(q.ctx(), cfg); err != nil {
		return q.hostError(op, "", err)
	}
	name := cfg.Get("name")
	r := emptyReply(http.StatusCreated)
	r.reason = "created"
	r.location = q.domainLocation(name)
	if d, err := q.h.host.Domain(q.ctx(), name); err == nil {
		r.ctype, r.body = ctypeSXP, []byte(d.String())
	}
	return r
}

func runNew(q *request, op, _ string) *response {
	cfg, _ := sexpr.ParseString(q.args.first("config"))
	if err := q.h.host.New(q.ctx(), cfg); err != nil {
		return q.hostError(op, "", err)
	}
	return emptyReply(http.StatusOK)
}
