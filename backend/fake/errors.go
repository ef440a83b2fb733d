package fake

import (
	"fmt"

	"xvirsh/backend"
	"xvirsh/backend/xendrules"
)

// Error is a refusal in xend's words. Msg is the text xend would put in
// (xend.err '…') or a 404 page, so the simulator can serve it unchanged;
// Kind is the backend sentinel it stands for (errors.Is), nil when none fits.
type Error struct {
	Msg  string
	Kind error
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Kind }

func errorf(kind error, format string, args ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, args...), Kind: kind}
}

// noSuchDomain is old xend's 404 text for an unknown reference.
func noSuchDomain(ref string) *Error {
	return errorf(backend.ErrNotFound, "%s", xendrules.NoSuchDomain(1, ref))
}

// notImplemented is what xend's HTTP layer answers (501) for an op it has
// no handler for, e.g. op=new on a 3.0.3 host.
func notImplemented(op string) *Error {
	return errorf(backend.ErrUnsupported, "%s", xendrules.OpNotImplemented(op))
}

func notRunning(name string) *Error {
	return errorf(backend.ErrInvalidState, "Domain '%s' is not running", name)
}
