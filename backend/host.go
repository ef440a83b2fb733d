package backend

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// MaxVCPUs is the most vCPUs a Xen 3.x guest can have: the hypervisor's
// MAX_VIRT_CPUS (XEN_LEGACY_MAX_VCPUS), which libvirt's xen driver
// returned for virConnectGetMaxVcpus.
const MaxVCPUs = 32

// HostInfo is what the node record (GET /xend/node/, xend-protocol.md
// §2.2) says about the host beyond NodeInfo: for capabilities, hostname
// and freecell.
type HostInfo struct {
	NodeInfo
	Hostname string
	// Guests are the guest kinds xen_caps lists, merged per OS type and
	// architecture as libvirt's xen driver did.
	Guests []GuestCaps
	// CPUFeatures are the host CPU's vmx, svm and pae flags, read from
	// hw_caps (Xen's x86_capability words: cpuid 1 edx, 0x80000001 edx,
	// -, -, cpuid 1 ecx, -, 0x80000001 ecx), in libvirt's order.
	CPUFeatures []string
	// HVM is whether the CPU can run HVM guests (virt_caps, where xend
	// reports it).
	HVM bool
	// FreeKiB is the host's free memory; CellFreeKiB the free memory of
	// each NUMA cell, where xend reports it (node_to_memory, 3.3/3.4)
	// or where there is one cell.
	FreeKiB     uint64
	CellFreeKiB []uint64
	// CellCPUs lists each cell's CPU numbers (node_to_cpu), or every CPU
	// in one cell on a host with one node; nil when xend does not say.
	CellCPUs [][]int
}

// GuestCaps is one <guest> of the capabilities XML.
type GuestCaps struct {
	OSType   string // "xen" (paravirtual) or "hvm"
	Arch     string // libvirt's name: i686, x86_64, ia64, ppc64
	WordSize int
	PAE      bool // a PAE variant is listed (x86_32p)
	NonPAE   bool // a non-PAE variant is listed (x86_32)
}

// HostInfoer is a Backend that reads the host record.
type HostInfoer interface {
	HostInfo(ctx context.Context) (HostInfo, error)
}

func (b *domains) HostInfo(ctx context.Context) (HostInfo, error) {
	n, err := b.x.Node(ctx)
	if err != nil {
		return HostInfo{}, err
	}
	ni, err := b.NodeInfo(ctx)
	if err != nil {
		return HostInfo{}, err
	}
	h := HostInfo{NodeInfo: ni, Hostname: n.Get("host")}
	h.Guests = parseXenCaps(n.Get("xen_caps"))
	for _, c := range strings.Fields(n.Get("virt_caps")) {
		if c == "hvm" {
			h.HVM = true
		}
	}
	h.CPUFeatures = cpuFeatures(n.Get("hw_caps"))
	if !h.HVM {
		for _, g := range h.Guests {
			h.HVM = h.HVM || g.OSType == "hvm"
		}
	}
	if mib, err := strconv.ParseUint(n.Get("free_memory"), 10, 64); err == nil {
		h.FreeKiB = kib(mib)
	}
	if s, ok := n.GetOK("node_to_cpu"); ok {
		h.CellCPUs = parseNodeCPUs(s, ni.Nodes)
	} else if ni.Nodes == 1 && ni.CPUs > 0 {
		h.CellCPUs = [][]int{make([]int, ni.CPUs)}
		for i := range h.CellCPUs[0] {
			h.CellCPUs[0][i] = i
		}
	}
	if s, ok := n.GetOK("node_to_memory"); ok {
		for _, v := range nodeFields(s, ni.Nodes) {
			mib, _ := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
			h.CellFreeKiB = append(h.CellFreeKiB, kib(mib))
		}
	} else if ni.Nodes == 1 {
		h.CellFreeKiB = []uint64{h.FreeKiB}
	}
	return h, nil
}

// splitXenCap reads one xen_caps word, OS-MAJOR.MINOR-ARCH[SUFFIX], as
// ^(xen|hvm)-[0-9]+\.[0-9]+-(x86_32|x86_64|ia64|powerpc64)(p|be)?$ would.
// It is written out so that no regexp is compiled or linked: regexp's
// unicode tables alone cost every one-shot command 0.2 ms at init.
func splitXenCap(c string) (os, arch, suffix string, ok bool) {
	os, rest, _ := strings.Cut(c, "-")
	ver, rest, found := strings.Cut(rest, "-")
	major, minor, dotted := strings.Cut(ver, ".")
	if (os != "xen" && os != "hvm") || !found || !dotted || !isDigits(major) || !isDigits(minor) {
		return "", "", "", false
	}
	for _, a := range [...]string{"x86_32", "x86_64", "ia64", "powerpc64"} {
		if sfx, found := strings.CutPrefix(rest, a); found && (sfx == "" || sfx == "p" || sfx == "be") {
			return os, a, sfx, true
		}
	}
	return "", "", "", false
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// parseXenCaps reads xen_caps ("xen-3.0-x86_64 hvm-3.0-x86_32p ..."),
// one guest per OS type and architecture, x86_32 and x86_32p merged into
// an i686 guest with pae and nonpae, as libvirt's xen driver did.
func parseXenCaps(caps string) []GuestCaps {
	var out []GuestCaps
	find := func(os, arch string) *GuestCaps {
		for i := range out {
			if out[i].OSType == os && out[i].Arch == arch {
				return &out[i]
			}
		}
		return nil
	}
	for _, c := range strings.Fields(caps) {
		osType, capArch, suffix, ok := splitXenCap(c)
		if !ok {
			continue
		}
		arch, word := "", 64
		switch capArch {
		case "x86_32":
			arch, word = "i686", 32
		case "x86_64":
			arch = "x86_64"
		case "ia64":
			arch = "ia64"
		case "powerpc64":
			arch = "ppc64"
		}
		g := find(osType, arch)
		if g == nil {
			out = append(out, GuestCaps{OSType: osType, Arch: arch, WordSize: word})
			g = &out[len(out)-1]
		}
		if capArch == "x86_32" {
			if suffix == "p" {
				g.PAE = true
			} else {
				g.NonPAE = true
			}
		}
	}
	return out
}

// nodeFields splits xend's per-node text ("node0:0-3\n   node1:4-7",
// printed with a literal backslash-n on the wire) into each node's value,
// by node number.
func nodeFields(s string, nodes int) []string {
	s = strings.ReplaceAll(s, `\n`, "\n")
	out := make([]string, max(nodes, 1))
	for _, f := range strings.Fields(strings.ReplaceAll(s, "\n", " ")) {
		name, v, ok := strings.Cut(f, ":")
		if !ok || !strings.HasPrefix(name, "node") {
			continue
		}
		i, err := strconv.Atoi(name[4:])
		if err != nil || i < 0 || i >= len(out) {
			continue
		}
		out[i] = v
	}
	return out
}

// parseNodeCPUs reads node_to_cpu: "0-3,5" lists, "no cpus" for none.
func parseNodeCPUs(s string, nodes int) [][]int {
	s = strings.ReplaceAll(s, "no cpus", "")
	var out [][]int
	for _, v := range nodeFields(s, nodes) {
		var cpus []int
		for _, r := range strings.Split(v, ",") {
			lo, hi, isRange := strings.Cut(strings.TrimSpace(r), "-")
			a, err := strconv.Atoi(lo)
			if err != nil {
				continue
			}
			b := a
			if isRange {
				if b, err = strconv.Atoi(hi); err != nil || b < a {
					continue
				}
			}
			for c := a; c <= b && c-a < 4096; c++ {
				cpus = append(cpus, c)
			}
		}
		sort.Ints(cpus)
		out = append(out, cpus)
	}
	return out
}

// HostInfoOf is b's HostInfo, or an error saying the connection cannot
// read the host record.
func HostInfoOf(ctx context.Context, b Backend) (HostInfo, error) {
	h, ok := b.(HostInfoer)
	if !ok {
		return HostInfo{}, fmt.Errorf("this connection cannot read the host record: %w", ErrUnsupported)
	}
	return h.HostInfo(ctx)
}

// cpuFeatures reads the flags libvirt's xen driver reported from hw_caps:
// vmx (word 4 bit 5), svm (word 6 bit 2), pae (word 0 bit 6).
func cpuFeatures(hw string) []string {
	words := strings.Split(hw, ":")
	bit := func(w, b int) bool {
		if w >= len(words) {
			return false
		}
		v, err := strconv.ParseUint(words[w], 16, 32)
		return err == nil && v&(1<<b) != 0
	}
	var out []string
	for _, f := range []struct {
		name    string
		word, b int
	}{{"vmx", 4, 5}, {"svm", 6, 2}, {"pae", 0, 6}} {
		if bit(f.word, f.b) {
			out = append(out, f.name)
		}
	}
	return out
}
