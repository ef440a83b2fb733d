package xendsim

import (
	"bufio"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"xvirsh/backend/fake"
)

// BenchmarkShowDomainRequests is the simulator's side of a listing's
// one-by-one fetches: keep-alive GETs of single domains, each as the xend
// client sends it, against a resident directory host as `xvirsh xend-sim
// --state DIR` serves it. The client here only writes the request and
// skips the reply, so the figures are the simulator's.
func BenchmarkShowDomainRequests(b *testing.B) {
	dir := b.TempDir()
	if out, err := exec.Command("../../testdata/bench/hosts.sh", dir, "3000").CombinedOutput(); err != nil {
		b.Skipf("hosts.sh: %v\n%s", err, out)
	}
	host, err := fake.Open(dir + "/xend")
	if err != nil {
		b.Fatal(err)
	}
	host.Resident()
	b.Cleanup(func() { host.Close() }) // after the server stops: cleanups run last first
	sock := startHandler(b, NewHandler(host))

	conn, err := net.Dial("unix", sock)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	br := bufio.NewReader(conn)
	get := func(i int) {
		fmt.Fprintf(conn, "GET /xend/domain/guest%05d?detail=1 HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: identity\r\n"+
			"Content-Type: application/x-www-form-urlencoded\r\nConnection: keep-alive\r\n\r\n", 1+3*(i%1000))
		n := -1
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				b.Fatal(err)
			}
			if v, ok := strings.CutPrefix(line, "Content-length: "); ok {
				n, _ = strconv.Atoi(strings.TrimSpace(v))
			}
			if line == "\r\n" {
				break
			}
		}
		if n <= 0 {
			b.Fatalf("reply without a body")
		}
		if _, err := br.Discard(n); err != nil {
			b.Fatal(err)
		}
	}
	get(0) // the first request reads the directory
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		get(i)
		i++
	}
}
