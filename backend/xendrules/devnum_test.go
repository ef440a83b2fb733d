package xendrules

import "testing"

func TestDiskDevID(t *testing.T) {
	for in, want := range map[string]int{
		"xvda": 51712, "xvdb": 51728, "xvda1": 51713, "hda": 768, "hdb": 832,
		"hdc": 5632, "hdc:cdrom": 5632, "hdd": 5696, "ioemu:hda": 768, "hda:disk": 768,
		"sda": 2048, "sdb": 2064, "sdq": 65 << 8, "xvdq": 1<<28 | 16<<8, "5632": 5632,
	} {
		got, err := DiskDevID(in)
		if err != nil || got != want {
			t.Errorf("DiskDevID(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "vda", "fda", "hd", "xvda0", "hdz", "xvdA"} {
		if n, err := DiskDevID(in); err == nil {
			t.Errorf("DiskDevID(%q) = %d, want an error", in, n)
		}
	}
}
