package backend

import "context"

// A host that meets something worth telling the operator but not worth
// failing the command for (a domain record it cannot read, a lock it is
// waiting for) says so through the context: the dispatcher installs one
// sink per command and prints each distinct warning once, on stderr, while
// the command runs. Without a sink a warning goes nowhere, which is what a
// library caller that never asked for them wants.

type warnKey struct{}

// WithWarnings returns ctx carrying sink. sink may be called from several
// goroutines at once and must not block.
func WithWarnings(ctx context.Context, sink func(msg string)) context.Context {
	return context.WithValue(ctx, warnKey{}, sink)
}

// Warn passes msg to the sink in ctx, if there is one.
func Warn(ctx context.Context, msg string) {
	if sink, ok := ctx.Value(warnKey{}).(func(string)); ok && sink != nil {
		sink(msg)
	}
}
