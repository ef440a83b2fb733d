// Command alternate times commands run one after the other, in turn, as
// issue 11 measures xvirsh against virsh: each command starts right after
// the one before it has exited, so each pays for what that one left in the
// caches, as an operator's commands do. hyperfine runs one command many
// times in a row instead, which keeps a small binary warm.
//
//	go run ./testdata/bench/alternate [-n 300] [-warmup 20] CMD... -- CMD... [-- CMD...]...
//
// It prints the median wall time of each, from start to exit, and the
// ratio of each median to the next command's (the last's to the first's
// is left out): with two commands, the first's to the second's. To set
// two builds of xvirsh against virsh in one run, give virsh after each:
// A -- virsh -- B -- virsh. Output goes to /dev/null.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

func main() {
	n := flag.Int("n", 300, "timed runs of each command")
	warm := flag.Int("warmup", 20, "untimed runs of each first")
	flag.Parse()
	cmds := split(flag.Args())
	if len(cmds) < 2 || *n < 1 {
		fmt.Fprintln(os.Stderr, "usage: alternate [-n N] [-warmup N] CMD... -- CMD... [-- CMD...]...")
		os.Exit(2)
	}
	for range *warm {
		for _, c := range cmds {
			once(c)
		}
	}
	times := make([][]time.Duration, len(cmds))
	for range *n {
		for i, c := range cmds {
			times[i] = append(times[i], once(c))
		}
	}
	med := make([]time.Duration, len(cmds))
	for i, c := range cmds {
		med[i] = median(times[i])
		fmt.Printf("%v: median %.2f ms\n", c, ms(med[i]))
	}
	if len(cmds) == 2 {
		fmt.Printf("ratio %.3f\n", float64(med[0])/float64(med[1]))
		return
	}
	for i := 0; i+1 < len(cmds); i++ {
		fmt.Printf("ratio %.3f  %s / %s\n", float64(med[i])/float64(med[i+1]), strings.Join(cmds[i], " "), strings.Join(cmds[i+1], " "))
	}
}

// split cuts args at each "--" into commands; an empty one makes the
// whole invalid.
func split(args []string) [][]string {
	var cmds [][]string
	for {
		i := slices.Index(args, "--")
		if i < 0 {
			break
		}
		cmds = append(cmds, args[:i])
		args = args[i+1:]
	}
	cmds = append(cmds, args)
	for _, c := range cmds {
		if len(c) == 0 {
			return nil
		}
	}
	return cmds
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
