package xendsim

import (
	"bufio"
	"context"
	"html"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"xvirsh/backend/fake"
)

// startSim serves host on a fresh unix socket and returns its path.
func startSim(t *testing.T, host *fake.Host) string {
	t.Helper()
	return startHandler(t, NewHandler(host))
}

// startHandler serves h on a fresh unix socket until the test ends and
// returns its path.
func startHandler(t testing.TB, h *Handler) string {
	t.Helper()
	path, cancel, done := serveUnix(t, h)
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return path
}

// serveUnix serves h on a fresh unix socket, for the tests that stop it
// themselves: cancel stops it, done has what Serve returned.
func serveUnix(t testing.TB, h *Handler) (path string, cancel context.CancelFunc, done <-chan error) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "xend.sock")
	l, err := Listen("unix:" + path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, l, h) }()
	return path, cancel, served
}

// reply is a raw reply, split as xend wrote it.
type reply struct {
	statusLine string
	headers    []string // "Name: value", spelling kept
	body       string
}

func (r reply) header(name string) (string, bool) {
	for _, h := range r.headers {
		k, v, _ := strings.Cut(h, ": ")
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}

// dialSim connects to the simulator at sock for a test that reads the
// replies itself, through br.
func dialSim(t *testing.T, sock string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	return conn, bufio.NewReader(conn)
}

// exchange writes raw request bytes and reads the reply until the server
// closes the connection, as xend does after every reply.
func exchange(t *testing.T, sock, raw string) reply {
	t.Helper()
	conn, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(conn)
	if err != nil {
		t.Fatalf("reading reply: %v (got %q)", err, data)
	}
	return splitReply(t, string(data))
}

func splitReply(t *testing.T, data string) reply {
	t.Helper()
	head, body, ok := strings.Cut(data, "\r\n\r\n")
	if !ok {
		t.Fatalf("reply has no header end: %q", data)
	}
	lines := strings.Split(head, "\r\n")
	r := reply{statusLine: lines[0], headers: lines[1:], body: body}
	if cl, ok := r.header("Content-length"); ok {
		if n, _ := strconv.Atoi(cl); n != len(body) {
			t.Errorf("Content-length %s but body has %d bytes", cl, len(body))
		}
	}
	return r
}

func get(path string, extra ...string) string {
	return "GET " + path + " HTTP/1.1\r\nHost: localhost:8000\r\nAccept-Encoding: identity\r\n" +
		strings.Join(append(extra, ""), "\r\n") + "\r\n"
}

func post(path, body string, extra ...string) string {
	return "POST " + path + " HTTP/1.1\r\nHost: localhost:8000\r\n" +
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n" +
		strings.Join(append(extra, ""), "\r\n") + "\r\n" + body
}

const pvConfig = "(vm (name web) (memory 256) (uuid 11111111-2222-3333-4444-555555555555) (image (linux (kernel /boot/vmlinuz) (args 'ro quiet'))))"

// TestProtocol checks the simulator's answers byte for byte where xend's
// spelling matters (spec §1.4-1.5).
func TestProtocol(t *testing.T) {
	host := fake.New(4)
	sock := startSim(t, host)
	enc2014 := func(s string) string { // libvirt 2014: every non-alphanumeric byte %xx
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			c := s[i]
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				b.WriteByte(c)
			} else {
				b.WriteString("%" + strconv.FormatInt(int64(c)|0x100, 16)[1:])
			}
		}
		return b.String()
	}
	tests := []struct {
		name       string
		req        string
		wantStatus string
		wantType   string // "" = no Content-type header
		wantBody   string // prefix; "=" prefix means exact
	}{
		{"node", get("/xend/node/"), "HTTP/1.1 200 OK", "application/sxp", "(node "},
		{"node without slash", get("/xend/node"), "HTTP/1.1 200 OK", "application/sxp", "(node "},
		{"root", get("/xend/"), "HTTP/1.1 200 OK", "application/sxp", "=(ls node domain)"},
		{"unknown path", get("/xend/nothing"), "HTTP/1.1 404 Not found", "text/plain", "=Not found: nothing"},
		{"names", get("/xend/domain"), "HTTP/1.1 200 OK", "application/sxp", "=(Domain-0)"},
		{"unknown domain", get("/xend/domain/nosuch?detail=1"), "HTTP/1.1 404 Not found", "text/plain", "=<Fault 3: 'nosuch'>"},
		{"op on unknown domain", post("/xend/domain/nosuch", "op=pause"), "HTTP/1.1 404 Not found", "text/plain", "=<Fault 3: 'nosuch'>"},
		{"no op", post("/xend/domain/Domain-0", "reason=x"), "HTTP/1.1 406 Invalid request", "application/sxp", "="},
		{"two ops", post("/xend/domain/Domain-0", "op=pause&op=unpause"), "HTTP/1.1 406 Invalid request", "application/sxp", "="},
		{"unknown op", post("/xend/domain/Domain-0", "op=frobnicate"), "HTTP/1.1 501 Operation not implemented: frobnicate", "application/sxp", "=Operation not implemented: frobnicate"},
		{"unknown dir op", post("/xend/domain/", "op=frobnicate"), "HTTP/1.1 501 Operation not implemented: frobnicate", "application/sxp", "=Operation not implemented: frobnicate"},
		{"method", "PUT /xend/node/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1 501 Not implemented", "text/plain", "=Request method not supported (PUT)"},
		{"missing parameter", post("/xend/domain/Domain-0", "op=maxmem_set"), "HTTP/1.1 500 Request failed: maxmem_set", "application/sxp", "=(xend.err 'Missing parameter: memory')"},
		{"too many values", post("/xend/domain/Domain-0", "op=maxmem_set&memory=1;memory=2"), "HTTP/1.1 500 Request failed: maxmem_set", "application/sxp", "=(xend.err 'Too many values for memory')"},
		{"bad int", post("/xend/domain/Domain-0", "op=mem_target_set&target=12x"), "HTTP/1.1 500 Request failed: mem_target_set", "application/sxp", `=(xend.err "invalid literal for int() with base 10: '12x'")`},
		{"bad reason", post("/xend/domain/Domain-0", "op=shutdown&reason=nap"), "HTTP/1.1 500 Request failed: shutdown", "application/sxp", "=(xend.err 'Invalid reason: nap')"},
		{"host refusal", post("/xend/domain/Domain-0", "op=destroy"), "HTTP/1.1 500 Request failed: destroy", "application/sxp", "=(xend.err 'Cannot destroy privileged domain 0')"},
		{"bad config", post("/xend/domain/", "op=create&config=(vm (name x)"), "HTTP/1.1 500 Request failed: create", "application/sxp", "=(xend.err 'unexpected EOF')"},
		{"threaded op, bad form", post("/xend/domain/Domain-0", "op=dump&file=/tmp/core&live=0&live=1&crash=0"), "HTTP/1.1 202 Accepted", "application/sxp", "=(xend.err 'Too many values for live')"},
		{"threaded op, host failure", post("/xend/domain/Domain-0", "op=save&file=/tmp/save"), "HTTP/1.1 202 Accepted", "application/sxp", "=(xend.err 'Cannot save privileged domain 0')"},
		{"threaded restore", post("/xend/domain/", "op=restore&file=/nonexistent/save"), "HTTP/1.1 200 OK", "application/sxp", "=(xend.err \"can't read guest state file /nonexistent/save: No such file or directory\")"},
		{"too large", post("/xend/domain/", "op=create&config="+strings.Repeat("x", MaxBody)), "HTTP/1.1 413 Request entity too large", "", "="},
		{"html for browsers", get("/xend/node/", "User-Agent: Mozilla/5.0", "Accept: */*"), "HTTP/1.1 200 OK", "text/html", "<html>"},
		{"sxp when asked", get("/xend/node/", "User-Agent: curl/8", "Accept: application/sxp"), "HTTP/1.1 200 OK", "application/sxp", "(node "},
		{"sxp without user agent", get("/xend/node/", "Accept: */*"), "HTTP/1.1 200 OK", "application/sxp", "(node "},
		{"create raw (libvirt 2010)", post("/xend/domain/", "op=create&config="+strings.ReplaceAll(pvConfig, " ", "%20")), "HTTP/1.1 201 created", "application/sxp", "(domain (domid 1) "},
		{"create again refused", post("/xend/domain/", "op=create&config="+enc2014(pvConfig)), "HTTP/1.1 500 Request failed: create", "application/sxp", "=(xend.err \"Domain 'web' already exists with ID '1'\")"},
		{"record as html for browsers", get("/xend/domain/web?detail=1", "User-Agent: Mozilla/5.0", "Accept: */*"), "HTTP/1.1 200 OK", "text/html",
			"<html><head><title>Xen</title></head><body>\n<h1>/xend/domain/web</h1>\n<pre>(domain\n    (domid 1)"},
		{"vcpuinfo", get("/xend/domain/web?op=vcpuinfo"), "HTTP/1.1 200 OK", "application/sxp", "(domain (domid 1) (name web) (vcpu_count 1) (vcpu (number 0) (online 1)"},
		{"paused left out of plain list", get("/xend/domain"), "HTTP/1.1 200 OK", "application/sxp", "=(Domain-0)"},
		{"state=all", get("/xend/domain?state=all"), "HTTP/1.1 200 OK", "application/sxp", "=(Domain-0 web)"},
		{"state=paused", get("/xend/domain?state=paused"), "HTTP/1.1 200 OK", "application/sxp", "=(web)"},
		{"pause by id", post("/xend/domain/1", "op=unpause"), "HTTP/1.1 200 OK", "", "="},
		{"destroy", post("/xend/domain/11111111-2222-3333-4444-555555555555", "op=destroy"), "HTTP/1.1 202 Accepted", "", "="},
		{"gone", get("/xend/domain/web"), "HTTP/1.1 404 Not found", "text/plain", "=<Fault 3: 'web'>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := exchange(t, sock, tt.req)
			if r.statusLine != tt.wantStatus {
				t.Errorf("status line %q, want %q", r.statusLine, tt.wantStatus)
			}
			ctype, ok := r.header("Content-type")
			if ctype != tt.wantType || ok != (tt.wantType != "") {
				t.Errorf("Content-type %q (present %v), want %q", ctype, ok, tt.wantType)
			}
			if want, exact := strings.CutPrefix(tt.wantBody, "="); exact && r.body != want || !exact && !strings.HasPrefix(r.body, want) {
				t.Errorf("body %q, want %q", r.body, tt.wantBody)
			}
			for _, h := range r.headers {
				name, _, _ := strings.Cut(h, ":")
				if strings.ToUpper(name[:1])+strings.ToLower(name[1:]) != name {
					t.Errorf("header %q not spelled like xend's (first letter capital only)", name)
				}
			}
			if _, ok := r.header("Content-length"); !ok {
				t.Error("no Content-length")
			}
		})
	}
}

// TestLocations: accepted ops point at the parent, create at the domain;
// the port is the listener's own, which for a unix socket xend believes
// is 8080 (spec §1.6).
func TestLocations(t *testing.T) {
	sock := startSim(t, fake.New(4))
	r := exchange(t, sock, post("/xend/domain/", "op=create&config="+pvConfig))
	if loc, _ := r.header("Location"); loc != "http://localhost:8080/xend/domain/web" {
		t.Errorf("create Location %q", loc)
	}
	r = exchange(t, sock, post("/xend/domain/web", "op=shutdown&reason=poweroff"))
	if loc, _ := r.header("Location"); r.statusLine != "HTTP/1.1 202 Accepted" || loc != "http://localhost:8080/xend/domain/web/.." {
		t.Errorf("shutdown: %q, Location %q", r.statusLine, loc)
	}
}

// TestOldFormats: before config format 3 there are no managed domains:
// new, start and delete do not exist and 404 pages use old xend's text.
func TestOldFormats(t *testing.T) {
	for _, f := range []int{1, 2} {
		sock := startSim(t, fake.New(f))
		r := exchange(t, sock, post("/xend/domain/", "op=new&config="+pvConfig))
		if r.statusLine != "HTTP/1.1 501 Operation not implemented: new" {
			t.Errorf("format %d new: %q", f, r.statusLine)
		}
		r = exchange(t, sock, post("/xend/domain/Domain-0", "op=start"))
		if r.statusLine != "HTTP/1.1 501 Operation not implemented: start" {
			t.Errorf("format %d start: %q", f, r.statusLine)
		}
		r = exchange(t, sock, get("/xend/domain/nosuch"))
		if r.body != "No such domain nosuch" {
			t.Errorf("format %d 404 body %q", f, r.body)
		}
	}
}

// TestKeepAlive: a client that asks for keep-alive gets several replies on
// one connection, each saying so; one that does not gets the close.
func TestKeepAlive(t *testing.T) {
	conn, br := dialSim(t, startSim(t, fake.New(4)))
	for i := 0; i < 3; i++ {
		io.WriteString(conn, get("/xend/node/", "Connection: keep-alive"))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !strings.HasPrefix(string(body), "(node ") || resp.Header.Get("Connection") != "keep-alive" {
			t.Fatalf("request %d: %d %q %q", i, resp.StatusCode, body, resp.Header)
		}
	}
	io.WriteString(conn, get("/xend/node/"))
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.ReadAll(resp.Body)
	if n, err := br.ReadByte(); err != io.EOF {
		t.Errorf("connection still open after a reply without keep-alive: %v %v", n, err)
	}
}

func TestEscapeHTMLIsHTMLEscapeString(t *testing.T) {
	for _, s := range []string{"", "/xend/domain/web", `/xend/domain/<b>"x"&'y'</b>`, "(name 'a<b')\n(x &amp;)"} {
		if got, want := escapeHTML(s), html.EscapeString(s); got != want {
			t.Errorf("escapeHTML(%q) = %q, want %q", s, got, want)
		}
	}
}
