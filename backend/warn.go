package backend

import "context"

type warnKey struct{}

// WithWarnings returns a context whose conversions report to fn what a
// lenient read dropped from a domain (a sound card, a NIC model, a serial
// type the converter does not know), so that the command can tell the
// operator while the domain itself still dumps.
func WithWarnings(ctx context.Context, fn func(msg string)) context.Context {
	return context.WithValue(ctx, warnKey{}, fn)
}

// warnings returns the function WithWarnings put in ctx, or nil.
func warnings(ctx context.Context) func(string) {
	fn, _ := ctx.Value(warnKey{}).(func(string))
	return fn
}

// Warn tells the operator, through the sink WithWarnings put in ctx, of
// something worth knowing but not worth failing the command for: a domain
// record the host cannot read, a lock it is waiting for. The dispatcher
// installs one sink per command and prints each distinct warning once on
// stderr, as the host meets it; without a sink the warning goes nowhere.
// The sink may be called from several goroutines and must not block.
func Warn(ctx context.Context, msg string) {
	if fn := warnings(ctx); fn != nil {
		fn(msg)
	}
}

type secretsKey struct{}

// WithoutSecrets returns a context whose domain XML leaves secrets (the
// VNC password) out, as libvirt's XML does without its secure flag.
// Without it the XML is complete, as a conversion back to SEXPR needs.
func WithoutSecrets(ctx context.Context) context.Context {
	return context.WithValue(ctx, secretsKey{}, true)
}

func hideSecrets(ctx context.Context) bool {
	hide, _ := ctx.Value(secretsKey{}).(bool)
	return hide
}
