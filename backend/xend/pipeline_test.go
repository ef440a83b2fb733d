package xend

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"xvirsh/backend"
)

// The client's side of pipelined GETs (pipeline.go), against stand-ins
// for xend that answer, close and stall as the test says. The server's
// side, xend answering pipelined requests in order on one connection, is
// TestPipelinedRequestsAreAnsweredInOrder in package xendsim.

// reqName is the domain a GET /xend/domain/NAME?detail=1 head asks for.
func reqName(head string) string {
	line, _, _ := strings.Cut(head, "\r\n")
	target := strings.Fields(line)[1]
	name := strings.TrimPrefix(target, "/xend/domain/")
	name, _, _ = strings.Cut(name, "?")
	return name
}

func pausedRecord(name string) string {
	return fmt.Sprintf("(domain (domid %d) (name %s) (state --p---) (status 2) (device (vbd (dev xvda))))", len(name), name)
}

// answer is a reply as xend sends it on a kept connection.
func answer(status, body string, keep bool) string {
	h := "HTTP/1.1 " + status + "\r\nContent-type: application/sxp\r\nContent-length: " + fmt.Sprint(len(body)) + "\r\n"
	if keep {
		h += "Connection: keep-alive\r\n"
	}
	return h + "\r\n" + body
}

func refsOf(n int) []string {
	refs := make([]string, n)
	for i := range refs {
		refs[i] = fmt.Sprintf("guest%03d", i)
	}
	return refs
}

// checkAll: every ref came back as its own record, in its own place.
func checkAll(t *testing.T, refs []string, recs []error, got func(i int) string) {
	t.Helper()
	for i, ref := range refs {
		if recs[i] != nil {
			t.Errorf("%s: %v", ref, recs[i])
			continue
		}
		if g := got(i); g != ref {
			t.Errorf("place %d holds %q, want %q", i, g, ref)
		}
	}
}

// Requests go out before the answers to the ones before them come, over
// no more than pipeConns connections, and every answer lands in its own
// place.
func TestPipelineSendsAheadAndKeepsOrder(t *testing.T) {
	var ahead atomic.Int32
	s := newConnServer(t, "unix", func(s *connServer, n int, c net.Conn, br *bufio.Reader) {
		w := bufio.NewWriter(c)
		for {
			head, ok := s.readReq(br)
			if !ok {
				return
			}
			if br.Buffered() > 0 {
				ahead.Add(1) // the next request came before this answer
			}
			w.WriteString(answer("200 OK", pausedRecord(reqName(head)), true))
			w.Flush()
		}
	})
	c := s.client(t, 5*time.Second)
	refs := refsOf(200)
	recs, errs, err := c.BriefDomainsOf(context.Background(), refs)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, refs, errs, func(i int) string { return recs[i].Get("name") })
	if got := recs[7].Get("domid"); got != "8" {
		t.Errorf("domid %q, want 8", got)
	}
	if recs[7].Child("device") != nil {
		t.Errorf("brief record kept the devices: %v", recs[7])
	}
	if n := s.conns.Load(); n > pipeConns {
		t.Errorf("%d connections, want at most %d", n, pipeConns)
	}
	if ahead.Load() == 0 {
		t.Error("no request was sent before the answer to the one before it")
	}
}

// A server that closes connections as it likes (after an answer without
// keep-alive, or with one and then a restart) loses nothing: what it left
// unanswered is sent again on a new connection.
func TestPipelineSurvivesClosedConnections(t *testing.T) {
	for _, tc := range []struct {
		name   string
		closer func(k int) (keep, close bool) // for the k-th answer on a connection
	}{
		{"third answer says close", func(k int) (bool, bool) { return k < 2, k == 2 }},
		{"closed after three answers that said keep-alive", func(k int) (bool, bool) { return true, k == 2 }},
		{"closed after the first answer", func(k int) (bool, bool) { return true, true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newConnServer(t, "unix", func(s *connServer, n int, c net.Conn, br *bufio.Reader) {
				for k := 0; ; k++ {
					head, ok := s.readReq(br)
					if !ok {
						return
					}
					keep, close := tc.closer(k)
					c.Write([]byte(answer("200 OK", pausedRecord(reqName(head)), keep)))
					if close {
						return
					}
				}
			})
			c := s.client(t, 5*time.Second)
			refs := refsOf(60)
			recs, errs, err := c.BriefDomainsOf(context.Background(), refs)
			if err != nil {
				t.Fatal(err)
			}
			checkAll(t, refs, errs, func(i int) string { return recs[i].Get("name") })
		})
	}
}

// Each domain's own failure is that domain's alone: not found, xend.err,
// a record that does not read, a request at which xend drops the
// connection. The others are fetched as usual.
func TestPipelineFailuresStayWithTheirDomain(t *testing.T) {
	s := newConnServer(t, "unix", func(s *connServer, n int, c net.Conn, br *bufio.Reader) {
		for {
			head, ok := s.readReq(br)
			if !ok {
				return
			}
			var reply string
			switch name := reqName(head); name {
			case "guest003":
				reply = answer("404 Not found", "", true)
			case "guest005":
				reply = answer("500 Request failed: ", "(xend.err 'cannot print the record')", true)
			case "guest007":
				reply = answer("200 OK", "(domain (name guest007", true)
			case "guest009":
				return // no answer, and the connection is gone
			default:
				reply = answer("200 OK", pausedRecord(name), true)
			}
			if _, err := c.Write([]byte(reply)); err != nil {
				return
			}
		}
	})
	c := s.client(t, 5*time.Second)
	refs := refsOf(40)
	recs, errs, err := c.BriefDomainsOf(context.Background(), refs)
	if err != nil {
		t.Fatal(err)
	}
	for i, ref := range refs {
		switch i {
		case 3:
			if !errors.Is(errs[i], backend.ErrNotFound) {
				t.Errorf("%s: %v, want not found", ref, errs[i])
			}
		case 5, 7, 9:
			want := map[int]string{5: "cannot print the record", 7: "malformed S-expression", 9: "closed the connection without a reply"}[i]
			if errs[i] == nil || !strings.Contains(errs[i].Error(), want) {
				t.Errorf("%s: %v, want an error saying %q", ref, errs[i], want)
			}
		default:
			if errs[i] != nil || recs[i].Get("name") != ref {
				t.Errorf("%s: %v, %v", ref, recs[i], errs[i])
			}
		}
	}
}

// What is not one domain's fault ends the batch with one error: no xend
// to connect to, a xend that stops answering, the caller giving up.
func TestPipelineFailuresOfTheWhole(t *testing.T) {
	t.Run("no xend", func(t *testing.T) {
		l := listenLocal(t, "unix")
		addr := l.Addr().String()
		l.Close()
		c, err := New("unix", addr, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = c.BriefDomainsOf(context.Background(), refsOf(50))
		var ce *ConnectError
		if !errors.As(err, &ce) {
			t.Errorf("err = %v, want a ConnectError", err)
		}
	})
	t.Run("xend stops answering", func(t *testing.T) {
		s := newConnServer(t, "unix", func(s *connServer, n int, c net.Conn, br *bufio.Reader) {
			for k := 0; ; k++ {
				head, ok := s.readReq(br)
				if !ok {
					return
				}
				if k >= 5 {
					s.hold()
					return
				}
				c.Write([]byte(answer("200 OK", pausedRecord(reqName(head)), true)))
			}
		})
		c := s.client(t, 200*time.Millisecond)
		start := time.Now()
		_, _, err := c.BriefDomainsOf(context.Background(), refsOf(100))
		if err == nil || !strings.Contains(err.Error(), "did not answer within") {
			t.Errorf("err = %v, want xend's silence reported", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("gave up after %v: each request waited its own timeout", d)
		}
	})
	t.Run("caller gives up", func(t *testing.T) {
		s := newConnServer(t, "unix", func(s *connServer, n int, c net.Conn, br *bufio.Reader) {
			s.readReq(br)
			s.hold()
		})
		c := s.client(t, time.Minute)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		_, _, err := c.BriefDomainsOf(ctx, refsOf(10))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}
