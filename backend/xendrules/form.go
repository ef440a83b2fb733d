package xendrules

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Kind is how xend's FormFn coerces a declared form field (Args.py).
type Kind int

const (
	Str  Kind = iota
	Int       // Python int(); the field is normalised to plain decimal
	Sxpr      // read with xend's S-expression reader (ReadSXP)
	// Direct fields are not declared to FormFn: the handler reads
	// req.args[NAME][0] itself, so a second value is ignored and a missing
	// one raises KeyError, whose text is the quoted name (op=shutdown's
	// reason).
	Direct
)

// Param is one form field a handler reads.
type Param struct {
	Name string
	Kind Kind
}

// Op is one POST operation as xend 3.4 serves it (xend-protocol.md §3).
type Op struct {
	Name   string
	Params []Param
	// MinFormat is the first config format whose xend has the op.
	MinFormat int
	// Accept marks ops answered through acceptCommand: 202 Accepted and a
	// Location pointing at the parent resource.
	Accept bool
	// Threaded ops run in a worker thread: the status chosen before the
	// work (202, or 200) stays, and a failure only adds (xend.err …) as
	// the body. 0 for synchronous ops, whose failures are 500s.
	Threaded int
}

func ops(list ...*Op) map[string]*Op {
	m := make(map[string]*Op, len(list))
	for _, o := range list {
		m[o.Name] = o
	}
	return m
}

func p(name string, k Kind) Param { return Param{name, k} }

// DirOps are the ops of /xend/domain/ itself (SrvDomainDir).
var DirOps = ops(
	&Op{Name: "create", Params: []Param{p("config", Sxpr)}},
	&Op{Name: "new", Params: []Param{p("config", Sxpr)}, MinFormat: 3},
	&Op{Name: "list"},
	// restore answers 201 on success, from the thread; failure leaves 200.
	&Op{Name: "restore", Params: []Param{p("file", Str)}, Threaded: 200},
)

// DomainOps are the ops of /xend/domain/REF (SrvDomain), with the fields
// each 3.4 handler declares (the table in §3).
var DomainOps = ops(
	&Op{Name: "configure", Params: []Param{p("config", Sxpr)}},
	&Op{Name: "start", MinFormat: 3, Accept: true},
	&Op{Name: "delete", MinFormat: 3, Accept: true},
	&Op{Name: "destroy", Accept: true},
	&Op{Name: "shutdown", Params: []Param{p("reason", Direct)}, Accept: true},
	&Op{Name: "wait_for_devices", Accept: true},
	&Op{Name: "pause"},
	&Op{Name: "unpause"},
	&Op{Name: "reset", MinFormat: 4},
	&Op{Name: "rename", Params: []Param{p("name", Str)}},
	&Op{Name: "sysrq", Params: []Param{p("key", Int)}},
	&Op{Name: "save", Params: []Param{p("file", Str)}, Accept: true, Threaded: 202},
	&Op{Name: "dump", Params: []Param{p("file", Str), p("live", Int), p("crash", Int), p("reset", Int)}, Accept: true, Threaded: 202},
	&Op{Name: "migrate", Params: []Param{p("destination", Str), p("live", Int), p("port", Int), p("node", Int), p("ssl", Int)}, Threaded: 200},
	&Op{Name: "pincpu", Params: []Param{p("vcpu", Str), p("cpumap", Str)}},
	&Op{Name: "cpu_sedf_get"},
	&Op{Name: "cpu_sedf_set", Params: []Param{p("period", Int), p("slice", Int), p("latency", Int), p("extratime", Int), p("weight", Int)}},
	&Op{Name: "domain_sched_credit_get", MinFormat: 4},
	&Op{Name: "domain_sched_credit_set", Params: []Param{p("weight", Int), p("cap", Int)}, MinFormat: 4},
	&Op{Name: "maxmem_set", Params: []Param{p("memory", Int)}},
	&Op{Name: "mem_target_set", Params: []Param{p("target", Int)}},
	&Op{Name: "devices", Params: []Param{p("type", Str)}},
	&Op{Name: "device_create", Params: []Param{p("config", Sxpr)}},
	&Op{Name: "device_destroy", Params: []Param{p("type", Str), p("dev", Str), p("force", Int), p("rm_cfg", Int)}},
	&Op{Name: "device_configure", Params: []Param{p("config", Sxpr), p("dev", Str)}},
	&Op{Name: "vif_limit_set", Params: []Param{p("vif", Int), p("credit", Int), p("period", Int)}},
	&Op{Name: "set_vcpus", Params: []Param{p("vcpus", Int)}},
	&Op{Name: "vcpuinfo"},
)

// Lookup finds op in table when xend of this config format has it.
func Lookup(table map[string]*Op, op string, format int) (*Op, bool) {
	o, ok := table[op]
	if !ok || format < o.MinFormat {
		return nil, false
	}
	return o, true
}

// FormError is a form the handler refused; Msg is xend's text, the one
// that goes in (xend.err '…').
type FormError struct{ Msg string }

func (e *FormError) Error() string { return e.Msg }

// CheckForm applies FormFn's rules to form for o, in declared order: a
// declared field missing is "Missing parameter: NAME", one given twice
// "Too many values for NAME", an int that Python's int() refuses its
// ValueError text. Undeclared fields are ignored. Int fields are rewritten
// in plain decimal, as the handler sees them; Sxpr fields are checked with
// ReadSXP. form is changed in place.
func CheckForm(o *Op, form url.Values) error {
	for _, prm := range o.Params {
		vals := form[prm.Name]
		if prm.Kind == Direct {
			if len(vals) == 0 {
				return &FormError{Repr(prm.Name)} // str(KeyError('reason'))
			}
			continue
		}
		switch {
		case len(vals) == 0:
			return &FormError{MissingParameter(prm.Name)}
		case len(vals) > 1:
			return &FormError{TooManyValues(prm.Name)}
		}
		switch prm.Kind {
		case Int:
			n, err := PyInt(vals[0])
			if err != nil {
				return &FormError{err.Error()}
			}
			form[prm.Name] = []string{strconv.FormatInt(n, 10)}
		case Sxpr:
			if _, err := ReadSXP(vals[0]); err != nil {
				return &FormError{err.Error()}
			}
		}
	}
	return nil
}

// PyInt parses like Python's int(): white space around, an optional sign,
// decimal digits. The error is Python's ValueError text, which xend hands
// back in (xend.err …).
func PyInt(s string) (int64, error) {
	t := strings.TrimSpace(s)
	digits := strings.TrimLeft(t, "+-")
	ok := len(t)-len(digits) <= 1 && digits != ""
	for i := 0; ok && i < len(digits); i++ {
		ok = '0' <= digits[i] && digits[i] <= '9'
	}
	if ok {
		if n, err := strconv.ParseInt(t, 10, 64); err == nil {
			return n, nil
		}
	}
	return 0, fmt.Errorf("invalid literal for int() with base 10: %s", Repr(s))
}
