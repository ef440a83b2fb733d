package xend

import (
	"context"
	"errors"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestConnectFailures: no xend at the address gives one message saying
// where the client tried and why it could not connect.
func TestConnectFailures(t *testing.T) {
	stale := filepath.Join(t.TempDir(), "stale.sock")
	l, err := net.Listen("unix", stale)
	if err != nil {
		t.Fatal(err)
	}
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	l.Close() // the socket file stays, nothing listens: like a dead xend

	tl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedTCP := tl.Addr().String()
	tl.Close()

	missing := filepath.Join(t.TempDir(), "none.sock")
	tests := []struct {
		network, addr, want string
	}{
		{"unix", stale, "cannot connect to xend at unix:" + stale + ": connection refused"},
		{"unix", missing, "cannot connect to xend at unix:" + missing + ": no such file or directory"},
		{"tcp", closedTCP, "cannot connect to xend at " + closedTCP + ": connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.network+" "+filepath.Base(tt.addr), func(t *testing.T) {
			c, err := New(tt.network, tt.addr, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			for _, what := range []string{"node", "create", "op"} {
				err := call(c, what)
				if err == nil || err.Error() != tt.want {
					t.Errorf("%s: error = %v, want %q", what, err, tt.want)
				}
				var ce *ConnectError
				if !errors.As(err, &ce) {
					t.Errorf("%s: error is not a *ConnectError", what)
				}
			}
		})
	}
}

// TestTimeouts: a server that accepts and then never answers, or stops in
// the middle of a reply, costs one timeout, not a hang.
func TestTimeouts(t *testing.T) {
	tests := []struct {
		name  string
		reply string
		want  string
	}{
		{"no reply at all", "", "did not answer within 300 ms"},
		{"headers then silence", "HTTP/1.1 200 OK\r\nContent-type: application/sxp\r\nContent-length: 50\r\n\r\n(node ", "did not finish its reply within 300 ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var srv *rawServer
			if tt.reply == "" {
				srv = newRawServer(t, "unix", func(*http.Request, []byte) string { return "" })
			} else {
				srv = stallAfter(t, tt.reply)
			}
			c := srv.client(t, 300*time.Millisecond)
			done := make(chan error, 1)
			go func() { done <- call(c, "node") }()
			select {
			case err := <-done:
				if err == nil || err.Error() != "xend at unix:"+srv.addr()+" "+tt.want {
					t.Fatalf("error = %v, want xend at unix:%s %s", err, srv.addr(), tt.want)
				}
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("errors.Is(err, DeadlineExceeded) = false: %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("client hung past its timeout")
			}
		})
	}
}

// stallAfter is a server that writes prefix and then keeps the connection
// open without another byte.
func stallAfter(t *testing.T, prefix string) *rawServer {
	l, err := net.Listen("unix", filepath.Join(t.TempDir(), "stall.sock"))
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				buf := make([]byte, 4096)
				conn.Read(buf)
				conn.Write([]byte(prefix))
				<-stop
			}()
		}
	}()
	t.Cleanup(func() { close(stop); l.Close() })
	return &rawServer{t: t, l: l}
}

// TestCallerCancel: a cancelled caller (Ctrl-C in the shell) gets
// "interrupted", not a timeout.
func TestCallerCancel(t *testing.T) {
	srv := newRawServer(t, "unix", func(*http.Request, []byte) string { return "" })
	c := srv.client(t, time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := c.Node(ctx)
	if err == nil || !strings.Contains(err.Error(), "interrupted: context canceled") {
		t.Fatalf("error = %v, want interrupted", err)
	}
}

func TestNewRejects(t *testing.T) {
	for _, tt := range []struct{ network, addr, want string }{
		{"udp", "x", `unknown network "udp"`},
		{"unix", "", "empty unix address"},
	} {
		if _, err := New(tt.network, tt.addr, time.Second); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%q, %q) error = %v, want %q", tt.network, tt.addr, err, tt.want)
		}
	}
}

// TestReplyLimit: a reply larger than MaxReply is refused, not read whole.
func TestReplyLimit(t *testing.T) {
	big := "(node (junk '" + strings.Repeat("x", 5000) + "'))"
	srv := newRawServer(t, "unix", func(*http.Request, []byte) string { return sxpReply("200 OK", big) })
	c := srv.client(t, 5*time.Second)
	c.MaxReply = 1000
	_, err := c.Node(context.Background())
	if err == nil || !strings.Contains(err.Error(), "sent a reply of 5016 bytes, over the limit of 1000; it was not read") {
		t.Fatalf("error = %v, want reply too large", err)
	}
}

// TestBrokenServers: a server that hangs up without a word, or speaks
// something other than HTTP, gives one plain error.
func TestBrokenServers(t *testing.T) {
	for _, tt := range []struct{ name, reply, want string }{
		{"hang up", "", "closed the connection without a reply"},
		{"not http", "SSH-2.0-OpenSSH_9.2\r\n", "does not answer in HTTP; is it xend?"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l, err := net.Listen("unix", filepath.Join(t.TempDir(), "s.sock"))
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			go func() {
				for {
					conn, err := l.Accept()
					if err != nil {
						return
					}
					conn.Read(make([]byte, 4096))
					conn.Write([]byte(tt.reply))
					conn.Close()
				}
			}()
			c, _ := New("unix", l.Addr().String(), 5*time.Second)
			_, err = c.Node(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}
}
