package xendrules

// RuntimeKeys are the record fields xend computes rather than keeps from
// a config (xend-protocol.md §4.1-4.2): a config that carries them, as
// libvirt's autostart path re-posts whole (domain …) records, has them
// dropped.
var RuntimeKeys = map[string]bool{
	"domid": true, "state": true, "status": true, "cpu_time": true, "online_vcpus": true,
	"up_time": true, "start_time": true, "store_mfn": true, "console_mfn": true,
	"shutdown_reason": true, "managed": true, "memory_dynamic_min": true,
	"memory_dynamic_max": true,
}
