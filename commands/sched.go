package commands

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"xvirsh/backend"
)

// The vCPU and scheduler commands: what xend's vcpuinfo, pincpu and
// credit scheduler ops say, printed as virsh prints them.

func schedCommands() []*Command {
	return []*Command{
		{
			Name:        "vcpuinfo",
			Group:       groupDomain,
			Summary:     "detailed domain vcpu information",
			Description: "Returns basic information about the domain virtual CPUs.",
			Opts: []Opt{
				domainOpt("domain name, id or uuid", anyState),
				{Name: "pretty", Kind: KindBool, Help: "return human readable output"},
			},
			Run: runVCPUInfo,
		},
		{
			Name:        "vcpucount",
			Group:       groupDomain,
			Summary:     "domain vcpu counts",
			Description: "Returns the number of virtual CPUs used by the domain.",
			Opts: []Opt{
				domainOpt("domain name, id or uuid", anyState),
				{Name: "maximum", Kind: KindBool, Help: "get maximum count of vcpus"},
				{Name: "active", Kind: KindBool, Help: "get number of currently active vcpus"},
				{Name: "live", Kind: KindBool, Help: "get value from running domain"},
				{Name: "config", Kind: KindBool, Help: "get value to be used on next boot"},
				{Name: "current", Kind: KindBool, Help: "get value according to current domain state"},
			},
			Run: runVCPUCount,
		},
		{
			Name:        "vcpupin",
			Flags:       Changes,
			Group:       groupDomain,
			Summary:     "control or query domain vcpu affinity",
			Description: "Pin domain VCPUs to host physical CPUs.",
			Opts: []Opt{
				domainOpt("domain name, id or uuid", anyState),
				{Name: "vcpu", Kind: KindNumber, Positional: true, Help: "vcpu number", NoComplete: true},
				{Name: "cpulist", Kind: KindString, Positional: true, Help: "host cpu number(s) to set, or omit option to query", NoComplete: true},
				{Name: "config", Kind: KindBool, Help: "affect next boot"},
				{Name: "live", Kind: KindBool, Help: "affect running domain"},
				{Name: "current", Kind: KindBool, Help: "affect current domain"},
			},
			Run: runVCPUPin,
		},
		{
			Name:        "schedinfo",
			Flags:       Changes,
			Group:       groupDomain,
			Summary:     "show/set scheduler parameters",
			Description: "Show/Set scheduler parameters.",
			Opts: []Opt{
				domainOpt("domain name, id or uuid", anyState),
				{Name: "weight", Kind: KindNumber, Help: "weight for XEN_CREDIT", NoComplete: true},
				{Name: "cap", Kind: KindNumber, Help: "cap for XEN_CREDIT", NoComplete: true},
				{Name: "current", Kind: KindBool, Help: "get/set current scheduler info"},
				{Name: "config", Kind: KindBool, Help: "get/set value to be used on next boot"},
				{Name: "live", Kind: KindBool, Help: "get/set value from running domain"},
				{Name: "set", Kind: KindArgv, Positional: true, Help: "parameter=value", Complete: completeWords("weight=", "cap=")},
			},
			Run: runSchedinfo,
		},
	}
}

// affinityText is vcpuinfo's "yyyy-" form, or with pretty the ranges
// vcpupin prints ("0-3 (out of 4)").
func affinityText(aff []bool, pretty bool) string {
	if !pretty {
		var b strings.Builder
		for _, on := range aff {
			if on {
				b.WriteByte('y')
			} else {
				b.WriteByte('-')
			}
		}
		return b.String()
	}
	return fmt.Sprintf("%s (out of %d)", cpuRanges(aff), len(aff))
}

// cpuRanges writes a CPU set as libvirt does: "0-2,5".
func cpuRanges(aff []bool) string {
	var parts []string
	for i := 0; i < len(aff); i++ {
		if !aff[i] {
			continue
		}
		j := i
		for j+1 < len(aff) && aff[j+1] {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", i, j))
		} else {
			parts = append(parts, strconv.Itoa(i))
		}
		i = j
	}
	return strings.Join(parts, ",")
}

func runVCPUInfo(ctx context.Context, inv *Invocation) error {
	d, err := inv.domain(ctx)
	if err != nil {
		return err
	}
	vcpus, err := inv.Backend.VCPUs(ctx, d.Ref())
	if err != nil {
		return err
	}
	pretty := inv.Bool("pretty")
	for i, v := range vcpus {
		if i > 0 {
			fmt.Fprintln(inv.Out)
		}
		if !d.State.Active() {
			// virsh's words for a domain that is not running, its
			// missing colon included.
			if i >= d.VCPUs {
				break
			}
			fmt.Fprintf(inv.Out, "%-15s %d\n%-15s %s\n%-15s %s\n%-15s %s\n%-15s %s\n",
				"VCPU:", v.Number, "CPU:", "N/A", "State:", "N/A", "CPU time", "N/A",
				"CPU Affinity:", affinityText(v.Affinity, pretty))
			continue
		}
		fmt.Fprintf(inv.Out, "%-15s %d\n%-15s %d\n%-15s %s\n%-15s %.1fs\n%-15s %s\n",
			"VCPU:", v.Number, "CPU:", v.CPU, "State:", v.State,
			"CPU time:", v.CPUTime.Seconds(), "CPU Affinity:", affinityText(v.Affinity, pretty))
	}
	return nil
}

// vcpuCounts reads <vcpu current='N'>MAX</vcpu> from the domain XML.
func (inv *Invocation) vcpuCounts(ctx context.Context, inactive bool) (backend.Domain, int, int, error) {
	d, root, err := inv.domainXML(ctx, inactive)
	if err != nil {
		return d, 0, 0, err
	}
	el := root.SelectElement("vcpu")
	if el == nil {
		return d, 1, 1, nil
	}
	max, err := strconv.Atoi(strings.TrimSpace(el.Text()))
	if err != nil {
		return d, 0, 0, fmt.Errorf("internal error: unreadable <vcpu> %q", el.Text())
	}
	cur := max
	if c, err := strconv.Atoi(el.SelectAttrValue("current", "")); err == nil {
		cur = c
	}
	return d, max, cur, nil
}

func runVCPUCount(ctx context.Context, inv *Invocation) error {
	for _, pair := range [][2]string{{"active", "maximum"}, {"live", "config"}, {"current", "live"}, {"current", "config"}} {
		if err := inv.Exclusive(pair[0], pair[1]); err != nil {
			return err
		}
	}
	d, cmax, ccur, err := inv.vcpuCounts(ctx, true)
	if err != nil {
		return err
	}
	lmax, lcur := cmax, ccur
	if d.State.Active() {
		if _, lmax, lcur, err = inv.vcpuCounts(ctx, false); err != nil {
			return err
		}
		lcur = min(lcur, d.VCPUs)
	}
	maxOnly := inv.Bool("maximum")
	live, config := inv.Bool("live"), inv.Bool("config")
	if maxOnly || inv.Bool("active") || live || config || inv.Bool("current") {
		// Any choice prints one number: the maximum or the current
		// count, from the config or the running domain (by default
		// whichever the domain's state makes current).
		if !live && !config {
			live = d.State.Active()
		}
		if live && !d.State.Active() {
			return errorf("Requested operation is not valid: domain is not running")
		}
		n := map[[2]bool]int{{true, true}: lmax, {true, false}: cmax, {false, true}: lcur, {false, false}: ccur}[[2]bool{maxOnly, live}]
		fmt.Fprintln(inv.Out, n)
		return nil
	}
	fmt.Fprintf(inv.Out, "%-12s %-12s %3d\n", "maximum", "config", cmax)
	if d.State.Active() {
		fmt.Fprintf(inv.Out, "%-12s %-12s %3d\n", "maximum", "live", lmax)
	}
	fmt.Fprintf(inv.Out, "%-12s %-12s %3d\n", "current", "config", ccur)
	if d.State.Active() {
		fmt.Fprintf(inv.Out, "%-12s %-12s %3d\n", "current", "live", lcur)
	}
	return nil
}

// parseCPUList reads virsh's cpulist: "0-3,^2,5", or "r" for every CPU.
func parseCPUList(s string, ncpus int) ([]int, error) {
	if s == "r" {
		out := make([]int, ncpus)
		for i := range out {
			out[i] = i
		}
		return out, nil
	}
	set := map[int]bool{}
	for _, part := range strings.Split(s, ",") {
		neg := strings.HasPrefix(part, "^")
		part = strings.TrimPrefix(part, "^")
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil || a < 0 {
			return nil, fmt.Errorf("cpulist: Invalid format.")
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a {
				return nil, fmt.Errorf("cpulist: Invalid format.")
			}
		}
		for c := a; c <= b; c++ {
			if c >= ncpus {
				return nil, fmt.Errorf("Physical CPU %d doesn't exist.", c)
			}
			set[c] = !neg
		}
	}
	var out []int
	for c, on := range set {
		if on {
			out = append(out, c)
		}
	}
	sort.Ints(out)
	if len(out) == 0 {
		return nil, fmt.Errorf("cpulist: Invalid format.")
	}
	return out, nil
}

func runVCPUPin(ctx context.Context, inv *Invocation) error {
	if err := inv.Exclusive("current", "live"); err != nil {
		return err
	}
	if err := inv.Exclusive("current", "config"); err != nil {
		return err
	}
	d, err := inv.domain(ctx)
	if err != nil {
		return err
	}
	vcpu := -1
	if _, ok := inv.Lookup("vcpu"); ok {
		if vcpu, err = inv.Int("vcpu"); err != nil {
			return err
		}
	}
	list, setting := inv.Lookup("cpulist")
	if setting && vcpu < 0 {
		return errorf("vcpupin: Missing vCPU number in pin mode.")
	}
	vcpus, err := inv.Backend.VCPUs(ctx, d.Ref())
	if err != nil {
		return err
	}
	if vcpu >= len(vcpus) {
		return errorf("invalid argument: requested vcpu '%d' is not present in the domain", vcpu)
	}
	if !setting {
		var rows [][]string
		for _, v := range vcpus {
			if vcpu < 0 || v.Number == vcpu {
				rows = append(rows, []string{strconv.Itoa(v.Number), cpuRanges(v.Affinity)})
			}
		}
		return writeTable(inv.Out, []string{"VCPU", "CPU Affinity"}, rows, inv.Env.Quiet)
	}
	ncpus := 1
	if len(vcpus) > 0 {
		ncpus = len(vcpus[0].Affinity)
	}
	cpus, err := parseCPUList(list, ncpus)
	if err != nil {
		return errorf("%s", err)
	}
	return inv.Backend.PinVCPU(ctx, d.Ref(), vcpu, cpus)
}

func runSchedinfo(ctx context.Context, inv *Invocation) error {
	if err := inv.Exclusive("current", "live"); err != nil {
		return err
	}
	if err := inv.Exclusive("current", "config"); err != nil {
		return err
	}
	d, err := inv.domain(ctx)
	if err != nil {
		return err
	}
	s, err := inv.Backend.Sched(ctx, d.Ref())
	if err != nil {
		return err
	}
	fmt.Fprintf(inv.Out, "%-15s: %s\n", "Scheduler", s.Scheduler)
	var weight, cap *int
	set := func(name, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return errorf("invalid value of %s: %s", name, v)
		}
		switch name {
		case "weight":
			weight = &n
		case "cap":
			cap = &n
		default:
			return errorf("invalid scheduler option: %s", name)
		}
		return nil
	}
	for _, name := range []string{"weight", "cap"} {
		if v, ok := inv.Lookup(name); ok {
			if err := set(name, v); err != nil {
				return err
			}
		}
	}
	for _, kv := range inv.Argv("set") {
		name, v, ok := strings.Cut(kv, "=")
		if !ok {
			return errorf("Invalid syntax for --set, expecting name=value")
		}
		if err := set(name, v); err != nil {
			return err
		}
	}
	if weight != nil || cap != nil {
		if err := inv.Backend.SetSched(ctx, d.Ref(), weight, cap); err != nil {
			return err
		}
		if s, err = inv.Backend.Sched(ctx, d.Ref()); err != nil {
			return err
		}
	}
	fmt.Fprintf(inv.Out, "%-15s: %d\n%-15s: %d\n", "weight", s.Weight, "cap", s.Cap)
	return nil
}
