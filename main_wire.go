package main

import (
	"context"

	"xvirsh/backend"
	"xvirsh/backend/connect"
	"xvirsh/commands"
	"xvirsh/shell"
)

// openURI and runShell are the two outside pieces run() wires in: the URI
// to backend mapping and the interactive shell.
func openURI(ctx context.Context, uri string) (backend.Backend, error) {
	return connect.OpenContext(ctx, uri)
}

func runShell(ctx context.Context, env *commands.Env) int { return shell.Run(ctx, env) }
