package backend

import (
	"context"

	"xvirsh/sexpr"
)

// A listing reads a dozen top-level fields of each (domain …) record and
// none of its devices; at 10,000 domains the devices are nine tenths of
// the bytes. A brief record is a record cut down to what summary reads,
// so that a host can hand over, and a client parse, only that.
//
// BriefKeys are the top-level fields summary reads; the image is kept
// only as (image (hvm x)) when the domain is HVM.
var BriefKeys = map[string]bool{
	"name": true, "uuid": true, "domid": true, "state": true, "status": true,
	"memory": true, "maxmem": true, "vcpus": true, "vcpu_avail": true,
	"cpu_time": true, "managed": true, "on_xend_start": true,
}

// BriefImage is the stand-in a brief record carries for an HVM image.
func BriefImage() *sexpr.Node { return sexpr.List(sexpr.Atom("image"), sexpr.KV("hvm", "1")) }

// Brief cuts rec to a brief record. Scalar lookups take the first (key …)
// of a record, so only the first of each key is kept; a key whose value
// is a list keeps the key alone, which reads as no value, as before.
func Brief(rec *sexpr.Node) *sexpr.Node {
	out := sexpr.List(sexpr.Atom("domain"))
	seen := make(map[string]bool, len(BriefKeys))
	for _, k := range rec.Args() {
		key := k.Head()
		if !BriefKeys[key] || seen[key] {
			continue
		}
		seen[key] = true
		if len(k.Kids) >= 2 && !k.Kids[1].IsList() {
			out.Append(sexpr.KV(key, k.Kids[1].Value))
		} else {
			out.Append(sexpr.List(sexpr.Atom(key)))
		}
	}
	if rec.HasContent("image/hvm") {
		out.Append(BriefImage())
	}
	return out
}

// BriefXend is a Xend that can serve brief records (see Brief), as the
// HTTP client does by reading only those fields out of xend's replies.
// Records that a command converts (dumpxml, create) always come whole,
// from Domains and Domain.
type BriefXend interface {
	Xend
	// BriefDomains is Domains with each record cut to a brief one.
	BriefDomains(ctx context.Context) ([]*sexpr.Node, error)
	// BriefDomain is Domain cut to a brief record.
	BriefDomain(ctx context.Context, ref string) (*sexpr.Node, error)
}

// BulkBriefXend is a BulkXend that can also hand over every brief record
// in one call (the fake host, whose directory keeps an index of them).
type BulkBriefXend interface {
	BulkXend
	AllBriefDomains(ctx context.Context) ([]*sexpr.Node, error)
}
