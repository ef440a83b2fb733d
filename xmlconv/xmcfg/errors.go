package xmcfg

import (
	"errors"
	"fmt"
)

// Sentinel errors, wrapped by *SyntaxError, for errors.Is. The first eight
// carry libvirt's own messages (xm-config.md §1.2); the rest are limits and
// refusals of ours that libvirt did not make.
var (
	ErrName        = errors.New("expecting a name")
	ErrAssign      = errors.New("expecting an assignment")
	ErrValue       = errors.New("expecting a value")
	ErrNumber      = errors.New("unterminated number")
	ErrString      = errors.New("unterminated string")
	ErrListSep     = errors.New("expecting a separator in list")
	ErrListClose   = errors.New("list is not closed with ]")
	ErrSeparator   = errors.New("expecting a separator")
	ErrTooLarge    = errors.New("input too large")
	ErrNUL         = errors.New("NUL byte in input")
	ErrTooDeep     = errors.New("lists nested too deeply")
	ErrIntRange    = errors.New("integer out of range")
	ErrUnwritable  = errors.New("value cannot be written")
	ErrValueAccess = errors.New("bad config value")
)

// Pos is a place in the input: a 0-based byte offset and a 1-based line and
// byte column. LF, CR and CR LF each end a line. The zero Pos is "no
// position" (a value built in Go, not read).
type Pos struct {
	Offset, Line, Col int
}

// IsValid reports whether p was set by the reader.
func (p Pos) IsValid() bool { return p.Line > 0 }

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// SyntaxError is a file the reader refuses.
type SyntaxError struct {
	Source string // file path, or "memory conf" for text given directly
	Pos    Pos
	Err    error  // one of the sentinels above
	Detail string // what was found, and why it is refused; may be empty
}

func (e *SyntaxError) Error() string {
	s := fmt.Sprintf("%s:%d:%d: %v", e.Source, e.Pos.Line, e.Pos.Col, e.Err)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

func (e *SyntaxError) Unwrap() error { return e.Err }

// ValueError is a key whose value a typed lookup cannot use; Msg is
// libvirt's text (§1.4), e.g. "config value memory was malformed".
type ValueError struct {
	Source string
	Key    string
	Pos    Pos // of the value; zero when the key is missing
	Msg    string
}

func (e *ValueError) Error() string {
	if e.Pos.IsValid() {
		return fmt.Sprintf("%s:%d:%d: %s", e.Source, e.Pos.Line, e.Pos.Col, e.Msg)
	}
	if e.Source != "" {
		return e.Source + ": " + e.Msg
	}
	return e.Msg
}

func (e *ValueError) Unwrap() error { return ErrValueAccess }

// WriteError is an entry the writer refuses: a bad name or a value that
// would not read back as written (§1.5 Target).
type WriteError struct {
	Key    string
	Detail string
}

func (e *WriteError) Error() string {
	return fmt.Sprintf("xm config key %q: %v: %s", e.Key, ErrUnwritable, e.Detail)
}

func (e *WriteError) Unwrap() error { return ErrUnwritable }
