package fake

import (
	"context"

	"xvirsh/sexpr"
)

// allRecords is every record the host holds, gathered as a client of xend
// 3.1 must: ?detail=1 lists running domains only, so names come from
// state=all and each record is fetched.
func allRecords(ctx context.Context, h *Host) ([]*sexpr.Node, error) {
	names, err := h.DomainNames(ctx, "all")
	if err != nil {
		return nil, err
	}
	recs := make([]*sexpr.Node, 0, len(names))
	for _, n := range names {
		r, err := h.Domain(ctx, n)
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
	}
	return recs, nil
}
