package xmlconv

import (
	"slices"
	"strconv"
	"strings"
)

// parseCPUSet reads libvirt's cpuset syntax, "0-3,^2,8", into a set indexed
// by cpu. Items apply in order; a ^ item takes one cpu out again. It fails
// on a malformed item, a cpu at or above limit, and a set left empty.
func parseCPUSet(s string, limit int) ([]bool, bool) {
	var set []bool
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		on := !strings.HasPrefix(item, "^")
		item = strings.TrimPrefix(item, "^")
		lo, hi, isRange := strings.Cut(item, "-")
		a, err := strconv.Atoi(strings.TrimSpace(lo))
		if err != nil || a < 0 || a >= limit {
			return nil, false
		}
		b := a
		if isRange {
			if !on {
				return nil, false
			}
			if b, err = strconv.Atoi(strings.TrimSpace(hi)); err != nil || b < a || b >= limit {
				return nil, false
			}
		}
		if b >= len(set) {
			set = append(set, make([]bool, b+1-len(set))...)
		}
		for i := a; i <= b; i++ {
			set[i] = on
		}
	}
	if !slices.Contains(set, true) {
		return nil, false
	}
	return set, true
}

// formatCPUSet prints a set in libvirt's canonical range form, "0-3,5".
func formatCPUSet(set []bool) string {
	var b strings.Builder
	for i := 0; i < len(set); i++ {
		if !set[i] {
			continue
		}
		j := i
		for j+1 < len(set) && set[j+1] {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(i))
		if j > i {
			b.WriteByte('-')
			b.WriteString(strconv.Itoa(j))
		}
		i = j
	}
	return b.String()
}
