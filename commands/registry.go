package commands

import "sort"

// The help groups, in the order `help` lists them. Keywords are virsh's.
var (
	groupDomain  = &Group{Name: "Domain Management", Keyword: "domain"}
	groupMonitor = &Group{Name: "Domain Monitoring", Keyword: "monitor"}
	groupHost    = &Group{Name: "Host and Hypervisor", Keyword: "host"}
	groupXen     = &Group{Name: "Xen and xend", Keyword: "xen"}
	groupShell   = &Group{Name: "Virsh itself", Keyword: "virsh"}

	groupOrder = []*Group{groupDomain, groupMonitor, groupHost, groupXen, groupShell}
)

// families returns the family files' tables. The order is only the order
// in which find looks through them before the whole table is built: the
// commands most often run one at a time (list, the views) first. Default
// sorts, and virsh's own group comes from one family alone, so the table
// does not depend on it. (A function, not a variable: help's handler
// reads the table, which would make the variable's initialisation a
// cycle.)
func families() []func() []*Command {
	return []func() []*Command{
		monitorCommands,
		viewCommands,
		lifecycleCommands,
		manageCommands,
		schedCommands,
		xmlCommands,
		devicesCommands,
		hostViewCommands,
		hostCommands,
		xenCommands,
		builtinCommands,
	}
}

// Default returns the full command table. Each family file contributes its
// slice; the result is ordered by group and, within the domain groups, by
// name, as virsh's help lists them (virsh's own group keeps table order).
func Default() []*Command {
	var all []*Command
	for _, family := range families() {
		all = append(all, family()...)
	}
	rank := map[*Group]int{}
	for i, g := range groupOrder {
		rank[g] = i
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if rank[a.Group] != rank[b.Group] {
			return rank[a.Group] < rank[b.Group]
		}
		if a.Group == groupShell {
			return false
		}
		return a.Name < b.Name
	})
	return all
}
