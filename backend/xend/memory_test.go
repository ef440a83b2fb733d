package xend

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"xvirsh/sexpr"
)

// replyCost is what the client allocates to read and parse one reply of
// body, in multiples of its size. It counts every allocation (TotalAlloc),
// not the peak, so it is an upper bound on what the reply holds at once.
func replyCost(t testing.TB, c *Client, body string) (float64, error) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := c.get(context.Background(), "/xend/domain", "detail=1")
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc-before.TotalAlloc) / float64(len(body)), err
}

// serveBytes answers every request on a new unix socket with reply, from
// one buffer, so that what a measurement counts is the client's alone.
func serveBytes(tb testing.TB, reply []byte) string {
	l, err := net.Listen("unix", filepath.Join(tb.TempDir(), "r.sock"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				conn.Read(make([]byte, 4096))
				conn.Write(reply)
			}()
		}
	}()
	return l.Addr().String()
}

// maxCost is the bound point 5 of issue 7 asks for: reading and parsing a
// reply costs a small multiple of its size, whatever the server put in it.
// Before the bound, a reply of empty lists cost 40 times its size (a
// 250 MiB one, 10.9 GB).
const maxCost = 20

// TestReplyMemoryIsBounded: every shape of reply, xend's own or a hostile
// one, costs at most maxCost times its size; the ones denser than xend's
// records are refused before the tree is built.
func TestReplyMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("reads replies of megabytes")
	}
	const size = 4 << 20
	record := "(domain (domid 7) (uuid 4f77abd2-3019-58e8-3bab-6fbf2118f880) (vcpus 1) (memory 175) (maxmem 385) (name rhel5) (on_poweroff destroy) (state -b----) (cpu_time 137.189121425))"
	for _, tt := range []struct {
		name, unit string
		refused    bool
	}{
		{"xend's records", record + " ", false},
		{"dense but xend-like", "(domain (vcpus 1) (name abcdefgh))", false},
		{"empty lists", "()", true},
		{"one-atom lists", "(a)", true},
		{"bare atoms", "a ", true},
		{"nested empties", "(())", true},
		{"short pairs", "(a b)", true},
		{"quoted empties, at the limit", "'' ", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body := "(" + strings.Repeat(tt.unit, size/len(tt.unit)) + ")"
			c, _ := New("unix", serveBytes(t, []byte(sxpReply("200 OK", body))), time.Minute)
			cost, err := replyCost(t, c, body)
			if tt.refused != (err != nil) {
				t.Fatalf("error = %v, want refused %v", err, tt.refused)
			}
			if tt.refused && !strings.Contains(err.Error(), "holding more nodes than xend's records ever do (one per 3 bytes); it was not parsed") {
				t.Errorf("error = %v", err)
			}
			if cost > maxCost {
				t.Errorf("a %d-byte reply cost %.1f times its size, over %d", len(body), cost, maxCost)
			}
			t.Logf("%.1f× the reply", cost)
		})
	}
}

// TestHugeReplyIsNotRead: a reply announcing 250 MiB is refused on its
// headers; one streamed without a length is read only up to MaxReply.
// Either way the client spends a bounded amount on it.
func TestHugeReplyIsNotRead(t *testing.T) {
	const announced = 250 << 20
	for _, tt := range []struct {
		name, head string
		want       string
		maxAlloc   uint64
	}{
		{"announced", fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-type: application/sxp\r\nContent-length: %d\r\n\r\n", announced),
			fmt.Sprintf("sent a reply of %d bytes, over the limit of %d; it was not read", announced, DefaultMaxReply), 1 << 20},
		{"streamed", "HTTP/1.1 200 OK\r\nContent-type: application/sxp\r\nTransfer-Encoding: chunked\r\n\r\n",
			fmt.Sprintf("sent a reply of more than %d bytes; it was not read whole", 1<<20), 10 << 20},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l, err := net.Listen("unix", filepath.Join(t.TempDir(), "big.sock"))
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			go func() {
				conn, err := l.Accept()
				if err != nil {
					return
				}
				defer conn.Close()
				conn.Read(make([]byte, 4096))
				conn.Write([]byte(tt.head))
				chunk := "(" + strings.Repeat("()", 32<<10)
				if strings.Contains(tt.head, "chunked") {
					chunk = fmt.Sprintf("%x\r\n%s\r\n", len(chunk), chunk)
				}
				buf := []byte(chunk) // one buffer: what is measured is the client
				for sent := 0; sent < announced; sent += len(buf) {
					conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
					if _, err := conn.Write(buf); err != nil {
						return // the client hung up: what it should do
					}
				}
			}()
			c, _ := New("unix", l.Addr().String(), time.Minute)
			if tt.name == "streamed" {
				c.MaxReply = 1 << 20
			}
			time.Sleep(10 * time.Millisecond) // the server's set-up is not the client's cost
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err = c.Node(context.Background())
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "xend at unix:") {
				t.Fatalf("error = %v, want %q naming the endpoint", err, tt.want)
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > tt.maxAlloc {
				t.Errorf("refusing the reply cost %d bytes, over %d", got, tt.maxAlloc)
			}
		})
	}
}

// BenchmarkReplyCost reports what a reply of 4 MiB costs the client, in
// bytes allocated per byte of reply (x-reply), for xend's own records and
// for the densest hostile reply, which is refused before it is built:
//
//	go test -run '^$' -bench ReplyCost -benchmem ./backend/xend/
func BenchmarkReplyCost(b *testing.B) {
	const size = 4 << 20
	record := "(domain (domid 7) (uuid 4f77abd2-3019-58e8-3bab-6fbf2118f880) (vcpus 1) (memory 175) (name rhel5) (state -b----)) "
	for _, tt := range []struct{ name, unit string }{{"records", record}, {"empty-lists", "()"}} {
		body := "(" + strings.Repeat(tt.unit, size/len(tt.unit)) + ")"
		reply := []byte(sxpReply("200 OK", body))
		b.Run(tt.name, func(b *testing.B) {
			c, _ := New("unix", serveBytes(b, reply), time.Minute)
			b.ReportAllocs()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				c.get(context.Background(), "/xend/domain", "detail=1")
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(len(body)), "x-reply")
		})
	}
}

// TestParseEndsAtTheDeadline: parsing is part of the request, so a parse
// still running at the deadline (a huge reply on a slow machine; here a
// parser that never returns) gives the timeout, naming the endpoint, not
// a hang.
func TestParseEndsAtTheDeadline(t *testing.T) {
	stuck := make(chan struct{})
	defer close(stuck)
	sock := serveBytes(t, []byte(sxpReply("200 OK", "(node (system Linux))")))
	c, _ := New("unix", sock, 300*time.Millisecond)
	c.parseLimit = func(string, int) (*sexpr.Node, error) { <-stuck; return nil, nil }
	done := make(chan error, 1)
	go func() { _, err := c.Node(context.Background()); done <- err }()
	select {
	case err := <-done:
		want := "xend at unix:" + sock + " did not finish its reply within 300 ms"
		if err == nil || err.Error() != want {
			t.Errorf("error = %v, want %q", err, want)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the client waited for the parse past its deadline")
	}
}
