package xmlconv

// txBootDev maps xend's HVM boot letters, as in (boot cd), to libvirt's
// <boot dev='…'/> names. The XML -> SEXPR direction may use it inverted.
var txBootDev = map[byte]string{
	'a': "fd",
	'c': "hd",
	'd': "cdrom",
	'n': "network",
}

// validDriverName reports whether s can stand before the first ':' of a
// vbd uname: xend runs the block-<name> hotplug script for any name besides
// its own file, phy, tap and tap2, so the set is open. The characters are
// those libvirt's schema allows in <driver name>; a ':' would split the
// uname in the wrong place.
func validDriverName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' ||
			ch == '_' || ch == '-' || ch == '+' || ch == '.') {
			return false
		}
	}
	return true
}
