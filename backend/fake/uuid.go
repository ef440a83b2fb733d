package fake

import "xvirsh/backend/xendrules"

// canonicalUUID is xend's reading of a UUID (xendrules.CanonicalUUID).
func canonicalUUID(s string) (string, bool) { return xendrules.CanonicalUUID(s) }
