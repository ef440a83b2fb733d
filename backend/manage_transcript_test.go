package backend_test

import (
	"fmt"
	"strconv"
	"strings"

	"xvirsh/backend"
)

// manageStep runs the client steps of backend.Manager for the transcript
// suite: vcpupin REF VCPU CPU,CPU…; vcpuinfo REF; sched REF; schedset
// REF WEIGHT [CAP]; autostart REF on|off; rename REF NAME; reset REF;
// sysrq REF KEY; save REF FILE; restore FILE; migrate REF URI [live].
func manageStep(b backend.Backend, f []string, out *strings.Builder, err *error) bool {
	arg := func(i int) string {
		if i < len(f) {
			return f[i]
		}
		return ""
	}
	atoi := func(i int) int { n, _ := strconv.Atoi(arg(i)); return n }
	switch f[0] {
	case "vcpupin":
		var cpus []int
		for _, c := range strings.Split(arg(3), ",") {
			n, _ := strconv.Atoi(c)
			cpus = append(cpus, n)
		}
		*err = b.PinVCPU(ctx, arg(1), atoi(2), cpus)
	case "vcpuinfo":
		var vs []backend.VCPU
		if vs, *err = b.VCPUs(ctx, arg(1)); *err == nil {
			for _, v := range vs {
				fmt.Fprintf(out, "%d %s cpu %d affinity %v\n", v.Number, v.State, v.CPU, v.Affinity)
			}
		}
	case "sched":
		var s backend.Sched
		if s, *err = b.Sched(ctx, arg(1)); *err == nil {
			fmt.Fprintf(out, "%s weight %d cap %d\n", s.Scheduler, s.Weight, s.Cap)
		}
	case "schedset":
		w := atoi(2)
		var c *int
		if len(f) > 3 {
			n := atoi(3)
			c = &n
		}
		*err = b.SetSched(ctx, arg(1), &w, c)
	case "autostart":
		*err = b.SetAutostart(ctx, arg(1), arg(2) == "on")
	case "rename":
		*err = b.Rename(ctx, arg(1), arg(2))
	case "reset":
		*err = b.Reset(ctx, arg(1))
	case "sysrq":
		*err = b.Sysrq(ctx, arg(1), arg(2)[0])
	case "save":
		*err = b.Save(ctx, arg(1), arg(2))
	case "restore":
		*err = b.Restore(ctx, arg(1))
	case "migrate":
		*err = b.Migrate(ctx, arg(1), arg(2), arg(3) == "live")
	default:
		return false
	}
	return true
}
