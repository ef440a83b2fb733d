package connect

import (
	"context"
	"net"
	"path/filepath"
	"strconv"

	"xvirsh/backend"
	"xvirsh/backend/fake"
	"xvirsh/backend/xend"
)

// simRelocationPort is where Relocate looks for the destination when
// op=migrate says port 0. xend would open its relocation port (8002) and
// speak its relocation protocol; the fake host has neither, so it hands
// the domain to the destination's HTTP API, whose port is 8000.
const simRelocationPort = 8000

// Relocate is the fake host's way to reach a migration destination: a
// destination that is an absolute path is the unix socket of a xend (or
// xvirsh xend-sim) on this machine; anything else is a host name, and
// port the xend HTTP port there.
var Relocate fake.Relocator = func(ctx context.Context, dest string, port int) (backend.Xend, error) {
	if filepath.IsAbs(dest) {
		return xend.New("unix", dest, Timeout)
	}
	if port == 0 {
		port = simRelocationPort
	}
	return xend.New("tcp", net.JoinHostPort(dest, strconv.Itoa(port)), Timeout)
}
