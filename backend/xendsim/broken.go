package xendsim

import (
	"errors"

	"xvirsh/backend"
)

// deleteBroken answers POST /xend/domain/UUID op=delete for a domain whose
// record the host cannot read (backend.ErrBroken), and nil for every other
// request. It is the fake host's one departure from xend, which skips a
// managed domain it cannot read at start-up: such a record stays
// addressable by UUID so that a client can remove it. The answer is
// delete's usual one, 202 Accepted.
func (q *request) deleteBroken() *response {
	if q.Method != "POST" || len(q.args["op"]) != 1 || q.args.first("op") != "delete" {
		return nil
	}
	parts := q.pathParts()
	if len(parts) != 3 || parts[0] != "xend" || parts[1] != "domain" {
		return nil
	}
	ref := parts[2]
	if _, err := q.h.host.Domain(q.ctx(), ref); !errors.Is(err, backend.ErrBroken) {
		return nil
	}
	if err := q.h.host.Op(q.ctx(), ref, "delete", nil); err != nil {
		return q.hostError("delete", ref, err)
	}
	r := emptyReply(202)
	r.location = q.location(q.Path + "/..")
	return r
}
