package xmlconv

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"xvirsh/sexpr"
)

// memory writes <memory> (maxmem) and <currentMemory> (memory), MiB -> KiB.
func (c *txConv) memory() error {
	maxMiB := txLenientInt(c.root.Get("maxmem"))
	curMiB := txLenientInt(c.root.Get("memory"))
	// libvirt takes a missing maxmem as 0 and then clamps memory to 0, which
	// its own post-parse rejects; xend itself defaults maxmem to memory.
	if maxMiB <= 0 {
		maxMiB = curMiB
	}
	if curMiB <= 0 || curMiB > maxMiB {
		curMiB = maxMiB
	}
	if maxMiB <= 0 {
		return fmt.Errorf("%w, missing memory", ErrIncomplete)
	}
	if maxMiB > maxMemMiB {
		return fmt.Errorf("memory size %d MiB out of range", maxMiB)
	}
	txElem(c.dom, "memory", "unit", "KiB").SetText(strconv.FormatInt(maxMiB*1024, 10))
	txElem(c.dom, "currentMemory", "unit", "KiB").SetText(strconv.FormatInt(curMiB*1024, 10))
	return nil
}

// vcpus writes <vcpu current='N' cpuset='…'>max</vcpu>. Only the number of
// set bits of (vcpu_avail mask) survives; which vcpus were online is lost.
func (c *txConv) vcpus() error {
	n := txLenientInt(c.root.Get("vcpus"))
	if n < 1 {
		n = 1 // xend's own default
	}
	if n > maxVCPUs {
		return fmt.Errorf("vcpus %d out of range (at most %d)", n, maxVCPUs)
	}
	v := c.dom.CreateElement("vcpu")
	if mask, ok := c.root.GetOK("vcpu_avail"); ok {
		if cur := int64(txPopcount(mask)); cur > 0 && cur < n {
			v.CreateAttr("current", strconv.FormatInt(cur, 10))
		}
	}
	cpuset, err := c.cpuset()
	if err != nil {
		return err
	}
	if cpuset != "" {
		v.CreateAttr("cpuset", cpuset)
	}
	v.SetText(strconv.FormatInt(n, 10))
	return nil
}

// cpuset reads (cpus …). A create request carries a range string,
// (cpus '0-3,^2'); xend reports one affinity list per vcpu,
// (cpus ((0 1) (0 1))), which maps to a cpuset only when all vcpus agree.
// libvirt ignores the key in string conversion and so loses the pinning of
// every domain created with one.
func (c *txConv) cpuset() (string, error) {
	node := c.root.Lookup("cpus")
	if node == nil || len(node.Kids) < 2 {
		return "", nil
	}
	first := node.Kids[1]
	if !first.IsList() {
		if strings.TrimSpace(first.Value) == "" {
			return "", nil
		}
		set, ok := parseCPUSet(first.Value, maxCPUs)
		if !ok {
			return "", fmt.Errorf("Invalid value of 'cpumask': %s", first.Value)
		}
		return formatCPUSet(set), nil
	}
	return txAffinityCPUSet(first), nil
}

// txAffinityCPUSet turns xend's per-vcpu affinity lists into one cpuset, or
// "" when the vcpus differ or a list is empty (meaning "any cpu").
func txAffinityCPUSet(lists *sexpr.Node) string {
	if len(lists.Kids) > 0 && !lists.Kids[0].IsList() {
		return formatCPUSet(txAffinitySet(lists.Kids)) // (cpus (0 1))
	}
	common := ""
	for i, l := range lists.Kids {
		set := txAffinitySet(l.Kids)
		if set == nil {
			return ""
		}
		if s := formatCPUSet(set); i == 0 {
			common = s
		} else if s != common {
			return ""
		}
	}
	return common
}

func txAffinitySet(kids []*sexpr.Node) []bool {
	var set []bool
	for _, k := range kids {
		if k.IsList() {
			return nil
		}
		n, ok := txStrictInt(k.Value)
		if !ok || n < 0 || n >= maxCPUs {
			return nil
		}
		for int64(len(set)) <= n {
			set = append(set, false)
		}
		set[n] = true
	}
	return set
}

// bootloader writes <bootloader> and <bootloader_args> for PV guests. Real
// xend reports "(bootloader )" for kernel-booted guests; libvirt keeps that
// as an empty <bootloader/>, and so do we, so that the XML says what xend
// said. (libvirt then suppressed the kernel when writing back; ToSexpr
// does not: an empty bootloader boots nothing.)
func (c *txConv) bootloader() error {
	if !c.hasBootloader() {
		return nil
	}
	txText(c.dom, "bootloader", c.root.Get("bootloader"))
	if args := c.root.Get("bootloader_args"); args != "" {
		txText(c.dom, "bootloader_args", args)
	}
	return nil
}

// hasBootloader is libvirt's test: the key is there, even empty.
func (c *txConv) hasBootloader() bool { return !c.hvm && c.root.Has("bootloader") }

// os writes <os>. Dom0 and image-less records only get the type.
func (c *txConv) os() error {
	os := c.dom.CreateElement("os")
	if c.hvm {
		txText(os, "type", "hvm")
	} else {
		txText(os, "type", "linux")
	}
	if c.domid == 0 || !c.root.HasContent("image") {
		return nil
	}
	if c.hvm {
		return c.hvmOS(os)
	}
	kernel := c.imageGet("kernel")
	if kernel == "" && !c.hasBootloader() {
		return fmt.Errorf("%w, missing kernel & bootloader", ErrIncomplete)
	}
	txOptText(os, "kernel", kernel)
	txOptText(os, "initrd", c.imageGet("ramdisk"))
	txOptText(os, "cmdline", c.imageGet("args"))
	txOptText(os, "root", c.imageGet("root"))
	return nil
}

// hvmOS: old xend put hvmloader in (kernel); newer xend has (loader) and may
// use (kernel) for direct kernel boot, in which case the boot order is moot.
func (c *txConv) hvmOS(os *etree.Element) error {
	var kernel, initrd, args, root string
	loader := c.imageGet("loader")
	if loader != "" {
		kernel = c.imageGet("kernel")
		initrd = c.imageGet("ramdisk")
		args = c.imageGet("args")
		root = c.imageGet("root")
	} else {
		loader = c.imageGet("kernel")
	}
	if loader == "" {
		return fmt.Errorf("%w, missing HVM loader", ErrIncomplete)
	}
	if kernel == loader {
		kernel = ""
	}
	txText(os, "loader", loader)
	if kernel != "" {
		txText(os, "kernel", kernel)
		txOptText(os, "initrd", initrd)
		txOptText(os, "cmdline", args)
		txOptText(os, "root", root)
		return nil
	}
	// Letters other than a, c, d and n are skipped, as libvirt and qemu-dm
	// do: xend passes the string through, so a record may hold anything.
	boot := c.imageGet("boot")
	n := 0
	for i := 0; i < len(boot) && n < txMaxBoot; i++ {
		if dev, ok := txBootDev[boot[i]]; ok {
			txElem(os, "boot", "dev", dev)
			n++
		}
	}
	if n == 0 {
		// libvirt's XML parser gives an HVM guest without boot order or
		// kernel the disk, as xend and qemu-dm do; printing it keeps
		// dumpxml stable, since the SEXPR writer always sends a (boot).
		txElem(os, "boot", "dev", "hd")
	}
	return nil
}

// txMaxBoot: libvirt keeps at most four boot devices and drops the rest.
const txMaxBoot = 4

func txOptText(parent *etree.Element, tag, text string) {
	if text != "" {
		txText(parent, tag, text)
	}
}

// features: HVM switches, non-zero integer means on.
func (c *txConv) features() error {
	if !c.hvm {
		return nil
	}
	// An HVM guest always gets <features>, empty when xend has every
	// switch off: the SEXPR writer reads a missing <features> as "the
	// host's defaults", which turn PAE on.
	f := c.dom.CreateElement("features")
	for _, name := range hvmFeatures {
		if txLenientInt(c.imageGet(name)) != 0 {
			f.CreateElement(name)
		}
	}
	return nil
}

// clock: xend >= 3.1 HVM guests keep an RTC offset (variable clock); older
// formats and PV guests only know utc or localtime.
func (c *txConv) clock() error {
	local := txLenientInt(c.root.Get("localtime"))
	if v, ok := c.imageGetOK("localtime"); ok {
		n, ok := txStrictInt(v)
		if !ok {
			return fmt.Errorf("unknown localtime offset %s", v)
		}
		local = n
	}
	basis := "utc"
	if local != 0 {
		basis = "localtime"
	}
	clk := c.dom.CreateElement("clock")
	if c.hvm && c.ver >= xend310 {
		adj := txLenientInt(c.imageGet("rtc_timeoffset"))
		clk.CreateAttr("offset", "variable")
		clk.CreateAttr("adjustment", strconv.FormatInt(adj, 10))
		clk.CreateAttr("basis", basis)
	} else {
		clk.CreateAttr("offset", basis)
		clk.CreateAttr("adjustment", "reset")
	}
	if !c.hvm {
		return nil
	}
	if v, ok := c.imageGetOK("hpet"); ok {
		present := "no"
		if txLenientInt(v) != 0 {
			present = "yes"
		}
		txElem(clk, "timer", "name", "hpet", "present", present)
	}
	return nil
}

func (c *txConv) lifecycle() error {
	for _, ev := range lifecycleEvents {
		v := c.root.Get(ev.key)
		if v == "" {
			v = ev.words[0]
		}
		if !slices.Contains(ev.words, v) {
			// libvirt fails the domain ("unknown lifecycle type"); xend
			// itself stores whatever it was sent.
			c.warn("unknown lifecycle type %s for %s, read as %s", v, ev.key, ev.words[0])
			v = ev.words[0]
		}
		txText(c.dom, ev.key, v)
	}
	return nil
}
