package xmlconv

import (
	"fmt"
	"strconv"
	"strings"

	"xvirsh/sexpr"
)

// txDefaultVifScript is the script xend uses for bridged vifs; a vif with
// that script and no (bridge) is still a bridge interface.
const txDefaultVifScript = "vif-bridge"

// interfaces converts the (vif …) blocks in order.
func (c *txConv) interfaces() error {
	for idx, v := range c.vifs {
		if err := c.vif(v, idx); err != nil {
			return err
		}
	}
	return nil
}

func (c *txConv) vif(v *sexpr.Node, idx int) error {
	bridge := v.Get("bridge")
	script := v.Get("script")
	typ := "ethernet"
	if bridge != "" || script == txDefaultVifScript {
		typ = "bridge"
	}
	el := txElem(c.devs, "interface", "type", typ)
	if mac := v.Get("mac"); mac != "" {
		norm, ok := parseMAC(mac)
		if !ok {
			return fmt.Errorf("malformed mac address '%s'", mac)
		}
		txElem(el, "mac", "address", norm)
	}
	if typ == "bridge" && bridge != "" {
		txElem(el, "source", "bridge", bridge)
	}
	// xend accepts a blank-separated list of addresses in (ip …).
	for _, ip := range strings.Fields(v.Get("ip")) {
		txElem(el, "ip", "address", ip)
	}
	// A bridged vif without a script runs xend's default, vif-bridge, and
	// the SEXPR writer names it; saying so here keeps the XML stable across
	// dumpxml -> create -> dumpxml.
	if script == "" && typ == "bridge" {
		script = txDefaultVifScript
	}
	if script != "" {
		txElem(el, "script", "path", script)
	}
	if name := v.Get("vifname"); name != "" {
		txElem(el, "target", "dev", name)
	} else if c.domid >= 0 {
		// the name the running domain's backend interface has
		txElem(el, "target", "dev", "vif"+strconv.FormatInt(c.domid, 10)+"."+strconv.Itoa(idx))
	}
	model := v.Get("model")
	if model == "" && v.Get("type") == "netfront" {
		model = "netfront"
	}
	if model != "" && !validModelName(model) {
		c.warn("interface %d: NIC model '%s' is not a model name, dropped", idx, model)
		model = ""
	}
	if model != "" {
		txElem(el, "model", "type", model)
	}
	if rate := v.Get("rate"); rate != "" {
		kbps, err := txParseVifRate(rate)
		if err != nil {
			return err
		}
		if kbps > 0 {
			bw := el.CreateElement("bandwidth")
			txElem(bw, "outbound", "average", strconv.FormatUint(kbps, 10))
		}
	}
	return nil
}

// txParseVifRate reads xend's vif rate, "<n>[GMK]<B|b>/s" with an optional
// "@<window>" that is dropped, and returns kilobytes per second, rounded up
// so that a small rate does not vanish. libvirt reads a bare "512B/s" as
// 512 KB/s; it means bytes here, as it does to xend.
func txParseVifRate(rate string) (uint64, error) {
	s, _, _ := strings.Cut(rate, "@")
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	num, unit := s[:i], s[i:]
	var mult uint64 = 1
	if len(unit) > 0 {
		switch unit[0] {
		case 'G':
			mult, unit = 1<<30, unit[1:]
		case 'M':
			mult, unit = 1<<20, unit[1:]
		case 'K':
			mult, unit = 1<<10, unit[1:]
		}
	}
	if num == "" || (unit != "B/s" && unit != "b/s") {
		return 0, fmt.Errorf("Invalid rate '%s' specified", rate)
	}
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil || n > maxRate/mult {
		return 0, fmt.Errorf("Failed to parse rate '%s'", rate)
	}
	per := uint64(1024) // bytes in a KB
	if unit[0] == 'b' {
		per *= 8
	}
	return (n*mult + per - 1) / per, nil
}
