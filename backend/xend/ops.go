package xend

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

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

// DomainNames is GET /xend/domain?state=all. A plain GET on xend 3.1 and
// later leaves out paused and halted domains; state=all asks for every
// one, and older xend, which ignores the argument, lists all live ones.
func (c *Client) DomainNames(ctx context.Context) ([]string, error) {
	n, err := c.get(ctx, "/xend/domain", "state=all")
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

// Domains is GET /xend/domain?detail=1&state=all: every (domain …) record
// in one reply. xend before 3.1 ignores detail and answers with names;
// then each domain is fetched in turn, as libvirt did.
func (c *Client) Domains(ctx context.Context) ([]*sexpr.Node, error) {
	n, err := c.get(ctx, "/xend/domain", "detail=1&state=all")
	if err != nil {
		return nil, err
	}
	if !n.IsList() {
		return nil, shapeError("/xend/domain?detail=1", "a list of (domain …) records", n)
	}
	out := make([]*sexpr.Node, 0, len(n.Kids))
	for _, k := range n.Kids {
		if !k.IsList() {
			return c.domainsOneByOne(ctx, n)
		}
		if k.Head() != "domain" {
			return nil, shapeError("/xend/domain?detail=1", "a list of (domain …) records", k)
		}
		out = append(out, k)
	}
	return out, nil
}

func (c *Client) domainsOneByOne(ctx context.Context, names *sexpr.Node) ([]*sexpr.Node, error) {
	out := make([]*sexpr.Node, 0, len(names.Kids))
	for _, k := range names.Kids {
		if k.IsList() {
			return nil, shapeError("/xend/domain?detail=1", "a list of (domain …) records", names)
		}
		d, err := c.Domain(ctx, k.Value)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
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
		return &Error{Method: http.MethodPost, Path: "/xend/domain/", Op: op, Msg: "config is not an S-expression list"}
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
		return &Error{Method: http.MethodPost, Path: p, Msg: "empty op"}
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
	return &Error{Method: http.MethodGet, Path: path, Msg: fmt.Sprintf("unexpected reply: want %s, got %s", want, s)}
}
