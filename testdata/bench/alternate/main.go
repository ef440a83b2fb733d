// Command alternate times two commands run one after the other, in turn,
// as issue 11 measures xvirsh against virsh: each command starts right
// after the other has exited, so each pays for what the other left in the
// caches, as an operator's commands do. hyperfine runs one command many
// times in a row instead, which keeps a small binary warm.
//
//	go run ./testdata/bench/alternate [-n 300] [-warmup 20] CMD... -- CMD...
//
// It prints the median wall time of each, from start to exit, and the
// ratio of the first median to the second. Output goes to /dev/null.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"time"
)

func main() {
	n := flag.Int("n", 300, "timed runs of each command")
	warm := flag.Int("warmup", 20, "untimed runs of each first")
	flag.Parse()
	args := flag.Args()
	i := slices.Index(args, "--")
	if i <= 0 || i == len(args)-1 || *n < 1 {
		fmt.Fprintln(os.Stderr, "usage: alternate [-n N] [-warmup N] CMD... -- CMD...")
		os.Exit(2)
	}
	a, b := args[:i], args[i+1:]
	for range *warm {
		once(a)
		once(b)
	}
	var ta, tb []time.Duration
	for range *n {
		ta = append(ta, once(a))
		tb = append(tb, once(b))
	}
	ma, mb := median(ta), median(tb)
	fmt.Printf("%v: median %.2f ms\n%v: median %.2f ms\nratio %.3f\n", a, ms(ma), b, ms(mb), float64(ma)/float64(mb))
}

func once(argv []string) time.Duration {
	c := exec.Command(argv[0], argv[1:]...)
	start := time.Now()
	if err := c.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "error: %v: %v\n", argv, err)
		os.Exit(1)
	}
	return time.Since(start)
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
