package xendhttp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

func reader(s string) *bufio.Reader { return bufio.NewReaderSize(strings.NewReader(s), 16) }

func TestReadRequest(t *testing.T) {
	tests := []struct {
		name, raw                 string
		method, path, query, host string
		cl                        int64
		body                      string
		wantErr                   error
	}{
		{name: "libvirt GET", raw: "GET /xend/domain/fc8?detail=1 HTTP/1.1\r\nHost: localhost:8000\r\nAccept-Encoding: identity\r\n\r\n",
			method: "GET", path: "/xend/domain/fc8", query: "detail=1", host: "localhost:8000"},
		{name: "libvirt POST", raw: "POST /xend/domain/fc8 HTTP/1.1\r\nHost: localhost:8000\r\nContent-Length: 8\r\n\r\nop=pauseNEXT",
			method: "POST", path: "/xend/domain/fc8", host: "localhost:8000", cl: 8, body: "op=pause"},
		{name: "no Host, bare LF, blank lines first", raw: "\r\n\nGET /xend/node/ HTTP/1.0\ncontent-length: 0\n\n",
			method: "GET", path: "/xend/node/"},
		{name: "absolute form", raw: "GET http://xen:8000/xend/node?x=1 HTTP/1.1\r\n\r\n",
			method: "GET", path: "/xend/node", query: "x=1", host: "xen:8000"},
		{name: "absolute form, no path", raw: "GET http://xen:8000 HTTP/1.1\r\n\r\n",
			method: "GET", path: "/", host: "xen:8000"},
		{name: "chunked body is not read", raw: "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
			method: "POST", path: "/", cl: -1},
		{name: "Content-Length that does not parse", raw: "POST / HTTP/1.1\r\nContent-Length: ten\r\n\r\n",
			method: "POST", path: "/", cl: -1},
		{name: "folded field", raw: "GET / HTTP/1.1\r\nX-A: one\r\n two\r\n\r\n", method: "GET", path: "/"},
		{name: "empty", raw: "", wantErr: io.EOF},
		{name: "cut in the head", raw: "GET / HTTP/1.1\r\nHost: x", wantErr: io.ErrUnexpectedEOF},
		{name: "not HTTP", raw: "SSH-2.0-OpenSSH_9.2\r\n", wantErr: ErrMalformed},
		{name: "no target", raw: "GET  HTTP/1.1\r\n\r\n", wantErr: ErrMalformed},
		{name: "relative target", raw: "GET xend HTTP/1.1\r\n\r\n", wantErr: ErrMalformed},
		{name: "HTTP/2", raw: "PRI * HTTP/2.0\r\n\r\n", wantErr: ErrMalformed},
		{name: "field without colon", raw: "GET / HTTP/1.1\r\nHost\r\n\r\n", wantErr: ErrMalformed},
		{name: "space in a field name", raw: "GET / HTTP/1.1\r\nHo st: x\r\n\r\n", wantErr: ErrMalformed},
		{name: "escape in a value", raw: "GET / HTTP/1.1\r\nX: \x1b[2J\r\n\r\n", wantErr: ErrMalformed},
		{name: "fold first", raw: "GET / HTTP/1.1\r\n x\r\n\r\n", wantErr: ErrMalformed},
		{name: "too many lines", raw: "GET / HTTP/1.1\r\n" + strings.Repeat("A: b\r\n", 11) + "\r\n", wantErr: ErrHeaderTooLarge},
		{name: "too many bytes", raw: "GET / HTTP/1.1\r\nA: " + strings.Repeat("b", 300) + "\r\n\r\n", wantErr: ErrHeaderTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ReadRequest(reader(tt.raw), 256, 10)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Method != tt.method || r.Path != tt.path || r.RawQuery != tt.query || r.Host != tt.host || r.ContentLength != tt.cl {
				t.Errorf("got %q %q %q host %q length %d", r.Method, r.Path, r.RawQuery, r.Host, r.ContentLength)
			}
			body, err := io.ReadAll(r.Body)
			if err != nil || string(body) != tt.body {
				t.Errorf("body %q, %v; want %q", body, err, tt.body)
			}
		})
	}
	r, _ := ReadRequest(reader("GET / HTTP/1.1\r\nX-A: one\r\n two\r\nConnection: Upgrade, Keep-Alive\r\nUser-Agent:\r\n\r\n"), 256, 10)
	if v := r.Header.Get("x-a"); v != "one two" {
		t.Errorf("folded value %q", v)
	}
	if !r.Header.HasToken("connection", "keep-alive") || r.Header.HasToken("Connection", "close") {
		t.Errorf("Connection tokens misread: %q", r.Header)
	}
	if v, ok := r.Header.Lookup("User-Agent"); !ok || v != "" {
		t.Errorf("empty User-Agent: %q, %v", v, ok)
	}
}

// TestHeadFields reads heads whose fields are cut from one string: more
// fields than the head's first array holds, more bytes than the stack
// buffer, folds once and twice, values with inner and outer blanks, and a
// second head on the same reader after the first's bytes are gone.
func TestHeadFields(t *testing.T) {
	long := strings.Repeat("v", 1500)
	var raw strings.Builder
	raw.WriteString("HTTP/1.1 200 OK\r\n")
	var want Header
	for i := range 12 {
		name := fmt.Sprintf("X-F%d", i)
		value := fmt.Sprintf("value %d", i)
		switch i {
		case 3:
			value = long
		case 5:
			raw.WriteString(name + ":  a  \r\n b\r\n\t c \r\n")
			want = append(want, Field{name, "a b c"})
			continue
		case 7:
			raw.WriteString(name + ":\r\n")
			want = append(want, Field{name, ""})
			continue
		}
		raw.WriteString(name + ":\t " + value + " \r\n")
		want = append(want, Field{name, value})
	}
	raw.WriteString("\r\n")
	br := reader(raw.String() + "HTTP/1.1 204 No Content\r\nA: b\r\n\r\n")
	r, err := ReadResponse(br, 1<<16, 100, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.Header, want) {
		t.Errorf("first head:\n%q\nwant\n%q", r.Header, want)
	}
	r2, err := ReadResponse(br, 1<<16, 100, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r2.Header, Header{{"A", "b"}}) || !reflect.DeepEqual(r.Header, want) {
		t.Errorf("second head %q; the first is now %q", r2.Header, r.Header)
	}
	// Small heads, read one after the other: what the first's fields
	// were cut from must not be the second's buffer.
	br = reader("HTTP/1.1 200 OK\r\nContent-length: 12\r\nServer: one\r\n\r\n" +
		"HTTP/1.1 200 OK\r\nContent-length: 99\r\nServer: two\r\n\r\n")
	small, err := ReadResponse(br, 1<<16, 100, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ReadResponse(br, 1<<16, 100, true); err != nil {
		t.Fatal(err)
	}
	if got := small.Header.Get("Server") + " " + small.Header.Get("Content-length"); got != "one 12" {
		t.Errorf("the first small head now says %q", got)
	}
}

func TestKeepReading(t *testing.T) {
	// Two requests on one connection: the first's body ends where its
	// Content-Length says, and the second starts there.
	br := reader("POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\n\r\n")
	r, err := ReadRequest(br, 1024, 10)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(r.Body); string(b) != "abc" {
		t.Fatalf("body %q", b)
	}
	if r, err = ReadRequest(br, 1024, 10); err != nil || r.Path != "/b" {
		t.Fatalf("second request %+v, %v", r, err)
	}
	if _, err = ReadRequest(br, 1024, 10); err != io.EOF {
		t.Fatalf("after the last: %v, want io.EOF", err)
	}
}

func TestReadResponse(t *testing.T) {
	tests := []struct {
		name, raw string
		status    int
		reason    string
		cl        int64
		keep      bool
		body      string
		bodyErr   error
		wantErr   error
	}{
		{name: "xend", raw: "HTTP/1.1 200 OK\r\nContent-type: application/sxp\r\nContent-length: 6\r\n\r\n(node)",
			status: 200, reason: "OK", cl: 6, body: "(node)"},
		{name: "custom reason, kept", raw: "HTTP/1.1 500 Request failed: pause\r\nConnection: keep-alive\r\nContent-length: 0\r\n\r\n",
			status: 500, reason: "Request failed: pause", keep: true},
		{name: "no reason", raw: "HTTP/1.1 503\r\nContent-length: 0\r\n\r\n", status: 503},
		{name: "HTTP/1.0 to the end", raw: "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n(node)", status: 200, reason: "OK", cl: -1, body: "(node)"},
		{name: "interim replies skipped", raw: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 204 No content\r\n\r\n",
			status: 204, reason: "No content"},
		{name: "304 has no body", raw: "HTTP/1.1 304 Not Modified\r\nContent-length: 10\r\n\r\n", status: 304, reason: "Not Modified"},
		{name: "chunked over Content-Length", raw: "HTTP/1.1 200 OK\r\nContent-length: 3\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3;a=b\r\n(no\r\n3\r\nde)\r\n0\r\nT: x\r\n\r\n",
			status: 200, reason: "OK", cl: -1, body: "(node)"},
		{name: "chunk sizes in upper case", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n",
			status: 200, reason: "OK", cl: -1, body: "0123456789"},
		{name: "cut body", raw: "HTTP/1.1 200 OK\r\nContent-length: 9\r\n\r\n(node)", status: 200, reason: "OK", cl: 9, body: "(node)", bodyErr: io.ErrUnexpectedEOF},
		{name: "cut chunk", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n9\r\n(node)", status: 200, reason: "OK", cl: -1, body: "(node)", bodyErr: io.ErrUnexpectedEOF},
		{name: "cut before a size", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n(node)\r\n", status: 200, reason: "OK", cl: -1, body: "(node)", bodyErr: io.ErrUnexpectedEOF},
		{name: "cut in the trailers", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: x\r\n", status: 200, reason: "OK", cl: -1, bodyErr: io.ErrUnexpectedEOF},
		{name: "bad chunk size", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-6\r\n(node)\r\n0\r\n\r\n", status: 200, reason: "OK", cl: -1, bodyErr: ErrMalformed},
		{name: "chunk size line too long", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" + strings.Repeat("x", maxChunkLine) + "\r\n", status: 200, reason: "OK", cl: -1, bodyErr: ErrMalformed},
		{name: "trailers too long", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + strings.Repeat("T: x\r\n", maxTrailerLines+1) + "\r\n", status: 200, reason: "OK", cl: -1, bodyErr: ErrMalformed},
		{name: "chunk overruns its size", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n(node)\r\n0\r\n\r\n", status: 200, reason: "OK", cl: -1, body: "(n", bodyErr: ErrMalformed},
		{name: "not HTTP", raw: "SSH-2.0-OpenSSH_9.2\r\n", wantErr: ErrMalformed},
		{name: "not HTTP, no newline", raw: "<html>", wantErr: ErrMalformed},
		{name: "two-digit status", raw: "HTTP/1.1 20 OK\r\n\r\n", wantErr: ErrMalformed},
		{name: "status not a number", raw: "HTTP/1.1 2x0 OK\r\n\r\n", wantErr: ErrMalformed},
		{name: "lengths disagree", raw: "HTTP/1.1 200 OK\r\nContent-length: 1\r\nContent-Length: 2\r\n\r\n()", wantErr: ErrMalformed},
		{name: "endless interim replies", raw: strings.Repeat("HTTP/1.1 100 Continue\r\n\r\n", 20), wantErr: ErrMalformed},
		{name: "nothing", raw: "", wantErr: io.EOF},
		{name: "cut head", raw: "HTTP/1.1 200 OK\r\nContent-le", wantErr: io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ReadResponse(reader(tt.raw), 512, 20, false)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.StatusCode != tt.status || r.Reason != tt.reason || r.ContentLength != tt.cl || r.KeepAlive != tt.keep {
				t.Errorf("got %d %q length %d keep %v", r.StatusCode, r.Reason, r.ContentLength, r.KeepAlive)
			}
			body, err := io.ReadAll(r.Body)
			if string(body) != tt.body || !errors.Is(err, tt.bodyErr) && (err != nil || tt.bodyErr != nil) {
				t.Errorf("body %q, %v; want %q, %v", body, err, tt.body, tt.bodyErr)
			}
		})
	}
}

func TestWrite(t *testing.T) {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	err := WriteRequest(w, "POST", "/xend/domain/web%2F1", Header{{"Host", "localhost:8000"}, {"X", "a\r\nInjected: 1"}}, []byte("op=pause"))
	if err != nil {
		t.Fatal(err)
	}
	want := "POST /xend/domain/web%2F1 HTTP/1.1\r\nHost: localhost:8000\r\nX: a  Injected: 1\r\n\r\nop=pause"
	if b.String() != want {
		t.Errorf("request\n%q\nwant\n%q", b.String(), want)
	}
	if err := WriteRequest(w, "GET", "/a b", nil, nil); !errors.Is(err, ErrMalformed) {
		t.Errorf("target with a space: %v", err)
	}

	b.Reset()
	WriteResponse(w, 501, "Operation not implemented: a\nb", Header{{"Content-length", "0"}})
	w.Flush()
	if want := "HTTP/1.1 501 Operation not implemented: a b\r\nContent-length: 0\r\n\r\n"; b.String() != want {
		t.Errorf("response %q, want %q", b.String(), want)
	}
	r, err := ReadResponse(bufio.NewReader(&b), 1024, 10, false)
	if err != nil || r.Status() != "501 Operation not implemented: a b" {
		t.Errorf("read back: %v, %v", r, err)
	}
}

func TestHeaderEdit(t *testing.T) {
	h := Header{{"Accept", "a"}, {"accept", "b"}, {"Host", "x"}}
	if v := h.Values("ACCEPT"); len(v) != 2 {
		t.Errorf("Values %q", v)
	}
	h.Set("Accept", "*/*")
	if v := h.Values("accept"); len(v) != 1 || v[0] != "*/*" || h.Get("Host") != "x" {
		t.Errorf("after Set: %q", h)
	}
	h.Del("host")
	if _, ok := h.Lookup("Host"); ok {
		t.Errorf("after Del: %q", h)
	}
}

// FuzzRead: whatever a peer sends, reading it ends, within its budget,
// in a request, a reply or an error; never a panic.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST /xend/domain/ HTTP/1.1\r\nContent-Length: 3\r\n\r\nop=",
		"HTTP/1.1 200 OK\r\nContent-length: 6\r\n\r\n(node)",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x\r\nabc\r\n0\r\nT: 1\r\n\r\n",
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\nbody",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if r, err := ReadRequest(reader(s), 4096, 50); err == nil {
			io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		}
		if r, err := ReadResponse(reader(s), 4096, 50, false); err == nil {
			n, _ := io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
			if n > int64(len(s)) {
				t.Fatalf("read %d body bytes from %d bytes of input", n, len(s))
			}
		}
	})
}
