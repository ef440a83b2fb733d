package fake

import "strings"

// canonicalUUID accepts xend's and libvirt's spellings (dashed, dashless,
// any case) and returns the dashed lowercase form, or false.
func canonicalUUID(s string) (string, bool) {
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
