package commands

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"xvirsh/backend"
	"xvirsh/xmlconv"
)

// errHelp is what the binder returns for `CMD --help`: the dispatcher turns
// it into `help CMD`, as virsh does.
var errHelp = errors.New("help requested")

// Invocation is one bound command: its options' values plus what the
// handler needs to run.
type Invocation struct {
	Cmd     *Command
	Env     *Env
	Backend backend.Backend // nil for NoBackend commands
	Out     io.Writer
	vals    map[string][]string
}

// opt panics on a name the command does not declare: a programming error
// the table test and the first run catch, never a user error.
func (inv *Invocation) opt(name string, kinds ...Kind) *Opt {
	o := inv.Cmd.Opt(name)
	if o == nil {
		panic(fmt.Sprintf("commands: %s has no option %q", inv.Cmd.Name, name))
	}
	for _, k := range kinds {
		if o.Kind == k {
			return o
		}
	}
	panic(fmt.Sprintf("commands: option %s of %s has the wrong kind", name, inv.Cmd.Name))
}

// Bool reports whether the flag was given.
func (inv *Invocation) Bool(name string) bool {
	inv.opt(name, KindBool)
	_, ok := inv.vals[name]
	return ok
}

// Lookup returns a String or Number option's value and whether it was given.
func (inv *Invocation) Lookup(name string) (string, bool) {
	inv.opt(name, KindString, KindNumber)
	v, ok := inv.vals[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// String returns a String or Number option's value, "" when absent.
func (inv *Invocation) String(name string) string {
	v, _ := inv.Lookup(name)
	return v
}

// Argv returns the words an Argv option collected.
func (inv *Invocation) Argv(name string) []string {
	inv.opt(name, KindArgv)
	return inv.vals[name]
}

// Int parses a Number option as a non-negative integer, with virsh's
// message for bad values.
func (inv *Invocation) Int(name string) (int, error) {
	v, _ := inv.Lookup(name)
	n, err := strconv.ParseUint(unsignedDigits(v), 10, 31)
	if err != nil {
		return 0, fmt.Errorf("Numeric value '%s' for <%s> option is malformed or out of range", v, name)
	}
	return int(n), nil
}

// ScaledKiB parses a Number option as a scaled integer in KiB (virsh's
// default unit for memory sizes): 512, 512k, 2M, 1GiB, 1GB, 4096b...
// A bad unit or a size past 2^64 bytes gets virsh's second line, the
// reason libvirt's scaling gave.
func (inv *Invocation) ScaledKiB(name string) (uint64, error) {
	v, _ := inv.Lookup(name)
	kib, err := parseScaledKiB(v)
	if err != nil {
		msg := fmt.Sprintf("Scaled numeric value '%s' for <%s> option is malformed or out of range", v, name)
		var why *scaleError
		if errors.As(err, &why) {
			return 0, &Error{Msg: msg, Err: why}
		}
		return 0, errors.New(msg)
	}
	return kib, nil
}

// scaleError is why libvirt's virScaleInteger refused a number it read.
type scaleError struct{ msg string }

func (e *scaleError) Error() string { return e.msg }

func parseScaledKiB(s string) (uint64, error) {
	s = unsignedDigits(s)
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, errors.New("no number")
	}
	n, err := strconv.ParseUint(s[:i], 10, 64)
	if err != nil {
		return 0, err
	}
	bytesPer, ok := xmlconv.UnitBytes(s[i:])
	if s[i:] == "" {
		bytesPer, ok = 1<<10, true // virsh's default unit for memory
	}
	if !ok {
		return 0, &scaleError{fmt.Sprintf("invalid argument: unknown suffix '%s'", s[i:])}
	}
	// virsh's limit for a size in bytes is ULONG_MAX.
	if n > math.MaxUint64/bytesPer {
		return 0, &scaleError{fmt.Sprintf("numerical overflow: value too large: %d%s", n, s[i:])}
	}
	// Round up to whole KiB, as libvirt does for memory sizes.
	b := n * bytesPer
	return b/1024 + min(b%1024, 1), nil
}

// unsignedDigits drops what C's strtoul takes before the digits, leading
// white space and one '+', as virsh's number options read " 100000" and
// "+2"; a '-' stays and is refused, as virsh refuses it.
func unsignedDigits(s string) string {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	if strings.HasPrefix(s, "+") {
		return s[1:]
	}
	return s
}

// Exclusive fails when both options were given, with virsh's message.
func (inv *Invocation) Exclusive(a, b string) error {
	_, okA := inv.vals[a]
	_, okB := inv.vals[b]
	if okA && okB {
		return fmt.Errorf("Options --%s and --%s are mutually exclusive", a, b)
	}
	return nil
}

// bindState is where binding stopped; completion reads it.
type bindState struct {
	vals    map[string][]string
	pending *Opt // the last word was an option that still needs its value
	next    *Opt // the positional option the next data word would fill
}

// bind matches words against cmd's options: `--name value`, `--name=value`,
// flags, `--` ending options, and data words filling the positional options
// in order. In partial mode it never fails and reports where it stopped.
func bind(cmd *Command, words []string, partial bool) (*bindState, error) {
	st := &bindState{vals: map[string][]string{}}
	optsDone := false
	for i := 0; i < len(words); i++ {
		w := words[i]
		if !optsDone && strings.HasPrefix(w, "--") {
			if w == "--" {
				optsDone = true
				continue
			}
			name, val, hasVal := strings.Cut(w[2:], "=")
			if name == "help" && !hasVal && cmd.Opt("help") == nil {
				if partial {
					continue
				}
				return nil, errHelp
			}
			o := cmd.Opt(name)
			if o == nil {
				if partial {
					continue
				}
				return nil, fmt.Errorf("command '%s' doesn't support option --%s", cmd.Name, name)
			}
			if _, seen := st.vals[name]; seen && o.Kind != KindArgv && !partial {
				return nil, fmt.Errorf("option --%s already seen", name)
			}
			if o.Kind == KindBool {
				if hasVal && !partial {
					return nil, fmt.Errorf("invalid '=' after option --%s", name)
				}
				st.vals[name] = nil
				continue
			}
			if !hasVal {
				if i+1 >= len(words) {
					if partial {
						st.pending = o
						return st, nil
					}
					return nil, fmt.Errorf("expected syntax: --%s <%s>", name, valueType(o.Kind))
				}
				i++
				val = words[i]
			}
			st.vals[name] = append(st.vals[name], val)
			continue
		}
		o := nextPositional(cmd, st.vals)
		if o == nil {
			if partial {
				continue
			}
			return nil, fmt.Errorf("unexpected data '%s'", w)
		}
		st.vals[o.Name] = append(st.vals[o.Name], w)
	}
	st.next = nextPositional(cmd, st.vals)
	if partial {
		return st, nil
	}
	if err := missing(cmd, st.vals); err != nil {
		return nil, err
	}
	return st, nil
}

// missing reports every required option not given, one error line each,
// as virsh does. virsh names a data word <name> and a number --name, even
// when the number may be given positionally (setmem's size).
func missing(cmd *Command, vals map[string][]string) error {
	var msgs []string
	for _, o := range cmd.Opts {
		if _, ok := vals[o.Name]; ok || !o.Required {
			continue
		}
		if o.Positional && o.Kind != KindNumber {
			msgs = append(msgs, fmt.Sprintf("command '%s' requires <%s> option", cmd.Name, o.Name))
		} else {
			msgs = append(msgs, fmt.Sprintf("command '%s' requires --%s option", cmd.Name, o.Name))
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	// A chain of *Error prints one `error: ` line per message.
	err := &Error{Msg: msgs[len(msgs)-1]}
	for i := len(msgs) - 2; i >= 0; i-- {
		err = &Error{Msg: msgs[i], Err: err}
	}
	return err
}

// nextPositional is the first positional option still without a value; an
// Argv option keeps collecting once started.
func nextPositional(cmd *Command, vals map[string][]string) *Opt {
	for i := range cmd.Opts {
		o := &cmd.Opts[i]
		if !o.Positional {
			continue
		}
		if _, ok := vals[o.Name]; !ok || o.Kind == KindArgv {
			return o
		}
	}
	return nil
}

func valueType(k Kind) string {
	if k == KindNumber {
		return "number"
	}
	return "string"
}

// newInvocation binds words for a real run.
func (e *Env) newInvocation(cmd *Command, words []string) (*Invocation, error) {
	st, err := bind(cmd, words, false)
	if err != nil {
		return nil, err
	}
	return &Invocation{Cmd: cmd, Env: e, Out: e.IO.Out, vals: st.vals}, nil
}
