//go:build !js && !appengine

package runewidth

// The tests of what this fork changes (see FORK.md): init does no table
// work, and the tables it no longer fills are right when first used, also
// concurrently.

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

// firstUseEnv tells the test binary that it is the fresh process of
// TestFirstUseConcurrent.
const firstUseEnv = "RUNEWIDTH_FORK_FIRST_USE"

// TestFirstUseConcurrent has many goroutines make the first width lookups
// of a process at once, on runes below 0x300 (the region upstream filled
// at init) and above, and checks their answers against upstream's. Under
// -race it also checks that the lazy builds and the lookups do not race.
// Other tests in this process have built the tables already, so it runs
// the test binary again for a process where nothing has.
func TestFirstUseConcurrent(t *testing.T) {
	if os.Getenv(firstUseEnv) == "1" {
		firstUseConcurrent(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFirstUseConcurrent$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), firstUseEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the fresh process failed: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("--- PASS: TestFirstUseConcurrent")) {
		t.Fatalf("the fresh process did not run the test:\n%s", out)
	}
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

func firstUseConcurrent(t *testing.T) {
	if l := strictWidthLUTLimit.Load(); l != 0 {
		t.Fatalf("strictWidthLUTLimit = %#x before the first lookup, want 0", l)
	}
	defaultEA := DefaultCondition.EastAsianWidth
	start := make(chan struct{})
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			ea := g&1 == 1
			c := NewCondition()
			c.EastAsianWidth = ea
			<-start
			switch g / 2 % 4 {
			case 0: // the low region only, rune by rune
				sum := 0
				for r := rune(0); r < 0x300; r++ {
					sum += c.RuneWidth(r)
				}
				if sum != lowSum[ea] {
					t.Errorf("ea=%v: sum of RuneWidth below 0x300 = %d, want %d", ea, sum, lowSum[ea])
				}
			case 1: // the low region only, through StringWidth
				for _, tt := range lowStringWidthTests {
					want := tt.out
					if ea {
						want = tt.eaout
					}
					if got := c.StringWidth(tt.in); got != want {
						t.Errorf("ea=%v: StringWidth(%q) = %d, want %d", ea, tt.in, got, want)
					}
				}
			case 2: // every rune, from the top, so the high build comes first
				buf := make([]byte, utf8.MaxRune+1)
				for r := rune(utf8.MaxRune); r >= 0; r-- {
					buf[r] = byte(c.RuneWidth(r))
				}
				if got := fmt.Sprintf("%x", sha256.Sum256(buf)); got != allSHA[ea] {
					t.Errorf("ea=%v: widths of all runes have sha256 %s, want %s", ea, got, allSHA[ea])
				}
			case 3: // the package functions, on DefaultCondition
				for _, tt := range stringwidthtests {
					want := tt.out
					if defaultEA {
						want = tt.eaout
					}
					if got := StringWidth(tt.in); got != want {
						t.Errorf("StringWidth(%q) = %d, want %d", tt.in, got, want)
					}
				}
				for _, tt := range runewidthtests {
					want := tt.out
					if defaultEA {
						want = tt.eaout
					}
					if got := RuneWidth(tt.in); got != want {
						t.Errorf("RuneWidth(%q) = %d, want %d", tt.in, got, want)
					}
				}
			}
		}(g)
	}
	close(start)
	wg.Wait()
}
