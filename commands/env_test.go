package commands

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"xvirsh/backend"
	"xvirsh/backend/connect"
)

// testEnv is an Env without a host: enough for help, the tokenizer and
// the converters.
func testEnv(out io.Writer) *Env {
	return NewEnv(&IOStreams{In: strings.NewReader(""), Out: out, Err: out}, "test:///none",
		func(context.Context, string) (backend.Backend, error) { return nil, errors.New("no host in this test") })
}

// bufEnv is an Env on uri, opened through open, with stdout and stderr
// apart; it is closed when the test ends.
func bufEnv(t *testing.T, uri string, open func(context.Context, string) (backend.Backend, error)) (*Env, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	var out, errb bytes.Buffer
	e := NewEnv(&IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, uri, open)
	t.Cleanup(func() { e.Close() })
	return e, &out, &errb
}

// demoEnv is an Env on a fresh demo host.
func demoEnv(t *testing.T) (*Env, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	return bufEnv(t, "test:///default", connect.OpenContext)
}

// hostEnv is an Env over the given host.
func hostEnv(t *testing.T, b backend.Backend) (*Env, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	return bufEnv(t, b.URI(), func(context.Context, string) (backend.Backend, error) { return b, nil })
}
