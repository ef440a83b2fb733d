// Package connect turns a connection URI into a Backend. It sits apart
// from package backend because it imports both hosts (fake and xend),
// which import backend.
//
//	test:///default           the built-in demo host, fresh on every start
//	test:///ABSOLUTE/DIR      the demo host kept in DIR, shared by processes
//	xen:///                   the local xend, /var/lib/xend/xend-socket
//	xen+unix:///PATH          a xend on the Unix socket PATH
//	http://HOST[:PORT]/       a xend's TCP server (port 8000 by default)
//
// A test URI may add ?format=N to choose the xend config format (1-4) the
// fake host speaks.
package connect

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"path"
	"strconv"
	"time"

	"xvirsh/backend"
	"xvirsh/backend/fake"
	"xvirsh/backend/xend"
)

// DefaultSocket is where xend listens for local clients.
const DefaultSocket = xend.DefaultSocket

// defaultPort is xend's TCP server port.
const defaultPort = "8000"

// Timeout bounds each request to a real xend.
var Timeout = 60 * time.Second

const supported = "test:///default, test:///ABSOLUTE/DIR, xen:///, xen+unix:///PATH or http://HOST:PORT/"

// Open is OpenContext with no deadline, for callers that cannot be
// interrupted anyway.
func Open(uri string) (backend.Backend, error) {
	return OpenContext(context.Background(), uri)
}

// OpenContext returns the backend for uri. Nothing is dialled yet for a
// real xend: the first command that needs the host reports a dead daemon.
// ctx bounds the wait for a test:///DIR host's lock, which another process
// may hold.
func OpenContext(ctx context.Context, uri string) (backend.Backend, error) {
	if uri == defaultTest { // every command of a demo, before anything else
		return openDefault(uri, 4), nil
	}
	open, err := resolve(uri)
	if err != nil {
		return nil, err
	}
	return open(ctx)
}

// Check tells what is wrong with uri itself, without opening its host:
// a typing error fails at start, as in virsh, while a daemon that is
// down is found by the first command that needs it.
func Check(uri string) error {
	if uri == defaultTest {
		return nil
	}
	_, err := resolve(uri)
	return err
}

// resolve reads uri and returns what opens its host. Every rule about a
// URI's shape is here, so that Check and OpenContext agree.
func resolve(uri string) (func(context.Context) (backend.Backend, error), error) {
	u, err := url.Parse(uri)
	if err != nil || uri == "" {
		return nil, fmt.Errorf("invalid connection URI '%s': use %s", uri, supported)
	}
	switch u.Scheme {
	case "test":
		return resolveTest(uri, u)
	case "xen":
		if u.Host != "" && u.Host != "localhost" {
			return nil, fmt.Errorf("invalid connection URI '%s': xen:/// is the local xend; use http://%s:%s/ for a remote one", uri, u.Hostname(), defaultPort)
		}
		if p := u.Path; p != "" && p != "/" && p != "/system" {
			return nil, fmt.Errorf("invalid connection URI '%s': unexpected path %q (use xen:/// or xen+unix:///PATH)", uri, p)
		}
		return xendAt(uri, "unix", DefaultSocket), nil
	case "xen+unix":
		if u.Host != "" {
			return nil, fmt.Errorf("invalid connection URI '%s': the socket is local; use xen+unix:///PATH", uri)
		}
		sock := u.Query().Get("socket")
		if sock == "" {
			sock = u.Path
		}
		if sock == "" || sock == "/" {
			sock = DefaultSocket
		}
		if !path.IsAbs(sock) {
			return nil, fmt.Errorf("invalid connection URI '%s': the socket path must be absolute", uri)
		}
		return xendAt(uri, "unix", sock), nil
	case "http":
		if u.Host == "" {
			return nil, fmt.Errorf("invalid connection URI '%s': no host (use http://HOST:PORT/)", uri)
		}
		if u.Path != "" && u.Path != "/" {
			return nil, fmt.Errorf("invalid connection URI '%s': xend serves no path %q; use http://HOST:PORT/", uri, u.Path)
		}
		port := u.Port()
		if port == "" {
			port = defaultPort
		}
		return xendAt(uri, "tcp", net.JoinHostPort(u.Hostname(), port)), nil
	case "":
		// libvirt took a bare path for the socket of a local xend.
		if path.IsAbs(u.Path) {
			return xendAt(uri, "unix", u.Path), nil
		}
	}
	return nil, fmt.Errorf("no connection driver available for %s: use %s", uri, supported)
}

// xendAt opens a xend client for addr when called.
func xendAt(uri, network, addr string) func(context.Context) (backend.Backend, error) {
	return func(context.Context) (backend.Backend, error) { return openXend(uri, network, addr) }
}

func openXend(uri, network, addr string) (backend.Backend, error) {
	c, err := xend.New(network, addr, Timeout)
	if err != nil {
		return nil, err
	}
	if network == "unix" {
		// A xend on this machine: its managed domains are on this disk.
		return backend.NewLocalDomains(c, uri, XendDomainsDir), nil
	}
	return backend.NewDomains(c, uri), nil
}

// XendDomainsDir is where xend keeps the configs of the domains it
// manages, one directory per UUID (xend-domains-path's default; libvirt's
// XEND_DOMAINS_DIR).
const XendDomainsDir = "/var/lib/xend/domains"

// Resident reports whether uri names the demo host, which lives in this
// process's memory (test:///default, in any config format): it answers
// at once, so nothing needs to bound how long it takes.
func Resident(uri string) bool {
	if uri == defaultTest { // the default, asked before every command
		return true
	}
	u, err := url.Parse(uri)
	return err == nil && u.Scheme == "test" && u.Host == "" && path.Clean("/"+u.Path) == "/default"
}

// defaultTest is the demo host's URI as written by hand, in main.go's
// default and the README: the spelling worth telling apart without
// parsing it.
const defaultTest = "test:///default"

// openDefault opens the demo host, at a config format, for uri.
func openDefault(uri string, format int) backend.Backend {
	h := fake.NewDefaultFormat(format)
	h.SetRelocator(Relocate)
	return backend.NewDomains(h, uri)
}

// resolveTest reads a test URI: the demo host, or one kept in a
// directory, at a config format.
func resolveTest(uri string, u *url.URL) (func(context.Context) (backend.Backend, error), error) {
	if u.Host != "" {
		return nil, fmt.Errorf("invalid connection URI '%s': a test URI has no host; use test:///default or test:///ABSOLUTE/DIR", uri)
	}
	format := 4
	if s := u.Query().Get("format"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 4 {
			return nil, fmt.Errorf("invalid connection URI '%s': format must be a xend config format from 1 to 4", uri)
		}
		format = n
	}
	switch p := path.Clean("/" + u.Path); p {
	case "/default":
		return func(context.Context) (backend.Backend, error) { return openDefault(uri, format), nil }, nil
	case "/":
		return nil, fmt.Errorf("invalid connection URI '%s': use test:///default or test:///ABSOLUTE/DIR", uri)
	default:
		// test:///defualt must not quietly make /defualt a new host: a
		// directory right under / is used only when it exists already.
		if path.Dir(p) == "/" {
			if _, err := os.Stat(p); err != nil {
				return nil, fmt.Errorf("invalid connection URI '%s': no directory %s; use test:///default or test:///ABSOLUTE/DIR", uri, p)
			}
		}
		return func(ctx context.Context) (backend.Backend, error) {
			h, err := fake.OpenContext(ctx, p)
			if err != nil {
				return nil, err
			}
			h.SetConfigFormat(format)
			h.SetRelocator(Relocate)
			return backend.NewDomains(h, uri), nil
		}, nil
	}
}
