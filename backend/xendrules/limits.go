package xendrules

// MaxRequestBody is xend's limit on a request body: a larger one is
// answered 413 Request entity too large, in every xend version read
// (xend-protocol.md §1.3, §1.5). A client must not send more; a simulator
// must refuse more.
const MaxRequestBody = 10000

// MaxMemoryMiB is the largest memory or maxmem, in MiB, that a domain may
// be given: its size in KiB, the unit libvirt and xvirsh show, must fit a
// signed 64-bit count. A larger value would wrap round when converted for
// display, so it is refused when a domain is created or defined.
const MaxMemoryMiB = (1<<63 - 1) >> 10
