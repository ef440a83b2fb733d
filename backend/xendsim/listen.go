package xendsim

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// DefaultTCP is where the simulator listens when given no address: xend's
// port, but on loopback only, since nothing authenticates a client.
const DefaultTCP = "127.0.0.1:8000"

// Listen opens the simulator's listener. addr is "unix:PATH" for a unix
// socket, created mode 0600 so that only its owner may drive the host, or
// "HOST:PORT" for TCP ("" is DefaultTCP). A socket file left by a dead
// simulator is replaced; one that a live process still answers on is not,
// nor is any file that is not a socket.
func Listen(addr string) (net.Listener, error) {
	if path, ok := strings.CutPrefix(addr, "unix:"); ok {
		return listenUnix(path)
	}
	addr = strings.TrimPrefix(addr, "tcp:")
	if addr == "" {
		addr = DefaultTCP
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	return l, nil
}

func listenUnix(path string) (net.Listener, error) {
	if path == "" {
		return nil, errors.New("cannot listen on unix socket: empty path")
	}
	if err := checkStale(path); err != nil {
		return nil, err
	}
	// The socket is born in a private directory and renamed into place,
	// so it is never reachable with looser permissions than 0600; changing
	// the umask instead would affect every goroutine in the process.
	tmp, err := os.MkdirTemp(filepath.Dir(path), ".xend-sim-")
	if err != nil {
		return nil, fmt.Errorf("cannot listen on unix:%s: %w", path, err)
	}
	defer os.RemoveAll(tmp)
	tmpSock := filepath.Join(tmp, "sock")
	l, err := net.Listen("unix", tmpSock)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on unix:%s: %w", path, err)
	}
	ul := l.(*net.UnixListener)
	ul.SetUnlinkOnClose(false)
	if err := os.Chmod(tmpSock, 0o600); err != nil {
		l.Close()
		return nil, fmt.Errorf("cannot listen on unix:%s: %w", path, err)
	}
	if err := os.Rename(tmpSock, path); err != nil {
		l.Close()
		return nil, fmt.Errorf("cannot listen on unix:%s: %w", path, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		l.Close()
		return nil, fmt.Errorf("cannot listen on unix:%s: %w", path, err)
	}
	return &unixListener{UnixListener: ul, path: path, fi: fi}, nil
}

// checkStale refuses a path that is in use and clears the way for one
// that is not.
func checkStale(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot listen on unix:%s: %w", path, err)
	}
	if fi.Mode()&os.ModeSocket == 0 {
		return fmt.Errorf("cannot listen on unix:%s: the file exists and is not a socket", path)
	}
	c, err := net.DialTimeout("unix", path, time.Second)
	if err == nil {
		c.Close()
		return fmt.Errorf("cannot listen on unix:%s: another process is listening there", path)
	}
	return nil
}

// unixListener removes its socket file on Close, but only while the file
// is still the one it created: a newer simulator may have taken the path.
type unixListener struct {
	*net.UnixListener
	path string
	fi   os.FileInfo
	once sync.Once
}

// Addr is the path clients dial, not the private one the socket was
// created under.
func (l *unixListener) Addr() net.Addr { return &net.UnixAddr{Name: l.path, Net: "unix"} }

func (l *unixListener) Close() error {
	err := l.UnixListener.Close()
	l.once.Do(func() {
		if fi, e := os.Lstat(l.path); e == nil && os.SameFile(fi, l.fi) {
			os.Remove(l.path)
		}
	})
	return err
}
