package xend

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"xvirsh/backend"
	"xvirsh/backend/xendhttp"
	"xvirsh/backend/xendrules"
)

// MaxBody is xend's limit on a request body: it answers 413 to anything
// larger, in every version that was read.
const MaxBody = xendrules.MaxBody

// Error is a request xend answered, or failed to answer, with a failure.
// Its text names the request (method, path and op) so that an operator can
// tell which call went wrong; Unwrap gives the backend sentinel, when one
// fits, for errors.Is.
type Error struct {
	Method string
	Path   string
	Op     string // POST op, "" for GET
	Status int    // HTTP status, 0 when there was no reply
	Msg    string // xend's own message, e.g. the (xend.err '…') text
	Err    error  // backend.ErrNotFound etc., or the transport error

	// bare: Msg names xend's address and says all there is, e.g. "xend at
	// unix:/var/lib/xend/xend-socket did not answer within 30 s": the
	// request got no answer worth quoting, or one the client refused.
	bare  bool
	start time.Time // when the request was sent
}

func (e *Error) Error() string {
	if e.bare {
		return e.Msg
	}
	var b strings.Builder
	b.WriteString("xend: ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.Path)
	if e.Op != "" {
		b.WriteString(" op=")
		b.WriteString(e.Op)
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, ": %d", e.Status)
	}
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ConnectError means no connection to xend could be made at all, which
// usually means xend is not running or listens elsewhere.
type ConnectError struct {
	Addr string // e.g. "unix:/var/lib/xend/xend-socket"
	Err  error
}

func (e *ConnectError) Error() string {
	return fmt.Sprintf("cannot connect to xend at %s: %s", e.Addr, describeNetErr(e.Err))
}

func (e *ConnectError) Unwrap() error { return e.Err }

// describeNetErr reduces a dial error to its cause: "connection refused"
// rather than "dial unix /x: connect: connection refused".
func describeNetErr(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno.Error()
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		var se *os.SyscallError
		if errors.As(op.Err, &se) {
			return se.Err.Error()
		}
		return op.Err.Error()
	}
	return err.Error()
}

// xendErrSentinel maps the texts xend (and the fake host behind the
// simulator) put in (xend.err …) to the backend sentinels, so that a
// caller sees the same errors.Is answers over HTTP as in memory.
func xendErrSentinel(msg string) error {
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "unreadable domain record") && !strings.Contains(m, "already exists"):
		return backend.ErrBroken
	case strings.Contains(m, "already exists"):
		return backend.ErrExists
	case strings.Contains(m, "not halted"), strings.Contains(m, "already running"),
		strings.Contains(m, "not running"), strings.Contains(m, "already shut"),
		strings.Contains(m, "is halted"), strings.Contains(m, "invalid state"),
		strings.Contains(m, "privileged domain"):
		return backend.ErrInvalidState
	case strings.Contains(m, "no such domain"), strings.Contains(m, "domain not found"):
		return backend.ErrNotFound
	case strings.Contains(m, "not supported"), strings.Contains(m, "not implemented"):
		return backend.ErrUnsupported
	}
	return nil
}

// transportError explains a request that got no usable reply: the dial
// failed, the deadline passed, or the caller gave up. reqCtx is the
// request's own context, whose cause tells our timeout from the caller's.
// Each message names the xend it was sent to.
func (c *Client) transportError(e *Error, parent, reqCtx context.Context, err error, midReply bool) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" && !isTimeout(err) {
		return &ConnectError{Addr: c.addr(), Err: err}
	}
	e.bare, e.Err = true, err
	switch {
	case errors.Is(context.Cause(reqCtx), errRequestTimeout) || errors.Is(parent.Err(), context.DeadlineExceeded) ||
		(parent.Err() == nil && isTimeout(err)):
		// Ours or the caller's deadline: either way xend took too long,
		// and the time it had is the request's own deadline.
		wait := c.timeout
		if dl, ok := reqCtx.Deadline(); ok && !e.start.IsZero() {
			wait = dl.Sub(e.start)
		}
		e.Msg = fmt.Sprintf("xend at %s did not answer within %s", c.addr(), backend.Wait(wait))
		if midReply {
			e.Msg = fmt.Sprintf("xend at %s did not finish its reply within %s", c.addr(), backend.Wait(wait))
		}
		e.Err = context.DeadlineExceeded
	case parent.Err() != nil:
		e.bare = false
		e.Msg = "interrupted: " + parent.Err().Error()
		e.Err = parent.Err()
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || !midReply && errors.Is(err, syscall.ECONNRESET):
		// A reset before any of the reply is a close with requests unread.
		e.Msg = fmt.Sprintf("xend at %s closed the connection without a reply", c.addr())
	case errors.Is(err, xendhttp.ErrHeaderTooLarge):
		e.Msg = fmt.Sprintf("xend at %s sent a reply head of more than %d bytes; it was not read", c.addr(), maxReplyHead)
	case errors.Is(err, xendhttp.ErrMalformed):
		e.Msg = fmt.Sprintf("the server at %s does not answer in HTTP; is it xend?", c.addr())
	default:
		e.Msg = fmt.Sprintf("connection to xend at %s failed: %s", c.addr(), backend.Printable(describeNetErr(err)))
	}
	return e
}

var errRequestTimeout = errors.New("xend request timeout")

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// defaultTimeout bounds a request when the caller gives no timeout: long
// enough for a real xend starting an HVM guest, short enough that a hung
// daemon does not hang the shell.
const defaultTimeout = 60 * time.Second
