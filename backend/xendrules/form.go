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

// OpTable is a list of ops, looked up by name with Lookup. A literal
// slice rather than a map: a package-level map is built by every
// start-up, a one-shot xvirsh command's included.
type OpTable []Op

// DirOps are the ops of /xend/domain/ itself (SrvDomainDir).
var DirOps = OpTable{
	{Name: "create", Params: []Param{{"config", Sxpr}}},
	{Name: "new", Params: []Param{{"config", Sxpr}}, MinFormat: 3},
	{Name: "list"},
	// restore answers 201 on success, from the thread; failure leaves 200.
	{Name: "restore", Params: []Param{{"file", Str}}, Threaded: 200},
}

// DomainOps are the ops of /xend/domain/REF (SrvDomain), with the fields
// each 3.4 handler declares (the table in §3).
var DomainOps = OpTable{
	{Name: "configure", Params: []Param{{"config", Sxpr}}},
	{Name: "start", MinFormat: 3, Accept: true},
	{Name: "delete", MinFormat: 3, Accept: true},
	{Name: "destroy", Accept: true},
	{Name: "shutdown", Params: []Param{{"reason", Direct}}, Accept: true},
	{Name: "wait_for_devices", Accept: true},
	{Name: "pause"},
	{Name: "unpause"},
	{Name: "reset", MinFormat: 4},
	{Name: "rename", Params: []Param{{"name", Str}}},
	{Name: "sysrq", Params: []Param{{"key", Int}}},
	{Name: "save", Params: []Param{{"file", Str}}, Accept: true, Threaded: 202},
	{Name: "dump", Params: []Param{{"file", Str}, {"live", Int}, {"crash", Int}, {"reset", Int}}, Accept: true, Threaded: 202},
	{Name: "migrate", Params: []Param{{"destination", Str}, {"live", Int}, {"port", Int}, {"node", Int}, {"ssl", Int}}, Threaded: 200},
	{Name: "pincpu", Params: []Param{{"vcpu", Str}, {"cpumap", Str}}},
	{Name: "cpu_sedf_get"},
	{Name: "cpu_sedf_set", Params: []Param{{"period", Int}, {"slice", Int}, {"latency", Int}, {"extratime", Int}, {"weight", Int}}},
	{Name: "domain_sched_credit_get", MinFormat: 4},
	{Name: "domain_sched_credit_set", Params: []Param{{"weight", Int}, {"cap", Int}}, MinFormat: 4},
	{Name: "maxmem_set", Params: []Param{{"memory", Int}}},
	{Name: "mem_target_set", Params: []Param{{"target", Int}}},
	{Name: "devices", Params: []Param{{"type", Str}}},
	{Name: "device_create", Params: []Param{{"config", Sxpr}}},
	{Name: "device_destroy", Params: []Param{{"type", Str}, {"dev", Str}, {"force", Int}, {"rm_cfg", Int}}},
	{Name: "device_configure", Params: []Param{{"config", Sxpr}, {"dev", Str}}},
	{Name: "vif_limit_set", Params: []Param{{"vif", Int}, {"credit", Int}, {"period", Int}}},
	{Name: "set_vcpus", Params: []Param{{"vcpus", Int}}},
	{Name: "vcpuinfo"},
}

// Lookup finds op in table when xend of this config format has it.
func Lookup(table OpTable, op string, format int) (*Op, bool) {
	for i := range table {
		if o := &table[i]; o.Name == op {
			if format < o.MinFormat {
				return nil, false
			}
			return o, true
		}
	}
	return nil, false
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
