package xmcfg_test

import (
	"fmt"

	"xvirsh/xmlconv/xmcfg"
)

func Example() {
	src := `# /etc/xen/web01
name = "web01"
memory = 512
vnc = "1"
disk = [ 'phy:/dev/vg0/web01,xvda,w',
         'file:/srv/iso/boot.iso,hdc:cdrom,r', ]
`
	c, err := xmcfg.ParseString(src, "/etc/xen/web01")
	if err != nil {
		fmt.Println(err)
		return
	}
	name, _ := c.ReqStr("name")
	mem, _ := c.UInt("memory", 128)
	vnc, _ := c.Bool("vnc", false)
	disks, _, _ := c.List("disk")
	fmt.Println(name, mem, vnc, len(disks), disks[1].Str)

	c.Set("memory", xmcfg.Int(1024))
	c.Set("extra", xmcfg.Str(`console=hvc0 root="/dev/xvda1"`))
	out, _ := c.Marshal()
	fmt.Print(string(out))

	_, err = xmcfg.ParseString("maxmem = memory * 2\n", "/etc/xen/bad")
	fmt.Println(err)
	// Output:
	// web01 512 true 2 file:/srv/iso/boot.iso,hdc:cdrom,r
	// name = "web01"
	// memory = 1024
	// vnc = "1"
	// disk = [ "phy:/dev/vg0/web01,xvda,w", "file:/srv/iso/boot.iso,hdc:cdrom,r" ]
	// extra = 'console=hvc0 root="/dev/xvda1"'
	// /etc/xen/bad:1:10: expecting a value: found the name memory; an xm config is read, never run: only string, integer and list literals are accepted
}
