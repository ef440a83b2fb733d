package xmlconv

import (
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// txScanInt reads an integer the way C strtol does with base 0: leading
// blanks, an optional sign, then 0x… hex, 0… octal or decimal digits, up to
// the first character that does not fit. It reports whether any digit was
// read and whether the whole string was consumed. Values saturate instead
// of wrapping.
func txScanInt(s string) (v int64, digits, whole bool) {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' || s[i] == '\v') {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	base := uint64(10)
	if i+2 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') && txDigit(s[i+2], 16) >= 0 {
		base = 16
		i += 2
	} else if i < len(s) && s[i] == '0' {
		base = 8
	}
	var u uint64
	over := false
	start := i
	for ; i < len(s); i++ {
		d := txDigit(s[i], base)
		if d < 0 {
			break
		}
		if u > (math.MaxUint64-uint64(d))/base {
			over = true
		}
		u = u*base + uint64(d)
	}
	if i == start {
		return 0, false, false
	}
	switch {
	case over || (!neg && u > math.MaxInt64):
		v = math.MaxInt64
		if neg {
			v = math.MinInt64
		}
	case neg && u > 1<<63:
		v = math.MinInt64
	case neg:
		v = -int64(u)
	default:
		v = int64(u)
	}
	return v, true, i == len(s)
}

func txDigit(c byte, base uint64) int {
	var d int
	switch {
	case c >= '0' && c <= '9':
		d = int(c - '0')
	case c >= 'a' && c <= 'f':
		d = int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		d = int(c-'A') + 10
	default:
		return -1
	}
	if uint64(d) >= base {
		return -1
	}
	return d
}

// txLenientInt is libvirt's sexpr_int: the leading integer of s, 0 when
// there is none, so "512M" reads as 512.
func txLenientInt(s string) int64 {
	v, _, _ := txScanInt(s)
	return v
}

// txStrictInt accepts only a string that is one whole integer (base 0).
func txStrictInt(s string) (int64, bool) {
	v, digits, whole := txScanInt(s)
	return v, digits && whole
}

// txPopcount counts the set bits of a (vcpu_avail N) mask. The mask may be
// wider than 64 bits on big hosts, so it is read digit by digit; a
// negative or unreadable mask counts as zero.
func txPopcount(s string) int {
	s = strings.TrimSpace(s)
	if s == "" || s[0] == '-' {
		return 0
	}
	s = strings.TrimPrefix(s, "+")
	base := 10
	switch {
	case len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'):
		base, s = 16, s[2:]
	case len(s) > 1 && s[0] == '0':
		base = 8
	}
	end := 0
	for end < len(s) && txDigit(s[end], uint64(base)) >= 0 {
		end++
	}
	if end == 0 {
		return 0
	}
	if end > 1500 {
		// more digits than a mask of maxCPUs (4096) bits has: reading
		// megabytes of digits would only waste time on a bogus record
		return math.MaxInt
	}
	digits := s[:end]
	if base != 10 {
		// 8 and 16 are powers of two: each digit is its own bits.
		count := 0
		for i := 0; i < len(digits); i++ {
			count += bits.OnesCount8(uint8(txDigit(digits[i], uint64(base))))
		}
		return count
	}
	count := 0
	for _, w := range decimalToWords(digits) {
		count += bits.OnesCount32(w)
	}
	return count
}

// decimalToWords is the binary value of a string of decimal digits, least
// significant 32-bit word first. Masks of up to 1500 digits are all it
// reads, so schoolbook multiply-and-add is fast enough, and it spares every
// start of the binary math/big's package init and 60 KB of code.
func decimalToWords(digits string) []uint32 {
	words := make([]uint32, 0, len(digits)/9+1)
	for i := 0; i < len(digits); i++ {
		carry := uint64(digits[i] - '0')
		for j := range words {
			v := uint64(words[j])*10 + carry
			words[j], carry = uint32(v), v>>32
		}
		if carry != 0 {
			words = append(words, uint32(carry))
		}
	}
	return words
}

// vcpuMask is xend's vcpu_avail: bit i set means vcpu i is online at
// start. It is 2^n-1 in decimal, for n up to maxVCPUs.
func vcpuMask(n int) string {
	if n <= 0 {
		return "0"
	}
	if n <= 64 {
		return strconv.FormatUint(math.MaxUint64>>(64-n), 10)
	}
	// 2^n in base 10^9 limbs, least significant first, by doubling.
	const limb = 1_000_000_000
	limbs := make([]uint32, 1, n/29+2)
	limbs[0] = 1
	for range n {
		carry := uint32(0)
		for j := range limbs {
			v := limbs[j]*2 + carry
			limbs[j], carry = v%limb, v/limb
		}
		if carry != 0 {
			limbs = append(limbs, carry)
		}
	}
	// 2^n ends in 2, 4, 6 or 8, so taking one off never borrows.
	limbs[0]--
	var b strings.Builder
	b.WriteString(strconv.FormatUint(uint64(limbs[len(limbs)-1]), 10))
	for j := len(limbs) - 2; j >= 0; j-- {
		d := strconv.FormatUint(uint64(limbs[j]), 10)
		b.WriteString("000000000"[len(d):])
		b.WriteString(d)
	}
	return b.String()
}
