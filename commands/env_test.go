package commands

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"

	"xvirsh/backend"
)

// testEnv is an Env without a host: enough for help, the tokenizer and
// the converters.
func testEnv(out io.Writer) *Env {
	return NewEnv(&IOStreams{In: strings.NewReader(""), Out: out, Err: out}, "test:///none",
		func(context.Context, string) (backend.Backend, error) { return nil, errors.New("no host in this test") })
}

var _ = bytes.MinRead
