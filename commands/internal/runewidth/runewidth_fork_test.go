//go:build !js && !appengine

package runewidth

// The tests of what this fork changes (see FORK.md): init does no table
// work, the tables it no longer fills are right when first used, also
// concurrently, and the joinerBits literal is the joiner table.

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"unicode/utf8"
)

// atInit is the state of the tables when TestMain started, when package
// initialization (the test files' included, which run handleEnv) is all
// that has run in this process.
var atInit struct {
	limit       int32
	lutWritten  bool // some byte of strictWidthLUT is not zero
	tablesBuilt bool // initTables has run
}

func TestMain(m *testing.M) {
	atInit.limit = strictWidthLUTLimit.Load()
	for p := range strictWidthLUT {
		if !allZero(strictWidthLUT[p][:]) {
			atInit.lutWritten = true
		}
	}
	atInit.tablesBuilt = zerowidth != nil || widewidth != nil || eastAsianWidth != nil
	os.Exit(m.Run())
}

func allZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}

// TestInitDoesNoTableWork holds init to reading the environment: the
// reason for the fork is that every program linking the package runs its
// init, most of them without measuring a single non-ASCII rune.
func TestInitDoesNoTableWork(t *testing.T) {
	if atInit.limit != 0 {
		t.Errorf("strictWidthLUTLimit = %#x after init, want 0", atInit.limit)
	}
	if atInit.lutWritten {
		t.Error("init wrote into strictWidthLUT")
	}
	if atInit.tablesBuilt {
		t.Error("init built the merged tables")
	}
}

// fillJoinerBits is upstream's, which painted joinerBits at init; here it
// paints the array it is given, to hold the generated literal to it.
func fillJoinerBits(joinerBits *[(0x10000 - joinerBase) / 8]byte) {
	for _, iv := range joiner {
		if iv.first >= 0x10000 {
			break // the table is sorted, the rest is astral
		}
		lo, hi := int(iv.first)-joinerBase, int(iv.last)-joinerBase
		if hi >= len(joinerBits)*8 {
			hi = len(joinerBits)*8 - 1
		}
		for lo <= hi {
			if lo&7 == 0 && lo+7 <= hi {
				joinerBits[lo>>3] = 0xFF
				lo += 8
				continue
			}
			joinerBits[lo>>3] |= 1 << uint(lo&7)
			lo++
		}
	}
	// A byte that is not valid UTF-8 decodes to U+FFFD, and the segmenter
	// can gather a run of such bytes into one cluster, which a rune loop
	// has no way to see. Marking U+FFFD keeps those strings on the
	// segmenter, and the only string it holds back needlessly is one that
	// really contains U+FFFD.
	i := int(utf8.RuneError) - joinerBase
	joinerBits[i>>3] |= 1 << uint(i&7)
}

func TestJoinerBitsMatchTable(t *testing.T) {
	var want [len(joinerBits)]byte
	fillJoinerBits(&want)
	if want == joinerBits {
		return
	}
	for i := range want {
		if want[i] != joinerBits[i] {
			t.Fatalf("joinerBits[%#x] (runes from %U) = %#02x, the joiner table says %#02x: run go generate",
				i, rune(joinerBase+i*8), joinerBits[i], want[i])
		}
	}
}

// firstUseEnv tells the test binary that it is a fresh process of
// TestFirstUseConcurrent, and which of firstUseScenarios to run.
const firstUseEnv = "RUNEWIDTH_FORK_FIRST_USE"

// TestFirstUseConcurrent has many goroutines make the first width lookups
// of a process at once and checks their answers against upstream's. Under
// -race it also checks that the lazy builds and the lookups do not race.
// Other tests in this process have built the tables already, so each
// scenario runs in a process of its own: the test binary run again.
func TestFirstUseConcurrent(t *testing.T) {
	if name := os.Getenv(firstUseEnv); name != "" {
		if l := strictWidthLUTLimit.Load(); l != 0 {
			t.Fatalf("strictWidthLUTLimit = %#x before the first lookup, want 0", l)
		}
		scenario, ok := firstUseScenarios[name]
		if !ok {
			t.Fatalf("%s=%s: no such scenario", firstUseEnv, name)
		}
		scenario(t)
		return
	}
	for name := range firstUseScenarios {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestFirstUseConcurrent$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), firstUseEnv+"="+name)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("the fresh process failed: %v\n%s", err, out)
			}
			if !bytes.Contains(out, []byte("--- PASS: TestFirstUseConcurrent")) {
				t.Fatalf("the fresh process did not run the test:\n%s", out)
			}
		})
	}
}

var firstUseScenarios = map[string]func(t *testing.T){
	// Runes below 0x300 only, the region upstream filled at init: they
	// must get it built, and nothing more.
	"low": func(t *testing.T) {
		defaultEA := DefaultCondition.EastAsianWidth
		together(16, func(g int) {
			ea := g&1 == 1
			switch g / 2 % 3 {
			case 0:
				checkLowRunes(t, newCondition(ea, true), ea)
			case 1:
				checkLowStrings(t, newCondition(ea, true), ea)
			case 2:
				checkLowRunes(t, DefaultCondition, defaultEA)
			}
		})
		if l := strictWidthLUTLimit.Load(); l != 0x300 {
			t.Errorf("after lookups below 0x300 only, strictWidthLUTLimit = %#x, want 0x300", l)
		}
		checkAllRunes(t, newCondition(false, true), false)
		checkAllRunes(t, newCondition(true, true), true)
	},
	// A rune above first in every goroutine, so the whole table is built
	// before anything else: the region below 0x300 must be built with it.
	"high": func(t *testing.T) {
		together(8, func(g int) {
			ea := g&1 == 1
			c := newCondition(ea, true)
			if w := c.RuneWidth('世'); w != 2 {
				t.Errorf("ea=%v: RuneWidth('世') = %d, want 2", ea, w)
			}
			checkLowRunes(t, c, ea)
			checkLowStrings(t, c, ea)
		})
		checkAllRunes(t, newCondition(false, true), false)
		checkAllRunes(t, newCondition(true, true), true)
	},
	// Everything at once, in the order each goroutine likes.
	"mixed": func(t *testing.T) {
		defaultEA := DefaultCondition.EastAsianWidth
		together(16, func(g int) {
			ea := g&1 == 1
			switch g / 2 % 5 {
			case 0:
				checkLowRunes(t, newCondition(ea, true), ea)
			case 1:
				checkLowStrings(t, newCondition(ea, true), ea)
			case 2:
				checkAllRunes(t, newCondition(ea, true), ea)
			case 3:
				checkDefault(t, defaultEA)
			case 4:
				c := newCondition(true, false) // through runeWidthNoLUT
				for _, tt := range runewidthtests {
					if got := c.RuneWidth(tt.in); got != tt.nseout {
						t.Errorf("StrictEmojiNeutral=false: RuneWidth(%q) = %d, want %d", tt.in, got, tt.nseout)
					}
				}
			}
		})
	},
}

// together runs f(0) ... f(n-1) in goroutines that all start their work at
// once, as far as the scheduler lets them.
func together(n int, f func(g int)) {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for g := 0; g < n; g++ {
		ready.Add(1)
		done.Add(1)
		go func(g int) {
			defer done.Done()
			ready.Done()
			<-start
			f(g)
		}(g)
	}
	ready.Wait()
	close(start)
	done.Wait()
}

func newCondition(ea, strictEmojiNeutral bool) *Condition {
	c := NewCondition()
	c.EastAsianWidth = ea
	c.StrictEmojiNeutral = strictEmojiNeutral
	return c
}

// lowStringWidthTests are strings of runes below 0x300 only, with the
// widths upstream v0.0.31 gives them.
var lowStringWidthTests = []struct {
	in    string
	out   int
	eaout int
}{
	{"é", 1, 1},
	{"naïve café", 10, 10},
	{"±½×÷", 4, 8},
	{"§°¶·", 4, 8},
	{"a\u00adb", 2, 2},
	{"\u00a0¡", 2, 3},
	{"ĳŉſ", 3, 3},
	{"ɐʃʒ˚", 4, 5},
}

// The widths of all runes, as upstream's TestRuneWidthChecksums has them,
// and the sum over the runes below 0x300, as its BenchmarkRuneWidth768
// and BenchmarkRuneWidth768EastAsian do.
var (
	allSHA = map[bool]string{
		false: "151c3a96f5f5f1ddb87bc94a6e2ce59e90ff7da82ff12e3e78ecbe9dce5f0744",
		true:  "f0286fab71523a0e42a2833ddd4e5a5b815e1591d7ccbbe529efd007b83b889d",
	}
	lowSum = map[bool]int{false: 702, true: 745}
)

func checkLowRunes(t *testing.T, c *Condition, ea bool) {
	sum := 0
	for r := rune(0); r < 0x300; r++ {
		sum += c.RuneWidth(r)
	}
	if sum != lowSum[ea] {
		t.Errorf("ea=%v: sum of RuneWidth below 0x300 = %d, want %d", ea, sum, lowSum[ea])
	}
}

func checkLowStrings(t *testing.T, c *Condition, ea bool) {
	for _, tt := range lowStringWidthTests {
		want := tt.out
		if ea {
			want = tt.eaout
		}
		if got := c.StringWidth(tt.in); got != want {
			t.Errorf("ea=%v: StringWidth(%q) = %d, want %d", ea, tt.in, got, want)
		}
	}
}

// checkAllRunes walks down from the top, so that its first lookup builds
// the table above 0x300.
func checkAllRunes(t *testing.T, c *Condition, ea bool) {
	buf := make([]byte, utf8.MaxRune+1)
	for r := rune(utf8.MaxRune); r >= 0; r-- {
		buf[r] = byte(c.RuneWidth(r))
	}
	if got := fmt.Sprintf("%x", sha256.Sum256(buf)); got != allSHA[ea] {
		t.Errorf("ea=%v: widths of all runes have sha256 %s, want %s", ea, got, allSHA[ea])
	}
}

// checkDefault measures through the package functions, on
// DefaultCondition.
func checkDefault(t *testing.T, ea bool) {
	for _, tt := range stringwidthtests {
		want := tt.out
		if ea {
			want = tt.eaout
		}
		if got := StringWidth(tt.in); got != want {
			t.Errorf("StringWidth(%q) = %d, want %d", tt.in, got, want)
		}
	}
	for _, tt := range runewidthtests {
		want := tt.out
		if ea {
			want = tt.eaout
		}
		if got := RuneWidth(tt.in); got != want {
			t.Errorf("RuneWidth(%q) = %d, want %d", tt.in, got, want)
		}
	}
}
