package xend

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"xvirsh/backend"
	"xvirsh/sexpr"
)

const nodeSXP = "(node (system Linux) (nr_cpus 4) (xen_caps 'xen-3.0-x86_64 hvm-3.0-x86_32') (xend_config_format 4))"

// TestRequestFormat checks the bytes the client puts on the wire against
// what xend expects (spec §1.2): libvirt's header set, no Accept and no
// User-Agent (which together would make xend answer HTML), the Host xend
// expects, and a form body xend's parser decodes back to the config.
func TestRequestFormat(t *testing.T) {
	for _, network := range []string{"unix", "tcp"} {
		t.Run(network, func(t *testing.T) {
			srv := newRawServer(t, network, func(r *http.Request, _ []byte) string {
				if r.Method == http.MethodGet {
					return sxpReply("200 OK", nodeSXP)
				}
				return httpReply([]string{"HTTP/1.1 200 OK", "Content-length: 0"}, "")
			})
			c := srv.client(t, 5*time.Second)
			ctx := context.Background()
			if _, err := c.Node(ctx); err != nil {
				t.Fatal(err)
			}
			cfg := sexpr.List(sexpr.Atom("vm"), sexpr.KV("name", "a b&c;d+e=f%g"),
				sexpr.List(sexpr.Atom("image"), sexpr.List(sexpr.Atom("linux"), sexpr.KV("args", "ro quiet"))))
			if err := c.Create(ctx, cfg); err != nil {
				t.Fatal(err)
			}
			if err := c.Op(ctx, "web/1", "mem_target_set", url.Values{"target": {"512"}}); err != nil {
				t.Fatal(err)
			}
			reqs := srv.requests()
			if len(reqs) != 3 {
				t.Fatalf("got %d requests, want 3", len(reqs))
			}
			get := string(reqs[0])
			wantLines(t, get, "GET /xend/node/ HTTP/1.1\r\n", "\r\nHost: localhost:8000\r\n",
				"\r\nAccept-Encoding: identity\r\n", "\r\nContent-Type: application/x-www-form-urlencoded\r\n")
			for _, req := range reqs {
				lower := strings.ToLower(string(req))
				for _, banned := range []string{"\r\naccept:", "\r\nuser-agent:"} {
					if strings.Contains(lower, banned) {
						t.Errorf("request carries %q; xend may answer HTML:\n%s", banned, req)
					}
				}
			}
			post := string(reqs[1])
			wantLines(t, post, "POST /xend/domain/ HTTP/1.1\r\n", "\r\nContent-Length: ")
			_, body, _ := strings.Cut(post, "\r\n\r\n")
			if !strings.HasPrefix(body, "op=create&config=") {
				t.Fatalf("body %q does not start with op=create&config=", body)
			}
			vals, err := url.ParseQuery(strings.ReplaceAll(body, ";", "%3B"))
			if err != nil {
				t.Fatal(err)
			}
			if strings.ContainsAny(body[len("op=create&config="):], " ()'&;+") {
				t.Errorf("config not fully percent-encoded: %q", body)
			}
			got, err := sexpr.ParseString(vals.Get("config"))
			if err != nil || !sexpr.Equal(got, cfg) {
				t.Errorf("config decodes to %v (%v), want %v", got, err, cfg)
			}
			wantLines(t, string(reqs[2]), "POST /xend/domain/web%2F1 HTTP/1.1\r\n")
			if !strings.HasSuffix(string(reqs[2]), "\r\n\r\nop=mem_target_set&target=512") {
				t.Errorf("op body wrong:\n%s", reqs[2])
			}
		})
	}
}

func wantLines(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("request lacks %q:\n%s", sub, s)
		}
	}
}

// TestReplies feeds the client each kind of reply xend gives (spec §1.4,
// §1.5) and checks that success is success and every failure is one clear
// error naming the request, with the right sentinel.
func TestReplies(t *testing.T) {
	plain := func(status, body string) string {
		return httpReply([]string{"HTTP/1.1 " + status, "Content-type: text/plain",
			"Content-length: " + strconv.Itoa(len(body))}, body)
	}
	tests := []struct {
		name    string
		reply   string
		call    string // "node", "domain", "create", "op", "names", "domains"
		wantErr string // substring; "" = success
		wantIs  error
	}{
		{"node ok", sxpReply("200 OK", nodeSXP), "node", "", nil},
		{"names", sxpReply("200 OK", "(Domain-0 web 'a b')"), "names", "", nil},
		{"names empty", sxpReply("200 OK", "()"), "names", "", nil},
		{"create 201", sxpReply("201 created", "(domain (domid 3) (name web))"), "create", "", nil},
		{"op 202 empty", httpReply([]string{"HTTP/1.1 202 Accepted", "Location: http://localhost:8080/xend/domain/web/..", "Content-length: 0"}, ""), "op", "", nil},
		{"xend.err 500", sxpReply("500 Request failed: create", "(xend.err \"Domain 'web' already exists with ID 3\")"), "create",
			"xend: POST /xend/domain/ op=create: 500: Domain 'web' already exists with ID 3", backend.ErrExists},
		{"xend.err in 200", sxpReply("200 OK", "(xend.err 'Too many values for live')"), "op",
			"xend: POST /xend/domain/web op=pause: 200: Too many values for live", nil},
		{"202 failed", sxpReply("202 Accepted", "save failed"), "op", "202: save failed", nil},
		{"not halted", sxpReply("500 Request failed: delete", "(xend.err 'Domain is not halted.')"), "op",
			"500: Domain is not halted.", backend.ErrInvalidState},
		{"404 domain", plain("404 Not found", "<Fault 3: 'web'>"), "domain",
			"xend: GET /xend/domain/web: 404: domain not found", backend.ErrNotFound},
		{"404 op", plain("404 Not found", "No such domain web"), "op",
			"xend: POST /xend/domain/web op=pause: 404: domain not found", backend.ErrNotFound},
		{"404 node", plain("404 Not found", "Not found"), "node", "GET /xend/node/: 404: no such resource", nil},
		{"406", httpReply([]string{"HTTP/1.1 406 Invalid request", "Content-length: 0"}, ""), "op", "406: xend rejected", nil},
		{"501", plain("501 Operation not implemented: pause", "Operation not implemented: pause"), "op",
			"501: Operation not implemented: pause", backend.ErrUnsupported},
		{"413", httpReply([]string{"HTTP/1.1 413 Request entity too large", "Content-length: 0"}, ""), "create",
			"refused a request of 65 bytes: over xend's limit of 10000 bytes", nil},
		{"html", httpReply([]string{"HTTP/1.1 200 OK", "Content-type: text/html", "Content-length: 27"}, "<html><body>x</body></html>"), "domain",
			"HTML page instead of an S-expression", nil},
		{"html unlabelled", httpReply([]string{"HTTP/1.1 200 OK", "Content-length: 27"}, "<html><body>x</body></html>"), "node",
			"HTML page", nil},
		{"truncated", httpReply([]string{"HTTP/1.1 200 OK", "Content-type: application/sxp", "Content-length: 100"}, "(node (system Linux)"), "node",
			"cut its reply short: got 20 of 100 bytes (truncated)", nil},
		{"unbalanced without length", httpReply([]string{"HTTP/1.1 200 OK", "Content-type: application/sxp"}, "(domain (name web)"), "domain",
			"malformed S-expression", nil},
		{"empty body", httpReply([]string{"HTTP/1.1 200 OK", "Content-length: 0"}, ""), "node", "empty reply", nil},
		{"wrong shape", sxpReply("200 OK", "(domain (name web))"), "node", "want a (node …) record", nil},
		{"names with a list", sxpReply("200 OK", "(web (x))"), "names", "want a list of domain names", nil},
		{"500 plain", plain("500 Internal server error", "Traceback"), "node", "500: Traceback", nil},
		{"503 empty", httpReply([]string{"HTTP/1.1 503 Busy", "Content-length: 0"}, ""), "node", "503: Busy", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newRawServer(t, "unix", func(*http.Request, []byte) string { return tt.reply })
			c := srv.client(t, 5*time.Second)
			err := call(c, tt.call)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
			}
			if strings.Count(err.Error(), "xend: ") != 1 {
				t.Errorf("error should name the request once: %v", err)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.wantIs)
			}
		})
	}
}

// call runs one client method with fixed arguments.
func call(c *Client, what string) error {
	ctx := context.Background()
	var err error
	switch what {
	case "node":
		_, err = c.Node(ctx)
	case "names":
		_, err = c.DomainNames(ctx, "all")
	case "domains":
		_, err = c.Domains(ctx)
	case "domain":
		_, err = c.Domain(ctx, "web")
	case "create":
		err = c.Create(ctx, sexpr.List(sexpr.Atom("vm"), sexpr.KV("name", "web"), sexpr.KV("memory", "512")))
	case "op":
		err = c.Op(ctx, "web", "pause", nil)
	default:
		panic("unknown call " + what)
	}
	return err
}

// TestDomainsOnOldXend: xend before 3.1 ignores ?detail=1 and ?state=
// and lists the names of every live domain (spec §2.1); the client then
// fetches each record, as libvirt did.
func TestDomainsOnOldXend(t *testing.T) {
	srv := newRawServer(t, "unix", func(r *http.Request, _ []byte) string {
		switch r.URL.Path {
		case "/xend/domain":
			return sxpReply("200 OK", "(Domain-0 web)")
		case "/xend/domain/Domain-0":
			return sxpReply("200 OK", "(domain (domid 0) (name Domain-0))")
		case "/xend/domain/web":
			return sxpReply("200 OK", "(domain (domid 4) (name web))")
		}
		return httpReply([]string{"HTTP/1.1 404 Not found", "Content-length: 0"}, "")
	})
	c := srv.client(t, 5*time.Second)
	items, err := c.Domains(context.Background())
	if err != nil || len(items) != 2 || items[1].IsList() || items[1].Value != "web" {
		t.Fatalf("Domains = %v, %v; want the two names as atoms", items, err)
	}
	doms, err := backend.NewDomains(c, "xen:///").List(context.Background(), backend.ListAll)
	if err != nil || len(doms) != 2 || doms[1].Name != "web" || doms[1].ID != 4 {
		t.Fatalf("List = %+v, %v", doms, err)
	}
	if n := len(srv.requests()); n != 5 {
		t.Errorf("%d requests, want 5 (detail, then the list and state=all, then one per domain)", n)
	}
}
