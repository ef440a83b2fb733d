package xend

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// rawServer is a stand-in for xend that answers every request with fixed
// bytes, so a test controls the reply down to the status line and header
// spelling, and can record what the client sent.
type rawServer struct {
	t     *testing.T
	l     net.Listener
	reply func(req *http.Request, body []byte) string // raw reply; "" = never answer

	mu   sync.Mutex
	reqs [][]byte // raw bytes of each request received
	wg   sync.WaitGroup
	stop chan struct{}
}

// listenLocal listens on a fresh unix socket (network "unix") or on a
// free TCP port of the loopback.
func listenLocal(t *testing.T, network string) net.Listener {
	t.Helper()
	addr := "127.0.0.1:0"
	if network == "unix" {
		addr = filepath.Join(t.TempDir(), "xend.sock")
	}
	l, err := net.Listen(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// newRawServer listens on a unix socket (network "unix") or TCP loopback.
func newRawServer(t *testing.T, network string, reply func(*http.Request, []byte) string) *rawServer {
	t.Helper()
	l := listenLocal(t, network)
	s := &rawServer{t: t, l: l, reply: reply, stop: make(chan struct{})}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(func() {
		close(s.stop)
		l.Close()
		s.wg.Wait()
	})
	return s
}

func (s *rawServer) addr() string { return s.l.Addr().String() }

func (s *rawServer) network() string { return s.l.Addr().Network() }

func (s *rawServer) client(t *testing.T, timeout time.Duration) *Client {
	t.Helper()
	c, err := New(s.network(), s.addr(), timeout)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (s *rawServer) accept() {
	defer s.wg.Done()
	for {
		conn, err := s.l.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go s.handle(conn)
	}
}

func (s *rawServer) handle(conn net.Conn) {
	defer s.wg.Done()
	defer conn.Close()
	var raw bytes.Buffer
	br := bufio.NewReader(io.TeeReader(conn, &raw))
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	body, _ := io.ReadAll(req.Body)
	s.mu.Lock()
	s.reqs = append(s.reqs, bytes.Clone(raw.Bytes()))
	s.mu.Unlock()
	out := s.reply(req, body)
	if out == "" {
		// Never answer: hold the connection until the test ends.
		<-s.stop
		return
	}
	io.WriteString(conn, out)
}

func (s *rawServer) requests() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reqs
}

// httpReply builds a raw reply: lines joined by CRLF, a blank line, body.
func httpReply(head []string, body string) string {
	return strings.Join(head, "\r\n") + "\r\n\r\n" + body
}

// sxpReply is a well-formed xend reply carrying body.
func sxpReply(status string, body string) string {
	return httpReply([]string{
		"HTTP/1.1 " + status,
		"Content-type: application/sxp",
		"Content-length: " + strconv.Itoa(len(body)),
	}, body)
}
