package errors

import (
	stderrors "errors"
	"fmt"
	"io"
	"testing"
)

// The messages tablewriter v1.0.9 builds read as upstream's: New's text,
// Newf's fmt.Sprintf, and a wrapped cause after ": ".
func TestMessages(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{New("invalid align"), "invalid align"},
		{New(""), ""},
		{Newf("Bulk expects a slice, got %T", 3), "Bulk expects a slice, got int"},
		{Newf("renderer close failed").Wrap(io.EOF), "renderer close failed: EOF"},
		{New("failed to establish stream column count/widths").Wrap(nil), "failed to establish stream column count/widths"},
		{Newf("query failed: %w", io.EOF), fmt.Errorf("query failed: %w", io.EOF).Error()},
		{Newf("%d %w %w", 1, io.EOF, io.EOF), `errors.Newf: format "%d %w %w" has multiple %w verbs`},
		{Newf("too many", 1), `errors.Newf: error in format "too many": too many arguments for format "too many"`},
	} {
		if got := c.err.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

func TestChain(t *testing.T) {
	err := Newf("failed to render %s section", "row").Wrap(io.EOF)
	if !stderrors.Is(err, io.EOF) || stderrors.Unwrap(err) != io.EOF {
		t.Errorf("%v does not wrap io.EOF", err)
	}
	var target *Error
	if !stderrors.As(fmt.Errorf("outer: %w", err), &target) || target != err {
		t.Errorf("As did not find %v", err)
	}
	var inner error
	if !err.As(&inner) || inner != io.EOF {
		t.Errorf("As(*error) = %v, want the innermost cause", inner)
	}
}
