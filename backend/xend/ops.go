package xend

import (
	"context"
	"fmt"
	"net/url"

	"xvirsh/backend"
	"xvirsh/sexpr"
)

// Node is GET /xend/node/: the (node …) record.
func (c *Client) Node(ctx context.Context) (*sexpr.Node, error) {
	n, err := c.get(ctx, "/xend/node/", "")
	if err != nil {
		return nil, err
	}
	if n.Head() != "node" {
		return nil, shapeError("/xend/node/", "a (node …) record", n)
	}
	return n, nil
}

// DomainNames is GET /xend/domain?state=STATE: the names of the domains
// in that power state on xend 3.1 and later ("all" for every one), of
// every live domain on xend 3.0.x, which ignores state (spec §2.1).
func (c *Client) DomainNames(ctx context.Context, state string) ([]string, error) {
	n, err := c.get(ctx, "/xend/domain", "state="+url.QueryEscape(state))
	if err != nil {
		return nil, err
	}
	if !n.IsList() {
		return nil, shapeError("/xend/domain", "a list of domain names", n)
	}
	names := make([]string, 0, len(n.Kids))
	for _, k := range n.Kids {
		if k.IsList() {
			return nil, shapeError("/xend/domain", "a list of domain names", n)
		}
		names = append(names, k.Value)
	}
	return names, nil
}

// Domains is GET /xend/domain?detail=1: on xend 3.1 and later the records
// of the running domains only, whatever ?state= would say; on xend 3.0.x,
// which ignores detail, the names of every live domain, returned as atoms
// (spec §2.1). Telling them apart is the caller's job: backend.Domains
// fetches what is missing one by one. The reply is parsed whole, so a
// record nested deeper than sexpr.MaxDepth fails it all (BriefDomains,
// which lists, fails that record alone).
func (c *Client) Domains(ctx context.Context) ([]*sexpr.Node, error) {
	n, err := c.get(ctx, "/xend/domain", "detail=1")
	if err != nil {
		return nil, err
	}
	if !n.IsList() {
		return nil, shapeError("/xend/domain?detail=1", "a list of (domain …) records or names", n)
	}
	// An element that is neither is left out with a warning, as
	// BriefDomains does: it must not cost the listing of the others.
	items := make([]*sexpr.Node, 0, len(n.Kids))
	for _, k := range n.Kids {
		if k.IsList() && k.Head() != "domain" {
			backend.Warn(ctx, notRecord(k.String()))
			continue
		}
		items = append(items, k)
	}
	return items, nil
}

// Domain is GET /xend/domain/REF?detail=1. REF is a name, a domid or a
// UUID; xend resolves it. A 404 wraps backend.ErrNotFound.
func (c *Client) Domain(ctx context.Context, ref string) (*sexpr.Node, error) {
	p, err := domainPath(ref)
	if err != nil {
		return nil, err
	}
	n, err := c.get(ctx, p, "detail=1")
	if err != nil {
		return nil, err
	}
	if n.Head() != "domain" {
		return nil, shapeError(p, "a (domain …) record", n)
	}
	return n, nil
}

// Create is POST /xend/domain/ op=create config=(vm …). xend starts the
// domain paused; unpausing it is the caller's move, as in libvirt.
func (c *Client) Create(ctx context.Context, config *sexpr.Node) error {
	return c.postConfig(ctx, "create", config)
}

// New is POST /xend/domain/ op=new config=(vm …): define, do not start.
func (c *Client) New(ctx context.Context, config *sexpr.Node) error {
	return c.postConfig(ctx, "new", config)
}

func (c *Client) postConfig(ctx context.Context, op string, config *sexpr.Node) error {
	if !config.IsList() {
		return &Error{Method: "POST", Path: "/xend/domain/", Op: op, Msg: "config is not an S-expression list"}
	}
	_, err := c.post(ctx, "/xend/domain/", op, url.Values{"config": {config.String()}})
	return err
}

// Op is POST /xend/domain/REF op=OP with the extra form fields.
func (c *Client) Op(ctx context.Context, ref, op string, form url.Values) error {
	p, err := domainPath(ref)
	if err != nil {
		return err
	}
	if op == "" {
		return &Error{Method: "POST", Path: p, Msg: "empty op"}
	}
	_, err = c.post(ctx, p, op, form)
	return err
}

// domainPath escapes ref as one path segment: xend splits the path on /
// first and unquotes each part, so a name holding / or ? stays whole.
func domainPath(ref string) (string, error) {
	if ref == "" {
		return "", fmt.Errorf("xend: empty domain name")
	}
	return "/xend/domain/" + url.PathEscape(ref), nil
}

func shapeError(path, want string, got *sexpr.Node) error {
	s := got.String()
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return &Error{Method: "GET", Path: path, Msg: fmt.Sprintf("unexpected reply: want %s, got %s", want, s)}
}

// VCPUInfo is GET /xend/domain/REF?op=vcpuinfo (spec §2.4).
func (c *Client) VCPUInfo(ctx context.Context, ref string) (*sexpr.Node, error) {
	p, err := domainPath(ref)
	if err != nil {
		return nil, err
	}
	n, err := c.get(ctx, p, "op=vcpuinfo")
	if err != nil {
		return nil, err
	}
	if n.Head() != "domain" {
		return nil, shapeError(p+"?op=vcpuinfo", "a (domain … (vcpu …)) record", n)
	}
	return n, nil
}

// Restore is POST /xend/domain/ op=restore file=PATH. xend answers 201 on
// success and 200 with (xend.err …) on failure, from its worker thread
// (spec §3); do turns the latter into an error.
func (c *Client) Restore(ctx context.Context, file string) error {
	_, err := c.post(ctx, "/xend/domain/", "restore", url.Values{"file": {file}})
	return err
}
