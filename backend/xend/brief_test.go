package xend

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"xvirsh/backend"
	"xvirsh/sexpr"
)

// TestBriefRepliesMatchWholeOnes: what a listing reads from a reply as it
// streams (BriefDomainsOf, BriefDomains) is exactly backend.Brief of what
// the whole parse gives, and a reply the whole parse refuses is refused
// too, with the same kind of message.
func TestBriefRepliesMatchWholeOnes(t *testing.T) {
	rec := `(domain (domid 3) (on_xend_start start) (uuid 596a5d21-71f4-8fb2-e068-e2386a5c413e) (name 'web one') ` +
		`(memory 512) (maxmem (1024)) (vcpus '2') (vcpu_avail 1) (cpu_time 12.5) (state -b----) (status 2) (name shadow) ` +
		`(image (hvm (kernel /usr/lib/xen/boot/hvmloader) (boot d))) (device (vbd (uname 'file:/a b\\x41') (dev hda))) (managed 1) (state) "odd" ((x)) ())`
	records := []string{
		rec,
		`(domain (name a) (image (hvm)) (memory 1))`,
		`(domain (name b) (image (linux (kernel /k)) (hvm (x 1))))`,
		`(domain (name c) (image (hvm (x 1))) (image (linux)))`,
		`(domain (name 'q\'s\n') (uuid "x\"y") (state))`,
		`(domain)`,
	}
	bad := []struct{ name, reply, want string }{
		{"xend.err", sxpReply("200 OK", "(xend.err 'Domain is gone')"), "Domain is gone"},
		{"xend.err inside", sxpReply("200 OK", "(domain (name xend.err))"), "xend.err"},
		{"html", httpReply([]string{"HTTP/1.1 200 OK", "Content-length: 27"}, "<html><body>x</body></html>"), "HTML page"},
		{"truncated", httpReply([]string{"HTTP/1.1 200 OK", "Content-type: application/sxp", "Content-length: 100"}, "(domain (name web)"), "cut its reply short: got 18 of 100 bytes"},
		{"unbalanced", httpReply([]string{"HTTP/1.1 200 OK", "Content-type: application/sxp"}, "(domain (name web)"), "malformed S-expression"},
		{"unclosed string", httpReply([]string{"HTTP/1.1 200 OK", "Content-type: application/sxp"}, "(domain (name 'web)"), "malformed S-expression"},
		{"unclosed after a backslash", httpReply([]string{"HTTP/1.1 200 OK", "Content-type: application/sxp"}, `(domain (name 'web\`), "malformed S-expression"},
		{"trailing", sxpReply("200 OK", "(domain (name web)) x"), "malformed S-expression"},
		{"empty", httpReply([]string{"HTTP/1.1 200 OK", "Content-length: 0"}, ""), "empty reply"},
		{"wrong shape", sxpReply("200 OK", "(node (name web))"), "want a (domain …) record"},
		{"404", httpReply([]string{"HTTP/1.1 404 Not found", "Content-type: text/plain", "Content-length: 3"}, "web"), "domain not found"},
	}
	ctx := context.Background()
	for _, body := range records {
		srv := newRawServer(t, "unix", func(*http.Request, []byte) string { return sxpReply("200 OK", body) })
		c := srv.client(t, 5*time.Second)
		whole, err := c.Domain(ctx, "web")
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		got, err := briefOne(ctx, c, "web")
		if err != nil {
			t.Fatalf("%s: brief: %v", body, err)
		}
		if want := backend.Brief(whole).String(); got.String() != want {
			t.Errorf("%s:\nbrief %s\nwant  %s", body, got, want)
		}
	}
	checkBriefListing(t, "("+strings.Join(records, " ")+" Domain-0 'odd name')")
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			srv := newRawServer(t, "unix", func(*http.Request, []byte) string { return tt.reply })
			c := srv.client(t, 5*time.Second)
			_, werr := c.Domain(ctx, "web")
			_, berr := briefOne(ctx, c, "web")
			if werr == nil || berr == nil || !strings.Contains(berr.Error(), tt.want) || !strings.Contains(werr.Error(), tt.want) {
				t.Errorf("whole: %v\nbrief: %v\nwant both to say %q", werr, berr, tt.want)
			}
		})
	}
}

// briefOne is BriefDomainsOf for one domain: its record, or its error or
// the batch's.
func briefOne(ctx context.Context, c *Client, ref string) (*sexpr.Node, error) {
	recs, errs, err := c.BriefDomainsOf(ctx, []string{ref})
	if err != nil {
		return nil, err
	}
	return recs[0], errs[0]
}

// TestBriefReplyDensityAndSize: the streaming read keeps the client's
// bounds: MaxReply, and no denser replies than xend's.
func TestBriefReplyDensityAndSize(t *testing.T) {
	ctx := context.Background()
	dense := "(" + strings.Repeat("a ", 5000) + ")"
	srv := newRawServer(t, "unix", func(*http.Request, []byte) string { return sxpReply("200 OK", dense) })
	c := srv.client(t, 5*time.Second)
	if _, err := c.BriefDomains(ctx); err == nil || !strings.Contains(err.Error(), "more nodes than xend's records ever do") {
		t.Errorf("dense reply: %v", err)
	}
	big := "(" + strings.Repeat("(domain (name a) (junk xxxxxxxxxxxxxxxx))", 100) + ")"
	srv = newRawServer(t, "unix", func(*http.Request, []byte) string {
		return httpReply([]string{"HTTP/1.1 200 OK", "Content-type: application/sxp"}, big)
	})
	c = srv.client(t, 5*time.Second)
	c.MaxReply = 1000
	if _, err := c.BriefDomains(ctx); err == nil || !strings.Contains(err.Error(), "more than 1000 bytes") {
		t.Errorf("big reply: %v", err)
	}
}

// TestBriefListingAcrossRefills: a listing far larger than the reader's
// window, whose atoms, quoted strings (escapes, parentheses and quotes
// inside), nested devices and separators fall across every refill
// boundary, reads as the whole parse does.
func TestBriefListingAcrossRefills(t *testing.T) {
	var b strings.Builder
	b.WriteByte('(')
	for i := range 3000 {
		pad := strings.Repeat("x", i%97)
		fmt.Fprintf(&b, "(domain (domid %d) (name g%d%s) (uuid 'u-%d (odd) \\'q\\' \\\\ end') (memory %d)\n"+
			" (device (vbd (uname \"file:/img/%s (%d).img\") (dev xvda) (x (y (z '%s')))))\t(state -b----) (vcpus %d) %s)  ",
			i, i, pad, i, 256+i%3, pad, i, pad, 1+i%4, strings.Repeat(" ", i%5))
	}
	b.WriteString(" Domain-0)")
	if n := checkBriefListing(t, b.String()); n != 3001 {
		t.Fatalf("%d items, want 3001", n)
	}
}

// checkBriefListing serves list as the detail listing and checks its
// brief reading against its whole parse, item by item; n is how many
// items there were.
func checkBriefListing(t *testing.T, list string) (n int) {
	t.Helper()
	srv := newRawServer(t, "unix", func(*http.Request, []byte) string { return sxpReply("200 OK", list) })
	c := srv.client(t, 10*time.Second)
	whole, err := c.Domains(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.BriefDomains(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(whole) {
		t.Fatalf("%d brief items, want %d", len(got), len(whole))
	}
	for i := range whole {
		want := whole[i]
		if want.IsList() {
			want = backend.Brief(want)
		}
		if !sexpr.Equal(got[i], want) {
			t.Fatalf("item %d: %s, want %s", i, got[i], want)
		}
	}
	return len(whole)
}

// TestBriefScannerAtEveryBoundary reads records through the smallest
// reader bufio allows, fed a few bytes at a time, so that every token and
// every state of skipList (in a quoted string, after a backslash, in an
// atom) meets a refill: the records are the whole parse's, cut down.
func TestBriefScannerAtEveryBoundary(t *testing.T) {
	records := []string{
		`(domain (domid 3) (name 'web one') (uuid "a\"b") (device (vbd (uname 'file:/x (1).img\\') (q "it's \"odd\" ((") (dev hda))) (memory 512) (state -b----))`,
		`(domain (name b) (image (linux (kernel /k)) (hvm (x 1))) (device (x 'a\'b' "c\\" d'e f"g)) (vcpus 2))`,
		`(domain (name c)(image(hvm(x 1)))(status 2)(x(y(z(w))))(managed 1))`,
	}
	for _, rec := range records {
		whole, err := sexpr.ParseString(rec)
		if err != nil {
			t.Fatal(err)
		}
		want := backend.Brief(whole).String()
		for step := 1; step <= 7; step++ {
			cr := &countReader{r: &dribble{s: rec, step: step}}
			s := &briefScanner{r: bufio.NewReaderSize(cr, 16), cr: cr, size: -1}
			var got *sexpr.Node
			if err := readBrief("/xend/domain/x", &got, backend.NewBriefBuilder(1))(s); err != nil {
				t.Fatalf("step %d: %s: %v", step, rec, err)
			}
			if got.String() != want {
				t.Errorf("step %d:\n got %s\nwant %s", step, got, want)
			}
		}
	}
}

// dribble reads s step bytes at a time.
type dribble struct {
	s    string
	step int
}

func (d *dribble) Read(p []byte) (int, error) {
	if d.s == "" {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), d.step)], d.s)
	d.s = d.s[n:]
	return n, nil
}
