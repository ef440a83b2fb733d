package xendrules

import (
	"fmt"
	"strconv"
	"strings"
)

// DiskDevID is the virtual device number of a disk target, the devid xend
// files a vbd under in xenstore and takes in device_destroy and
// device_configure (xend-protocol.md §3): Linux's major/minor encoding,
// as xend's blkif.blkdev_name_to_number and libvirt's
// xenLinuxDomainDeviceID compute it. xvda is 51712 (202<<8), hda 768,
// hdc 5632, sda 2048. A ":cdrom"/":disk" suffix and an "ioemu:" prefix
// are dropped first; a plain number is taken as it is.
func DiskDevID(target string) (int, error) {
	t := strings.TrimPrefix(target, "ioemu:")
	if i := strings.LastIndexByte(t, ':'); i >= 0 {
		t = t[:i]
	}
	if n, err := strconv.Atoi(t); err == nil && n >= 0 {
		return n, nil
	}
	bad := fmt.Errorf("cannot compute the device number of disk target '%s'", target)
	var prefix string
	for _, p := range []string{"xvd", "hd", "sd"} {
		if strings.HasPrefix(t, p) {
			prefix = p
			break
		}
	}
	if prefix == "" {
		return 0, bad
	}
	rest := t[len(prefix):]
	// The disk letters, a..z then aa..zz, as Linux names them.
	letters := len(rest) - len(strings.TrimLeft(rest, "abcdefghijklmnopqrstuvwxyz"))
	if letters == 0 || letters > 2 {
		return 0, bad
	}
	disk := 0
	for _, c := range rest[:letters] {
		disk = disk*26 + int(c-'a') + 1
	}
	disk--
	part := 0
	if p := rest[letters:]; p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p[0] == '0' {
			return 0, bad
		}
		part = n
	}
	switch prefix {
	case "xvd":
		if disk < 16 && part < 16 {
			return 202<<8 | disk<<4 | part, nil
		}
		if part > 255 {
			return 0, bad
		}
		return 1<<28 | disk<<8 | part, nil // xvd's extended numbering
	case "hd":
		majors := []int{3, 22, 33, 34, 56, 57, 88, 89, 90, 91}
		if disk/2 >= len(majors) || part > 63 {
			return 0, bad
		}
		return majors[disk/2]<<8 | (disk%2)<<6 | part, nil
	default: // sd
		majors := []int{8, 65, 66, 67, 68, 69, 70, 71, 128, 129, 130, 131, 132, 133, 134, 135}
		if disk/16 >= len(majors) || part > 15 {
			return 0, bad
		}
		return majors[disk/16]<<8 | (disk%16)<<4 | part, nil
	}
}
