package xendrules

// MaxMemoryMiB is the largest memory or maxmem, in MiB, that a domain may
// be given: its size in KiB, the unit libvirt and xvirsh show, must fit a
// signed 64-bit count. A larger value would wrap round when converted for
// display, so it is refused when a domain is created or defined.
const MaxMemoryMiB = (1<<63 - 1) >> 10
