#!/bin/bash
# hosts.sh DIR [N]: writes two hosts with the same N domains (default
# 10,000), for comparing `xvirsh list --all` with virsh's:
#
#   DIR/xend/       a test:///DIR host in xend's layout (domains/UUID/config.sxp
#                   per defined domain, runtime.sxp for the running ones), also
#                   what `xvirsh xend-sim --state DIR/xend` serves
#   DIR/node.xml    virsh's test driver node file (virsh -c test://DIR/node.xml)
#
# A third of the domains run, a third are paused, a third are shut off;
# every one is defined (managed), as on a xend 3.x host. Domain-0 comes
# first. The files are written directly (a define per domain would fsync
# 10,000 times); xvirsh reads them as its own (checked at the end).
set -euo pipefail
dir=${1:?usage: hosts.sh DIR [N]}
n=${2:-10000}
case $dir in /*) ;; *) dir=$PWD/$dir ;; esac
rm -rf "$dir/xend" "$dir/node.xml"
mkdir -p "$dir/xend/domains"
now=$(date +%s%N)
# The directories first, a few thousand per mkdir.
awk -v n="$n" -v d="$dir/xend/domains" 'BEGIN { for (i = 0; i < n; i++) printf "%s/%08x-0000-4000-8000-%012x\n", d, i + 1, i + 1 }' | xargs mkdir

awk -v n="$n" -v dir="$dir" -v now="$now" 'BEGIN {
	rt = dir "/xend/runtime.sxp"
	node = dir "/node.xml"
	printf "(runtime\n    (next_domid %d)\n", int((2 * n + 2) / 3) + 1 > rt
	printf "    (running (domid 0) (paused 0) (preserved 0) (started_ns %s) (run_since_ns %s) (cpu_base 10.0)\n        (config (vm (name Domain-0) (memory 1024) (maxmem 8192) (vcpus 4) (uuid 00000000-0000-0000-0000-000000000000) (on_poweroff destroy) (on_reboot restart) (on_crash restart) (image (linux (kernel \x27\x27))))))\n", now, now > rt
	print "<node xmlns:test=\x27http://libvirt.org/schemas/domain/test/1.0\x27>" > node
	domid = 1
	for (i = 0; i < n; i++) {
		name = sprintf("guest%05d", i)
		uuid = sprintf("%08x-0000-4000-8000-%012x", i + 1, i + 1)
		mac = sprintf("00:16:3e:%02x:%02x:%02x", int(i / 65536) % 256, int(i / 256) % 256, i % 256)
		cfg = sprintf("(name %s)\n    (memory 256)\n    (maxmem 256)\n    (vcpus 1)\n    (uuid %s)\n    (on_poweroff destroy)\n    (on_reboot restart)\n    (on_crash restart)\n    (bootloader /usr/bin/pygrub)\n    (image (linux (localtime 0)))\n    (device (vbd (dev xvda) (uname phy:/dev/vg0/%s) (mode w)))\n    (device (vif (mac %s) (bridge xenbr0) (script vif-bridge)))", name, uuid, name, mac)
		d = dir "/xend/domains/" uuid
		f = d "/config.sxp"
		printf "(domain\n    %s)\n", cfg > f
		close(f)
		kind = i % 3   # 0 running, 1 paused, 2 shut off
		state = kind == 0 ? 1 : (kind == 1 ? 3 : 5)
		if (kind != 2) {
			printf "    (running (domid %d) (paused %d) (preserved 0) (started_ns %s) (run_since_ns %s) (cpu_base 0.5)\n        (config (vm %s)))\n", domid, kind == 1, now, kind == 1 ? 0 : now, cfg > rt
			domid++
		}
		printf "<domain type=\x27test\x27><name>%s</name><uuid>%s</uuid><memory>262144</memory><vcpu>1</vcpu><os><type>xen</type></os><devices><disk type=\x27block\x27 device=\x27disk\x27><source dev=\x27/dev/vg0/%s\x27/><target dev=\x27xvda\x27 bus=\x27xen\x27/></disk><interface type=\x27bridge\x27><mac address=\x27%s\x27/><source bridge=\x27xenbr0\x27/></interface></devices><test:runstate>%d</test:runstate></domain>\n", name, uuid, name, mac, state > node
	}
	print ")" > rt
	print "</node>" > node
}'
echo "wrote $dir/xend (test://$dir/xend) and $dir/node.xml (test://$dir/node.xml) with $n domains each"
