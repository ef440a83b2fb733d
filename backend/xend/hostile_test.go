package xend

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"xvirsh/backend"
	"xvirsh/backend/xendrules"
	"xvirsh/sexpr"
)

// oddXend is a xend whose records are not what xend itself would hold:
// records as raw text, looked up in xend's order (xend-protocol.md §2.3:
// names, then domids, then UUIDs as strings, these from format 3 on),
// listed by ?state= from their (status N), and a detail listing of the
// running ones with extra raw elements among them. It records the POSTs
// it is sent.
type oddXend struct {
	format int
	recs   []string          // (domain …) records, in xend's order
	extra  []string          // raw elements added to the ?detail=1 listing
	reply  map[string]string // raw body for GET /xend/domain/NAME, instead of the record
	hide   []string          // running domains whose records the ?detail=1 listing leaves out

	client *Client // of the last backend

	mu    sync.Mutex
	posts []string // "PATH op=OP"
}

// parsed is each record read whole, for its fields.
func (x *oddXend) parsed(t *testing.T) []*sexpr.Node {
	var out []*sexpr.Node
	for _, r := range x.recs {
		n, err := sexpr.ParseString(r)
		if err != nil {
			t.Fatalf("test record %q: %v", r, err)
		}
		out = append(out, n)
	}
	return out
}

// backend starts the server and returns the Backend over it, with the
// warnings of its calls in *warns.
func (x *oddXend) backend(t *testing.T) (backend.Backend, context.Context, *[]string) {
	t.Helper()
	recs := x.parsed(t)
	find := func(ref string) int {
		for i, r := range recs {
			if r.Get("name") == ref {
				return i
			}
		}
		for i, r := range recs {
			if d, ok := r.GetOK("domid"); ok && d == ref {
				return i
			}
		}
		if x.format >= 3 {
			for i, r := range recs {
				if r.Get("uuid") == ref {
					return i
				}
			}
		}
		return -1
	}
	status := func(r *sexpr.Node) xendrules.PowerState {
		n, _ := strconv.Atoi(r.Get("status"))
		return xendrules.PowerState(n)
	}
	notFound := httpReply([]string{"HTTP/1.1 404 Not found", "Content-type: text/plain", "Content-length: 14"}, "No such domain")
	srv := newRawServer(t, "unix", func(r *http.Request, body []byte) string {
		p := r.URL.Path
		switch {
		case p == "/xend/node/":
			return sxpReply("200 OK", "(node (total_memory 4096) (xend_config_format "+strconv.Itoa(x.format)+"))")
		case p == "/xend/domain" && r.URL.Query().Get("detail") == "1":
			var items []string
			for i, rec := range recs {
				if status(rec) == xendrules.Running && !slices.Contains(x.hide, rec.Get("name")) {
					items = append(items, x.recs[i])
				}
			}
			return sxpReply("200 OK", "("+strings.Join(append(items, x.extra...), " ")+")")
		case p == "/xend/domain":
			state := r.URL.Query().Get("state")
			var names []string
			for _, rec := range recs {
				if xendrules.StateListed(state, status(rec)) {
					names = append(names, sexpr.Quote(rec.Get("name")))
				}
			}
			return sxpReply("200 OK", "("+strings.Join(names, " ")+")")
		case r.Method == "GET" && strings.HasPrefix(p, "/xend/domain/"):
			ref := strings.TrimPrefix(p, "/xend/domain/")
			if body, ok := x.reply[ref]; ok {
				return sxpReply("200 OK", body)
			}
			if i := find(ref); i >= 0 {
				return sxpReply("200 OK", x.recs[i])
			}
			return notFound
		case r.Method == "POST" && strings.HasPrefix(p, "/xend/domain/"):
			form, _ := url.ParseQuery(string(body))
			x.mu.Lock()
			x.posts = append(x.posts, p+" op="+form.Get("op"))
			x.mu.Unlock()
			if find(strings.TrimPrefix(p, "/xend/domain/")) < 0 {
				return notFound
			}
			return httpReply([]string{"HTTP/1.1 202 Accepted", "Content-length: 0"}, "")
		}
		return notFound
	})
	c := srv.client(t, 5*time.Second)
	x.client = c
	var mu sync.Mutex
	warns := new([]string)
	ctx := backend.WithWarnings(context.Background(), func(msg string) {
		mu.Lock()
		*warns = append(*warns, msg)
		mu.Unlock()
	})
	return backend.NewDomains(c, "xen+unix://"+srv.addr()), ctx, warns
}

func (x *oddXend) sent() []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	return slices.Clone(x.posts)
}

// oddRecord is a running domain's record in xend 3.1's shape, with
// fields as given (domid, uuid: "" leaves the field out).
func oddRecord(name, domid, uuid string, status int, extra string) string {
	var b strings.Builder
	b.WriteString("(domain")
	if domid != "" {
		b.WriteString(" (domid " + domid + ")")
	}
	if uuid != "" {
		b.WriteString(" (uuid " + uuid + ")")
	}
	b.WriteString(" (vcpus 1) (name " + name + ") (memory 256) (maxmem 256) (on_xend_start ignore)")
	b.WriteString(" (image (linux (kernel /boot/vmlinuz)))")
	b.WriteString(" (status " + strconv.Itoa(status) + ")")
	if status == 1 {
		b.WriteString(" (state --p---)")
	} else if status == 2 {
		b.WriteString(" (state -b----)")
	}
	b.WriteString(" (device (vbd (uname file:/x.img) (mode w) (dev xvda:disk)))")
	b.WriteString(extra + ")")
	return b.String()
}

const (
	uuid1 = "11111111-2222-3333-4444-555555555555"
	uuid2 = "21111111-2222-3333-4444-555555555555"
	uuid3 = "31111111-2222-3333-4444-555555555555"
)

func hasWarning(warns []string, subs ...string) bool {
	for _, w := range warns {
		ok := true
		for _, s := range subs {
			ok = ok && strings.Contains(w, s)
		}
		if ok {
			return true
		}
	}
	return false
}

// TestSharedUUIDActsOnNoOtherDomain: two records holding one UUID. A
// command looks its domain up by name, then acts through the UUID; xend
// answers for the UUID with the first holder. The command must act on
// the domain it named or fail for it, never reach the other one.
func TestSharedUUIDActsOnNoOtherDomain(t *testing.T) {
	for _, format := range []int{4, 2} {
		t.Run("format "+strconv.Itoa(format), func(t *testing.T) {
			x := &oddXend{format: format, recs: []string{
				oddRecord("Domain-0", "0", "00000000-0000-0000-0000-000000000000", 2, ""),
				oddRecord("good1", "1", uuid1, 2, ""),
				oddRecord("bad", "5", uuid1, 2, ""),
				oddRecord("good2", "", uuid2, 0, ""),
			}}
			b, ctx, _ := x.backend(t)
			d, err := b.Lookup(ctx, "bad")
			if err != nil || d.Name != "bad" || d.ID != 5 {
				t.Fatalf("Lookup(bad) = %+v, %v", d, err)
			}
			calls := map[string]func() error{
				"destroy":   func() error { return b.Destroy(ctx, d.UUID) },
				"suspend":   func() error { return b.Suspend(ctx, d.UUID) },
				"setmem":    func() error { return b.SetMemory(ctx, d.UUID, 131072) },
				"autostart": func() error { return b.SetAutostart(ctx, d.UUID, true) },
				"dumpxml":   func() error { _, err := b.XML(ctx, d.UUID, false); return err },
				"dumpsxp":   func() error { _, err := b.Sexpr(ctx, d.UUID); return err },
			}
			if format < 3 {
				delete(calls, "autostart") // no managed domains
			}
			for name, call := range calls {
				err := call()
				if err == nil || !strings.Contains(err.Error(), "domain 'bad'") || !strings.Contains(err.Error(), uuid1) {
					t.Errorf("%s through bad's UUID: error = %v, want one naming 'bad' and %s", name, err, uuid1)
				}
			}
			if p := x.sent(); len(p) != 0 {
				t.Fatalf("sent %q for domain bad, which shares its UUID", p)
			}

			// The domain xend answers for the UUID with, named, is acted
			// on. A xend that knows no UUIDs answers for none: the scan
			// finds both, and the UUID names neither.
			g, err := b.Lookup(ctx, "good1")
			if err != nil {
				t.Fatal(err)
			}
			err = b.Destroy(ctx, g.UUID)
			if format < 3 {
				if err == nil || !strings.Contains(err.Error(), "domain 'good1' shares its UUID") {
					t.Fatalf("destroy good1 = %v, want the shared UUID refused", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("destroy good1: %v", err)
			}
			if p := x.sent(); !slices.Equal(p, []string{"/xend/domain/good1 op=destroy"}) {
				t.Errorf("sent %q, want good1's destroy only", p)
			}
		})
	}
}

// TestSharedUUIDScanned: a xend that knows no UUIDs (format 2) makes the
// backend scan the list for one; finding it twice is an error naming
// both, whoever asks.
func TestSharedUUIDScanned(t *testing.T) {
	x := &oddXend{format: 2, recs: []string{
		oddRecord("good1", "1", uuid1, 2, ""),
		oddRecord("bad", "5", uuid1, 2, ""),
	}}
	b, ctx, _ := x.backend(t)
	err := b.Destroy(ctx, uuid1)
	if err == nil || !strings.Contains(err.Error(), "'good1'") || !strings.Contains(err.Error(), "'bad'") {
		t.Fatalf("Destroy(%s) = %v, want an error naming both holders", uuid1, err)
	}
	if p := x.sent(); len(p) != 0 {
		t.Fatalf("sent %q", p)
	}
}

// TestOddUUIDsStillDump: a record without a UUID, or with one that does
// not read as a UUID, lists with a warning naming the domain, and dumps
// and is acted on through Domain.Ref (its name); a malformed UUID that
// xend looks up as it is still reaches the domain.
func TestOddUUIDsStillDump(t *testing.T) {
	x := &oddXend{format: 4, recs: []string{
		oddRecord("good1", "1", uuid1, 2, ""),
		oddRecord("nouuid", "5", "", 2, ""),
		oddRecord("baduuid", "6", "not-a-uuid", 1, ""),
	}}
	b, ctx, warns := x.backend(t)
	ds, err := b.List(ctx, backend.ListAll)
	if err != nil || len(ds) != 3 {
		t.Fatalf("List = %+v, %v", ds, err)
	}
	if !hasWarning(*warns, "'nouuid'", "no UUID") || !hasWarning(*warns, "'baduuid'", "malformed UUID 'not-a-uuid'") {
		t.Errorf("warnings %q, want one for each odd UUID", *warns)
	}
	for _, name := range []string{"nouuid", "baduuid"} {
		d, err := b.Lookup(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if d.Ref() != name {
			t.Errorf("%s: Ref() = %q, want its name", name, d.Ref())
		}
		n, err := b.Sexpr(ctx, d.Ref())
		if err != nil || n.Get("name") != name {
			t.Errorf("Sexpr(%s) = %v, %v", name, n, err)
		}
		if err := b.Suspend(ctx, d.Ref()); err != nil && !strings.Contains(err.Error(), "already paused") {
			t.Errorf("Suspend(%s): %v", name, err)
		}
	}
	// The raw UUID, as Domain.UUID carries it, reaches the domain too.
	d, _ := b.Lookup(ctx, "baduuid")
	if d.UUID != "not-a-uuid" {
		t.Errorf("UUID = %q, want it raw", d.UUID)
	}
	if n, err := b.Sexpr(ctx, d.UUID); err != nil || n.Get("name") != "baduuid" {
		t.Errorf("Sexpr(%q) = %v, %v", d.UUID, n, err)
	}
	// Its empty UUID names nothing: Lookup warned why (above).
	if _, err := b.Sexpr(ctx, ""); !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("Sexpr(\"\") = %v, want not found", err)
	}
	if p := x.sent(); !slices.Equal(p, []string{"/xend/domain/nouuid op=pause"}) {
		t.Errorf("sent %q, want nouuid's pause (baduuid is paused already)", p)
	}
}

// TestListingElementsFailAlone: one bad element of the detail listing (a
// list that is no (domain …) record, a record nested past the limit)
// is left out with a warning; the other domains are listed. A bare name
// among the records is fetched on its own.
func TestListingElementsFailAlone(t *testing.T) {
	deep := strings.Repeat("(", sexpr.MaxDepth+10) + strings.Repeat(")", sexpr.MaxDepth+10)
	x := &oddXend{format: 4,
		recs: []string{
			oddRecord("Domain-0", "0", "00000000-0000-0000-0000-000000000000", 2, ""),
			oddRecord("good1", "1", uuid1, 2, ""),
			oddRecord("named", "7", uuid2, 1, ""), // paused: not in the listing, fetched by name
			oddRecord("good2", "", uuid3, 0, ""),
		},
		extra: []string{
			"(foo (name bad) (domid 5))",
			oddRecord("deep", "8", "41111111-2222-3333-4444-555555555555", 2, " (x "+deep+")"),
		},
	}
	b, ctx, warns := x.backend(t)
	for _, f := range []backend.ListFilter{backend.ListAll, backend.ListAll | backend.ListBrief} {
		*warns = nil
		ds, err := b.List(ctx, f)
		if err != nil {
			t.Fatalf("List(%d): %v", f, err)
		}
		if got, want := domainNames(ds), []string{"Domain-0", "good1", "named", "good2"}; !slices.Equal(got, want) {
			t.Errorf("List(%d) = %v, want %v", f, got, want)
		}
		if !hasWarning(*warns, "(foo …)", "left out") || !hasWarning(*warns, "'deep'", "nested deeper than") {
			t.Errorf("List(%d) warnings %q, want one for (foo …) and one for deep", f, *warns)
		}
	}

	// A name among the records, of a running domain that no names listing
	// asked for gives: fetched, not dropped.
	x.extra, x.hide = []string{"atom"}, []string{"atom"}
	x.recs = append(x.recs, oddRecord("atom", "9", "51111111-2222-3333-4444-555555555555", 2, ""))
	b, ctx, _ = x.backend(t)
	for _, f := range []backend.ListFilter{backend.ListAll, backend.ListAll | backend.ListBrief} {
		ds, err := b.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := domainNames(ds), []string{"Domain-0", "good1", "named", "atom", "good2"}; !slices.Equal(got, want) {
			t.Errorf("List(%d) = %v, want %v", f, got, want)
		}
	}
}

// TestTreeListingSkipsNonRecords: Domains, which parses the listing
// whole, leaves an element that is no (domain …) record out with a
// warning, as BriefDomains does.
func TestTreeListingSkipsNonRecords(t *testing.T) {
	x := &oddXend{format: 4, recs: []string{oddRecord("good1", "1", uuid1, 2, "")},
		extra: []string{"(foo (name bad))", "name"}}
	_, ctx, warns := x.backend(t)
	items, err := x.client.Domains(ctx)
	if err != nil || len(items) != 2 || items[0].Get("name") != "good1" || items[1].Value != "name" {
		t.Fatalf("Domains = %v, %v; want good1's record and the name", items, err)
	}
	if !hasWarning(*warns, "(foo (name bad))", "left out") {
		t.Errorf("warnings %q", *warns)
	}
}

func domainNames(ds []backend.Domain) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Name)
	}
	return out
}

// TestOddDomidsAndWrongRecordsWarn: a live domain whose domid does not
// read lists as shut off, with a warning saying so; a domain whose fetch
// brings another domain's record is left out with a warning naming both.
func TestOddDomidsAndWrongRecordsWarn(t *testing.T) {
	x := &oddXend{format: 4,
		recs: []string{
			oddRecord("good1", "1", uuid1, 2, ""),
			oddRecord("five", "five", uuid2, 2, ""),
			oddRecord("neg", "-7", uuid3, 1, ""),
			oddRecord("huge", "99999999999999999999", "41111111-2222-3333-4444-555555555555", 1, ""),
			oddRecord("p2", "12", "51111111-2222-3333-4444-555555555555", 1, ""),
		},
		reply: map[string]string{"p2": oddRecord("good1", "1", uuid1, 2, "")},
	}
	b, ctx, warns := x.backend(t)
	ds, err := b.List(ctx, backend.ListAll|backend.ListBrief)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := domainNames(ds), []string{"good1", "five", "huge", "neg"}; !slices.Equal(got, want) {
		t.Errorf("List = %v, want %v", got, want)
	}
	for _, w := range [][]string{
		{"'five'", "domid 'five'", "not a number"},
		{"'neg'", "domid '-7'", "negative"},
		{"'huge'", "domid '99999999999999999999'", "out of range"},
		{"'p2'", "left out", "'good1'"},
	} {
		if !hasWarning(*warns, w...) {
			t.Errorf("warnings %q, want one with %q", *warns, w)
		}
	}
	*warns = nil
	if _, err := b.Lookup(ctx, "five"); err != nil || !hasWarning(*warns, "'five'", "unreadable domid") {
		t.Errorf("Lookup(five): %v, warnings %q", err, *warns)
	}
}

// xend's records do not say whether a running domain is managed
// (xend-protocol.md §4.2): as libvirt did, a local xend's domains path is
// looked at, one directory per UUID.
func TestRunningManagedFromTheDomainsPath(t *testing.T) {
	x := &oddXend{format: 4, recs: []string{
		oddRecord("kept", "1", uuid1, 2, ""),
		oddRecord("passing", "2", "22222222-3333-4444-5555-666666666666", 2, ""),
	}}
	_, ctx, _ := x.backend(t)
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, uuid1), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dir  string
		kept bool
	}{{dir, true}, {filepath.Join(dir, "none"), false}} {
		b := backend.NewLocalDomains(x.client, "xen:///", tc.dir)
		ds, err := b.List(ctx, backend.ListAll)
		if err != nil || len(ds) != 2 {
			t.Fatalf("List = %+v, %v", ds, err)
		}
		got := map[string]bool{}
		for _, d := range ds {
			got[d.Name] = d.Persistent
		}
		if got["kept"] != tc.kept || got["passing"] {
			t.Errorf("domains path %s: persistent %v, want kept %v and passing false", tc.dir, got, tc.kept)
		}
		d, err := b.Lookup(ctx, "kept")
		if err != nil || d.Persistent != tc.kept {
			t.Errorf("Lookup(kept) = %+v, %v; want persistent %v", d, err, tc.kept)
		}
	}
}
