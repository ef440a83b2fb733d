package xend

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"xvirsh/backend"
	"xvirsh/sexpr"
)

// TestBriefRepliesMatchWholeOnes: what a listing reads from a reply as it
// streams (BriefDomain, BriefDomains) is exactly backend.Brief of what
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
		got, err := c.BriefDomain(ctx, "web")
		if err != nil {
			t.Fatalf("%s: brief: %v", body, err)
		}
		if want := backend.Brief(whole).String(); got.String() != want {
			t.Errorf("%s:\nbrief %s\nwant  %s", body, got, want)
		}
	}
	list := "(" + strings.Join(records, " ") + " Domain-0 'odd name')"
	srv := newRawServer(t, "unix", func(*http.Request, []byte) string { return sxpReply("200 OK", list) })
	c := srv.client(t, 5*time.Second)
	whole, err := c.Domains(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.BriefDomains(ctx)
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
			t.Errorf("item %d: %s, want %s", i, got[i], want)
		}
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			srv := newRawServer(t, "unix", func(*http.Request, []byte) string { return tt.reply })
			c := srv.client(t, 5*time.Second)
			_, werr := c.Domain(ctx, "web")
			_, berr := c.BriefDomain(ctx, "web")
			if werr == nil || berr == nil || !strings.Contains(berr.Error(), tt.want) || !strings.Contains(werr.Error(), tt.want) {
				t.Errorf("whole: %v\nbrief: %v\nwant both to say %q", werr, berr, tt.want)
			}
		})
	}
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
