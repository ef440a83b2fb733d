package xmlconv

// txBootDev maps xend's HVM boot letters, as in (boot cd), to libvirt's
// <boot dev='…'/> names. The XML -> SEXPR direction may use it inverted.
var txBootDev = map[byte]string{
	'a': "fd",
	'c': "hd",
	'd': "cdrom",
	'n': "network",
}
