package backend

import (
	"context"
	"unsafe"

	"xvirsh/sexpr"
)

// A listing reads a dozen top-level fields of each (domain …) record and
// none of its devices; at 10,000 domains the devices are nine tenths of
// the bytes. A brief record is a record cut down to what summary reads,
// so that a host can hand over, and a client parse, only that.
//
// IsBriefKey says whether key is one of the top-level fields summary
// reads (briefKeyList); the image is kept only as (image (hvm x)) when the
// domain is HVM.
func IsBriefKey(key string) bool { return briefIndex(key) >= 0 }

// briefIndex is key's place in briefKeyList, -1 when it is not there. A
// dozen comparisons, most of them ended by the length: as fast as a map
// here, and nothing to build at start-up.
func briefIndex(key string) int {
	for i, k := range briefKeyList {
		if k == key {
			return i
		}
	}
	return -1
}

// BriefImage is the stand-in a brief record carries for an HVM image.
func BriefImage() *sexpr.Node { return sexpr.List(sexpr.Atom("image"), sexpr.KV("hvm", "1")) }

// Brief cuts rec to a brief record. Scalar lookups take the first (key …)
// of a record, so only the first of each key is kept; a key whose value
// is a list keeps the key alone, which reads as no value, as before.
func Brief(rec *sexpr.Node) *sexpr.Node {
	out := sexpr.List(sexpr.Atom("domain"))
	seen := make(map[string]bool, len(briefKeyList))
	for _, k := range rec.Args() {
		key := k.Head()
		if !IsBriefKey(key) || seen[key] {
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
	// BriefDomainsOf is Domain cut to a brief record for each of refs,
	// all asked at once (the HTTP client pipelines their GETs): recs[i]
	// and errs[i] are refs[i]'s. err is a failure of the whole batch
	// (xend unreachable or not answering, the context's end), which fails
	// the listing rather than each domain in turn.
	BriefDomainsOf(ctx context.Context, refs []string) (recs []*sexpr.Node, errs []error, err error)
}

// BulkBriefXend is a BulkXend that can also hand over every brief record
// in one call (the fake host, whose directory keeps an index of them).
type BulkBriefXend interface {
	BulkXend
	AllBriefDomains(ctx context.Context) ([]*sexpr.Node, error)
}

// BriefBuilder builds the brief records of one listing. At 10,000 domains
// they were 17 MB, mostly the same few items over and over: here every
// node comes from a slab, and equal items, (memory 256) or (status 2), are
// one node in every record that has them. The records are to be read,
// then, not changed item by item. A BriefBuilder is not safe for
// concurrent use.
type BriefBuilder struct {
	sexpr.Slab
	scratch [32]*sexpr.Node // one record's items while it is built
	head    *sexpr.Node     // domain
	image   *sexpr.Node     // BriefImage()
	keys    [len(briefKeyList)]*sexpr.Node
	items   []briefItem // the items made, by hash; a power of two long
	records int         // how many records are expected, for items' size
}

type briefItem struct {
	key, value string
	node       *sexpr.Node
}

// briefKeyList is the brief keys in a fixed order: each key's atom is one
// node in every record of a listing.
var briefKeyList = [...]string{"cpu_time", "domid", "managed", "maxmem", "memory", "name",
	"on_xend_start", "state", "status", "uuid", "vcpu_avail", "vcpus"}

// NewBriefBuilder is ready to build a listing of about n records (0 for
// unknown). Up to 512 items are remembered, fewer for a few records (the
// demo host's four): a one-shot listing pays a page fault for each page
// it touches first.
func NewBriefBuilder(n int) *BriefBuilder {
	b := &BriefBuilder{records: n}
	b.head = b.Atom("domain")
	b.image = BriefImage()
	for i, k := range briefKeyList {
		b.keys[i] = b.Atom(k)
	}
	return b
}

// BriefKey is key as one of briefKeyList's own strings, and whether it is
// one: no copy of a key read from a reply.
func BriefKey(key []byte) (string, bool) {
	if i := briefIndex(string(key)); i >= 0 {
		return briefKeyList[i], true
	}
	return "", false
}

// KV is sexpr.KV(key, value), shared with the records that have it too.
func (b *BriefBuilder) KV(key, value string) *sexpr.Node {
	return b.kv(key, value, nil)
}

// KVBytes is KV with the value as bytes, copied only when no record has
// the item yet.
func (b *BriefBuilder) KVBytes(key string, value []byte) *sexpr.Node {
	return b.kv(key, "", value)
}

func (b *BriefBuilder) kv(key, value string, raw []byte) *sexpr.Node {
	if ownValue(key) {
		// Never another record's: no use looking, nor keeping it.
		if raw != nil {
			value = b.String(raw)
		}
		return b.newKV(key, value)
	}
	if raw != nil {
		// Compared and hashed in place; string(raw) here does not copy.
		value = unsafeString(raw)
	}
	if b.items == nil {
		size := 64
		for size < 512 && (b.records == 0 || size < 8*b.records) {
			size *= 2
		}
		b.items = make([]briefItem, size)
	}
	c := &b.items[(fnv1a(key)^fnv1a(value)*31)&uint32(len(b.items)-1)]
	if c.node != nil && c.key == key && c.value == value {
		return c.node
	}
	if raw != nil {
		value = b.String(raw)
	}
	n := b.newKV(key, value)
	c.key, c.value, c.node = key, value, n
	return n
}

func (b *BriefBuilder) newKV(key, value string) *sexpr.Node {
	n, v := b.Node(), b.Node()
	v.Value = value
	n.Kids = b.Kids(2)
	n.Kids[0], n.Kids[1] = b.Key(key), v
	return n
}

// ownValue: key's value is the domain's own, never shared with another's.
func ownValue(key string) bool {
	return key == "name" || key == "uuid" || key == "domid"
}

// Bare is (key), for a key without a value.
func (b *BriefBuilder) Bare(key string) *sexpr.Node {
	n := b.Node()
	n.Kids = b.Kids(1)
	n.Kids[0] = b.Key(key)
	return n
}

// Key is key's atom, one node for a brief key.
func (b *BriefBuilder) Key(k string) *sexpr.Node {
	if i := briefIndex(k); i >= 0 {
		return b.keys[i]
	}
	return b.Atom(k)
}

// Start begins a record: its items go in the slice returned, after the
// head, and End makes the record of them.
func (b *BriefBuilder) Start() []*sexpr.Node {
	kids := b.scratch[:1]
	kids[0] = b.head
	return kids
}

// End is the (domain …) record of kids (from Start), with the HVM stand-in
// when hvm.
func (b *BriefBuilder) End(kids []*sexpr.Node, hvm bool) *sexpr.Node {
	if hvm {
		kids = append(kids, b.image)
	}
	rec := b.Node()
	rec.Kids = b.Kids(len(kids))
	copy(rec.Kids, kids)
	return rec
}

func fnv1a(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
