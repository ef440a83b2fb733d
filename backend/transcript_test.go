package backend_test

// The transcript suite (testdata/xend/*.txtar): xend's behaviour written
// down as request → response pairs, each file citing the section of
// ../shared/spec/xend-protocol.md it comes from. One harness plays every
// file both ways:
//
//   - against the simulator over the fake host, which must answer each
//     request with the same status line, the headers the file lists
//     (exact spelling; no Content-type when the file lists none) and the
//     same body;
//   - to the client: a replaying server answers the client's requests
//     from the file, and the client, driven through backend.Domains,
//     must make exactly the file's requests (in any order, each once)
//     and reach the file's result.
//
// A file holds, after its comment:
//
//	-- host --        the fake host: "format N", then "create SEXPR",
//	                  "new SEXPR" and "op NAME OP [KEY=VALUE…]" lines
//	-- request --     a raw request, LF line ends (sent as CRLF);
//	                  "Content-Length: *" is filled in
//	-- response --    the reply; "Content-length: *" means "present and
//	                  right"
//	-- client --      one client step (list, dominfo, start, create FILE…)
//	-- result --      what the step gives; "error~ TEXT" matches an error
//	                  containing TEXT
//	-- NAME.xml --    a file a client step reads
//
// Requests and responses pair up in order. A file without client steps is
// played against the simulator only: it shows xend answering requests our
// client never makes. With -run TestTranscripts/NAME one file is played.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"xvirsh/backend"
	"xvirsh/backend/fake"
	"xvirsh/backend/xend"
	"xvirsh/backend/xendrules"
	"xvirsh/backend/xendsim"
	"xvirsh/sexpr"
)

// transcriptEpoch is when the transcripts' hosts stand, frozen.
var transcriptEpoch = time.Unix(1262347200, 0) // 2010-01-01 12:00:00 UTC

type exchange struct {
	req, resp string
}

type step struct {
	line, result string
}

type transcript struct {
	host      string
	exchanges []exchange
	steps     []step
	files     map[string][]byte
}

func readTranscript(t *testing.T, path string) *transcript {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(ar.Comment, []byte("§")) {
		t.Errorf("%s: the comment cites no spec section", path)
	}
	tr := &transcript{files: map[string][]byte{}}
	var pendingReq, pendingLine *string
	for _, f := range ar.Files {
		data := string(f.Data)
		switch f.Name {
		case "host":
			tr.host = data
		case "request":
			if pendingReq != nil {
				t.Fatalf("%s: request without a response", path)
			}
			pendingReq = &data
		case "response":
			if pendingReq == nil {
				t.Fatalf("%s: response without a request", path)
			}
			tr.exchanges = append(tr.exchanges, exchange{*pendingReq, data})
			pendingReq = nil
		case "client":
			pendingLine = &data
		case "result":
			if pendingLine == nil {
				t.Fatalf("%s: result without a client step", path)
			}
			tr.steps = append(tr.steps, step{strings.TrimSpace(*pendingLine), data})
			pendingLine = nil
		default:
			tr.files[f.Name] = f.Data
		}
	}
	if pendingReq != nil || pendingLine != nil || len(tr.exchanges) == 0 {
		t.Fatalf("%s: unpaired sections or no exchange", path)
	}
	return tr
}

func TestTranscripts(t *testing.T) {
	paths, err := filepath.Glob("../testdata/xend/*.txtar")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no transcripts: %v", err)
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		t.Run(name, func(t *testing.T) {
			tr := readTranscript(t, path)
			t.Run("simulator", func(t *testing.T) { tr.playSimulator(t) })
			if len(tr.steps) > 0 {
				t.Run("client", func(t *testing.T) { tr.playClient(t) })
			}
		})
	}
}

// buildHost makes the fake host the file describes.
func buildHost(t *testing.T, spec string) *fake.Host {
	t.Helper()
	var h *fake.Host
	for _, line := range strings.Split(spec, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		verb, arg, _ := strings.Cut(line, " ")
		if verb == "format" {
			n, _ := strconv.Atoi(arg)
			h = fake.NewAt(n, transcriptEpoch)
			continue
		}
		if h == nil {
			t.Fatalf("host: %q before format", line)
		}
		var err error
		switch verb {
		case "create", "new":
			cfg, perr := sexpr.ParseString(arg)
			if perr != nil {
				t.Fatalf("host: %q: %v", line, perr)
			}
			if verb == "create" {
				err = h.Create(ctx, cfg)
			} else {
				err = h.New(ctx, cfg)
			}
		case "op":
			f := strings.Fields(arg)
			form := url.Values{}
			for _, kv := range f[2:] {
				k, v, _ := strings.Cut(kv, "=")
				form.Add(k, v)
			}
			err = h.Op(ctx, f[0], f[1], form)
		default:
			t.Fatalf("host: unknown line %q", line)
		}
		if err != nil {
			t.Fatalf("host: %q: %v", line, err)
		}
	}
	if h == nil {
		t.Fatal("host: no format line")
	}
	return h
}

// wireRequest turns a request section into the bytes sent.
func wireRequest(sec string) []byte {
	head, body, _ := strings.Cut(sec, "\n\n")
	body = strings.TrimSuffix(body, "\n")
	head = strings.TrimSuffix(head, "\n")
	lines := strings.Split(head, "\n")
	for i, l := range lines {
		if strings.EqualFold(l, "Content-Length: *") {
			lines[i] = "Content-Length: " + strconv.Itoa(len(body))
		}
	}
	return []byte(strings.Join(lines, "\r\n") + "\r\n\r\n" + body)
}

// wireResponse turns a response section into the bytes a replaying
// server sends.
func wireResponse(sec string) []byte {
	head, body, _ := strings.Cut(sec, "\n\n")
	body = strings.TrimSuffix(body, "\n")
	head = strings.TrimSuffix(head, "\n")
	lines := strings.Split(head, "\n")
	for i, l := range lines {
		if strings.EqualFold(l, "Content-length: *") {
			lines[i] = "Content-length: " + strconv.Itoa(len(body))
		}
	}
	return []byte(strings.Join(lines, "\r\n") + "\r\n\r\n" + body)
}

// checkResponse compares a reply with a response section.
func checkResponse(t *testing.T, want string, got []byte) {
	t.Helper()
	wantHead, wantBody, _ := strings.Cut(want, "\n\n")
	wantBody = strings.TrimSuffix(wantBody, "\n")
	wantLines := strings.Split(strings.TrimSuffix(wantHead, "\n"), "\n")
	gotHead, gotBody, ok := strings.Cut(string(got), "\r\n\r\n")
	if !ok {
		t.Errorf("reply has no end of headers: %q", got)
		return
	}
	gotLines := strings.Split(gotHead, "\r\n")
	if gotLines[0] != wantLines[0] {
		t.Errorf("status line %q, want %q", gotLines[0], wantLines[0])
	}
	header := func(name string) (string, bool) {
		for _, l := range gotLines[1:] {
			if k, v, _ := strings.Cut(l, ": "); k == name {
				return v, true
			}
		}
		return "", false
	}
	sawType := false
	for _, l := range wantLines[1:] {
		name, value, _ := strings.Cut(l, ": ")
		sawType = sawType || name == "Content-type"
		v, ok := header(name)
		switch {
		case !ok:
			t.Errorf("no %q header (spelled so) in %q", name, gotLines[1:])
		case name == "Content-length" && value == "*":
			if v != strconv.Itoa(len(gotBody)) {
				t.Errorf("Content-length %s for a body of %d bytes", v, len(gotBody))
			}
		case v != value:
			t.Errorf("%s: %q, want %q", name, v, value)
		}
	}
	if v, ok := header("Content-type"); ok && !sawType {
		t.Errorf("Content-type %q on a reply that has none", v)
	}
	if gotBody != wantBody {
		t.Errorf("body:\n got %s\nwant %s", gotBody, wantBody)
	}
}

// playSimulator sends each request to the simulator over the fake host,
// on a fresh connection, and compares the replies.
func (tr *transcript) playSimulator(t *testing.T) {
	host := buildHost(t, tr.host)
	sock := filepath.Join(t.TempDir(), "xend.sock")
	l, err := xendsim.Listen("unix:" + sock)
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- xendsim.Serve(sctx, l, xendsim.NewHandler(host)) }()
	defer func() { cancel(); <-done }()
	for i, ex := range tr.exchanges {
		conn, err := net.Dial("unix", sock)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		conn.Write(wireRequest(ex.req))
		got, err := io.ReadAll(conn)
		conn.Close()
		if err != nil {
			t.Fatalf("exchange %d: %v", i+1, err)
		}
		t.Run(fmt.Sprintf("exchange%d", i+1), func(t *testing.T) {
			t.Logf("request: %s", strings.SplitN(ex.req, "\n", 2)[0])
			checkResponse(t, ex.resp, got)
		})
	}
}

// replayer answers a client from a transcript's exchanges.
type replayer struct {
	t    *testing.T
	mu   sync.Mutex
	exs  []exchange
	used []bool
}

func (r *replayer) serve(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			c.SetDeadline(time.Now().Add(10 * time.Second))
			req, err := http.ReadRequest(bufio.NewReader(c))
			if err != nil {
				return
			}
			body, _ := io.ReadAll(req.Body)
			c.Write(r.answer(req, body))
		}()
	}
}

func (r *replayer) answer(got *http.Request, body []byte) []byte {
	// How the client must speak (spec §1.2, §8): Host localhost:8000, and
	// no Accept unless it names application/sxp.
	if got.Host != "localhost:8000" {
		r.t.Errorf("%s %s: Host %q, want localhost:8000", got.Method, got.URL, got.Host)
	}
	if a := got.Header.Values("Accept"); len(a) > 0 && !strings.Contains(strings.Join(a, ","), "application/sxp") {
		r.t.Errorf("%s %s: Accept %q would get HTML from xend", got.Method, got.URL, a)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, ex := range r.exs {
		if !r.used[i] && sameRequest(ex.req, got, body) {
			r.used[i] = true
			return wireResponse(ex.resp)
		}
	}
	r.t.Errorf("unexpected request: %s %s %s", got.Method, got.URL, body)
	return []byte("HTTP/1.1 599 Not in the transcript\r\nContent-length: 0\r\n\r\n")
}

// sameRequest compares what the client sent with a request section:
// method, path, query and form fields as xend decodes them, a config
// as xend reads it.
func sameRequest(sec string, got *http.Request, body []byte) bool {
	want, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(wireRequest(sec))))
	if err != nil {
		return false
	}
	wantBody, _ := io.ReadAll(want.Body)
	if want.Method != got.Method || want.URL.Path != got.URL.Path {
		return false
	}
	return sameForm(want.URL.RawQuery, got.URL.RawQuery) && sameForm(string(wantBody), string(body))
}

// sameForm compares two query strings or bodies the way xend's parse_qs
// decodes them: pairs split on & and ;, + is a space, %XX decoded.
func sameForm(a, b string) bool {
	fa, fb := decodeForm(a), decodeForm(b)
	if len(fa) != len(fb) {
		return false
	}
	for k, va := range fa {
		vb := fb[k]
		if len(va) != len(vb) {
			return false
		}
		for i := range va {
			if va[i] == vb[i] {
				continue
			}
			if k != "config" {
				return false
			}
			ta, ea := xendrules.ReadSXP(va[i])
			tb, eb := xendrules.ReadSXP(vb[i])
			if ea != nil || eb != nil || xendrules.Show(ta) != xendrules.Show(tb) {
				return false
			}
		}
	}
	return true
}

func decodeForm(s string) map[string][]string {
	out := map[string][]string{}
	for _, amp := range strings.Split(s, "&") {
		for _, pair := range strings.Split(amp, ";") {
			if pair == "" {
				continue
			}
			k, v, _ := strings.Cut(pair, "=")
			k, _ = url.QueryUnescape(strings.ReplaceAll(k, "%20", "+"))
			if dv, err := url.QueryUnescape(v); err == nil {
				v = dv
			}
			out[k] = append(out[k], v)
		}
	}
	return out
}

// playClient drives backend.Domains over the client of a replaying server.
func (tr *transcript) playClient(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "replay.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	r := &replayer{t: t, exs: tr.exchanges, used: make([]bool, len(tr.exchanges))}
	go r.serve(l)
	c, err := xend.New("unix", sock, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	b := backend.NewDomains(c, "xen+unix://"+sock)
	defer b.Close()
	for _, s := range tr.steps {
		got := clientStep(b, tr.files, s.line)
		checkResult(t, s.line, s.result, got)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, used := range r.used {
		if !used {
			t.Errorf("the client never sent request %d: %s", i+1, strings.SplitN(tr.exchanges[i].req, "\n", 2)[0])
		}
	}
}

func checkResult(t *testing.T, line, want, got string) {
	t.Helper()
	wl := strings.Split(strings.TrimSuffix(want, "\n"), "\n")
	gl := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	ok := len(wl) == len(gl)
	for i := 0; ok && i < len(wl); i++ {
		if text, isErr := strings.CutPrefix(wl[i], "error~ "); isErr {
			ok = strings.HasPrefix(gl[i], "error: ") && strings.Contains(gl[i], text)
		} else {
			ok = wl[i] == gl[i]
		}
	}
	if !ok {
		t.Errorf("%s:\n got %s\nwant %s", line, got, want)
	}
}

// clientStep runs one client step and renders what a user would see of it.
func clientStep(b backend.Backend, files map[string][]byte, line string) string {
	f := strings.Fields(line)
	arg := func(i int) string {
		if i < len(f) {
			return f[i]
		}
		return ""
	}
	num := func(i int) uint64 { n, _ := strconv.ParseUint(arg(i), 10, 64); return n }
	var err error
	var out strings.Builder
	switch f[0] {
	case "list":
		// --brief and --uuid are the command's ListBrief and ListUUID.
		filter := backend.ListActive
		for _, flag := range f[1:] {
			switch flag {
			case "--all":
				filter = filter&^backend.ListAll | backend.ListAll
			case "--inactive":
				filter = filter&^backend.ListAll | backend.ListInactive
			case "--brief":
				filter |= backend.ListBrief
			case "--uuid":
				filter |= backend.ListUUID
			}
		}
		var ds []backend.Domain
		if ds, err = b.List(ctx, filter); err == nil {
			for _, d := range ds {
				id := "-"
				if d.ID >= 0 {
					id = strconv.Itoa(d.ID)
				}
				fmt.Fprintf(&out, "%s %s %s", id, d.Name, d.State)
				if filter&backend.ListUUID != 0 {
					fmt.Fprintf(&out, " %s", d.UUID)
				}
				out.WriteByte('\n')
			}
		}
	case "dominfo":
		var d backend.Domain
		if d, err = b.Lookup(ctx, arg(1)); err == nil {
			fmt.Fprintf(&out, "id %d name %s uuid %s state %s os %s\n", d.ID, d.Name, d.UUID, d.State, d.OSType)
			fmt.Fprintf(&out, "maxmem %d memory %d vcpus %d persistent %v autostart %v\n", d.MaxMemKiB, d.MemoryKiB, d.VCPUs, d.Persistent, d.Autostart)
		}
	case "version":
		var v string
		var n int
		if v, err = b.Version(ctx); err == nil {
			if n, err = b.ConfigFormat(ctx); err == nil {
				fmt.Fprintf(&out, "xen %s format %d\n", v, n)
			}
		}
	case "nodeinfo":
		var n backend.NodeInfo
		if n, err = b.NodeInfo(ctx); err == nil {
			fmt.Fprintf(&out, "%+v\n", n)
		}
	case "create", "define":
		var d backend.Domain
		if f[0] == "create" {
			d, err = b.Create(ctx, files[arg(1)])
		} else {
			d, err = b.Define(ctx, files[arg(1)])
		}
		if err == nil {
			fmt.Fprintf(&out, "%s %d %s\n", d.Name, d.ID, d.State)
		}
	case "start":
		err = b.Start(ctx, arg(1))
	case "destroy":
		err = b.Destroy(ctx, arg(1))
	case "shutdown":
		err = b.Shutdown(ctx, arg(1))
	case "reboot":
		err = b.Reboot(ctx, arg(1))
	case "suspend":
		err = b.Suspend(ctx, arg(1))
	case "resume":
		err = b.Resume(ctx, arg(1))
	case "undefine":
		err = b.Undefine(ctx, arg(1))
	case "setmem":
		err = b.SetMemory(ctx, arg(1), num(2))
	case "setmaxmem":
		err = b.SetMaxMemory(ctx, arg(1), num(2))
	case "setvcpus":
		err = b.SetVCPUs(ctx, arg(1), int(num(2)))
	case "attach", "detach", "update":
		err = deviceStep(b, f[0], arg(1), files[arg(2)])
	default:
		if !manageStep(b, f, &out, &err) {
			return "unknown client step " + line + "\n"
		}
	}
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	if out.Len() == 0 {
		return "ok\n"
	}
	return out.String()
}
