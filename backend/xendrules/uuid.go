package xendrules

import "strings"

// CanonicalUUID accepts the UUID spellings xend reads (uuid.fromString
// drops the dashes; any case) and returns the dashed lower-case form it
// prints, or false.
func CanonicalUUID(s string) (string, bool) {
	hex := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "-", ""))
	if len(hex) != 32 {
		return "", false
	}
	for i := 0; i < len(hex); i++ {
		c := hex[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return "", false
		}
	}
	return hex[0:8] + "-" + hex[8:12] + "-" + hex[12:16] + "-" + hex[16:20] + "-" + hex[20:32], true
}
