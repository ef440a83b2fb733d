package fake

import (
	"strconv"

	"xvirsh/sexpr"
)

// Fixed hardware of the fake host: one socket, four cores, 8 GiB.
const (
	hostCPUs      = 4
	hostMHz       = 2394
	hostMemoryMiB = 8192
)

// xenVersion is the Xen release config format came with
// (xend-protocol.md §5): major, minor and extra. A switch, where a map
// would be built at every start-up.
func xenVersion(format int) [3]string {
	switch format {
	case 1:
		return [3]string{"3", "0", ".2"}
	case 2:
		return [3]string{"3", "0", ".3"}
	case 3:
		return [3]string{"3", "0", ".4"}
	case 4:
		return [3]string{"3", "4", ".0"}
	}
	return [3]string{}
}

// nodeRecord is the (node …) record of GET /xend/node/ with the fields of
// the Xen release matching format (xend-protocol.md §2.2).
func nodeRecord(format, usedMiB int) *sexpr.Node {
	v := xenVersion(format)
	n := sexpr.List(sexpr.Atom("node"),
		sexpr.KV("system", "Linux"),
		sexpr.KV("host", "xenhost.example"),
		sexpr.KV("release", "2.6.18-xen"),
		sexpr.KV("version", "#1 SMP Thu Jan 1 00:00:00 UTC 2009"),
		sexpr.KV("machine", "x86_64"),
		kvInt("nr_cpus", hostCPUs),
		kvInt("nr_nodes", 1),
	)
	// Xen 3.2 dropped sockets_per_node; clients derive it.
	if format < 4 {
		n.Append(kvInt("sockets_per_node", 1))
	}
	n.Append(
		kvInt("cores_per_socket", hostCPUs),
		kvInt("threads_per_core", 1),
		kvInt("cpu_mhz", hostMHz),
		sexpr.KV("hw_caps", "bfebfbff:20100800:00000000:00000140:0000e3bd:00000000:00000001"),
	)
	if format >= 4 {
		n.Append(sexpr.KV("virt_caps", "hvm hvm_directio"))
	}
	if format == 1 {
		n.Append(kvInt("memory", hostMemoryMiB))
	} else {
		n.Append(kvInt("total_memory", hostMemoryMiB), kvInt("free_memory", max(hostMemoryMiB-usedMiB, 0)))
	}
	n.Append(
		sexpr.KV("xen_major", v[0]),
		sexpr.KV("xen_minor", v[1]),
		sexpr.KV("xen_extra", v[2]),
		sexpr.KV("xen_caps", "xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64"),
	)
	if format >= 4 {
		n.Append(sexpr.KV("xen_scheduler", "credit"))
	}
	if format >= 2 {
		n.Append(kvInt("xen_pagesize", 4096))
	}
	n.Append(
		sexpr.KV("platform_params", "virt_start=0xffff800000000000"),
		sexpr.KV("xen_changeset", "unavailable"),
		sexpr.KV("cc_compiler", "gcc version 4.1.2"),
		sexpr.KV("cc_compile_by", "root"),
		sexpr.KV("cc_compile_domain", "example.com"),
		sexpr.KV("cc_compile_date", "Thu Jan 1 00:00:00 UTC 2009"),
	)
	if format >= 2 {
		n.Append(sexpr.KV("xend_config_format", strconv.Itoa(format)))
	}
	return n
}
