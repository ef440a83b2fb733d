package xmlconv

import (
	"testing"

	"github.com/beevik/etree"

	"xvirsh/sexpr"
)

// FuzzStringValues puts one arbitrary string into every free-text field of
// a domain XML (name, description, kernel, cmdline, disk path, bridge,
// script, vifname, VNC password and keymap, serial file path, loader,
// emulator) and checks that each comes out of ToSexpr as one atom holding
// exactly that string, and still does after printing and reading back:
// no value can split, cut or inject SEXPR.
func FuzzStringValues(f *testing.F) {
	for _, s := range []string{
		"plain", "it's", `say "hi"`, "(vm (name evil))", ")(", `back\slash`, `\'`, `\\`,
		"line\nbreak", "tab\there", " lead and trail ", "#not-a-comment", "semi;colon",
		"[x]{y}<z>", "ünïcødé", "日本語", "emoji 🙂", "nul-free\x01ctl", "del\x7f", "vif1.0",
		"'", `"`, "\\n", "a'b\"c\\d(e)f",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pv, ok := xmlWithValue(s, false)
		if !ok {
			t.Skip("not representable in XML")
		}
		hvm, _ := xmlWithValue(s, true)
		want, ok := xmlValue(s)
		if !ok || want == "" {
			t.Skip("empty or changed differently by XML normalisation")
		}
		checkFields(t, pv, map[string]string{
			"name":                   want,
			"description":            want,
			"image/linux/kernel":     want,
			"image/linux/args":       want,
			"device/vbd/uname":       "file:" + want,
			"device/vif/bridge":      want,
			"device/vif/script":      want,
			"device/vif/vifname":     want,
			"device/vfb/vncpasswd":   want,
			"device/vfb/keymap":      want,
			"device/vfb/vnclisten":   want,
			"image/linux/localtime":  "0",
			"device/vif/mac":         "00:16:3e:01:02:03",
			"device/vbd/mode":        "w",
			"device/vfb/type":        "vnc",
			"image/linux/vncpasswd?": "",
		}, isAutoVifName(want))
		checkFields(t, hvm, map[string]string{
			"name":                     want,
			"image/hvm/kernel":         want,
			"image/hvm/device_model":   want,
			"image/hvm/serial":         "file:" + want,
			"image/hvm/parallel":       "pipe:" + want,
			"image/hvm/vncpasswd":      want,
			"image/hvm/keymap":         want,
			"device/vbd/uname":         "file:" + want,
			"device/vbd/dev":           "hda:disk",
			"image/hvm/boot":           "c",
			"image/hvm/rtc_timeoffset": "0",
		}, false)
	})
}

// xmlWithValue builds a PV or HVM domain with s in every free-text field.
// etree escapes s as XML needs; ok is false when XML cannot hold s at all.
func xmlWithValue(s string, hvm bool) ([]byte, bool) {
	doc := etree.NewDocument()
	dom := doc.CreateElement("domain")
	dom.CreateAttr("type", "xen")
	dom.CreateElement("name").SetText(s)
	dom.CreateElement("memory").SetText("65536")
	os := dom.CreateElement("os")
	devs := dom.CreateElement("devices")
	disk := devs.CreateElement("disk")
	disk.CreateAttr("type", "file")
	disk.CreateElement("source").CreateAttr("file", s)
	g := devs.CreateElement("graphics")
	g.CreateAttr("type", "vnc")
	g.CreateAttr("passwd", s)
	g.CreateAttr("keymap", s)
	if hvm {
		os.CreateElement("type").SetText("hvm")
		os.CreateElement("loader").SetText(s)
		devs.CreateElement("emulator").SetText(s)
		disk.CreateElement("target").CreateAttr("dev", "hda")
		ser := devs.CreateElement("serial")
		ser.CreateAttr("type", "file")
		ser.CreateElement("source").CreateAttr("path", s)
		par := devs.CreateElement("parallel")
		par.CreateAttr("type", "pipe")
		par.CreateElement("source").CreateAttr("path", s)
	} else {
		dom.CreateElement("description").SetText(s)
		os.CreateElement("type").SetText("linux")
		os.CreateElement("kernel").SetText(s)
		os.CreateElement("cmdline").SetText(s)
		disk.CreateElement("target").CreateAttr("dev", "xvda")
		nic := devs.CreateElement("interface")
		nic.CreateAttr("type", "bridge")
		nic.CreateElement("mac").CreateAttr("address", "00:16:3e:01:02:03")
		nic.CreateElement("source").CreateAttr("bridge", s)
		nic.CreateElement("script").CreateAttr("path", s)
		nic.CreateElement("target").CreateAttr("dev", s)
		g.CreateElement("listen").CreateAttr("address", s)
	}
	out, err := doc.WriteToBytes()
	if err != nil {
		return nil, false
	}
	// Refuse what a reader cannot take back (control bytes, bad UTF-8).
	back := etree.NewDocument()
	if back.ReadFromBytes(out) != nil {
		return nil, false
	}
	return out, true
}

// xmlValue is s as an XML reader sees it once written, in an attribute
// and in element text alike (ok is false when the two differ).
func xmlValue(s string) (string, bool) {
	doc := etree.NewDocument()
	v := doc.CreateElement("v")
	v.CreateAttr("a", s)
	v.SetText(s)
	out, err := doc.WriteToBytes()
	if err != nil {
		return "", false
	}
	back := etree.NewDocument()
	if back.ReadFromBytes(out) != nil || back.Root() == nil {
		return "", false
	}
	attr, text := back.Root().SelectAttrValue("a", ""), back.Root().Text()
	return attr, attr == text
}

// checkFields converts, prints, reads back and compares each path. A path
// ending in "?" must be absent. Paths under device/ look at the first
// (device (KIND ...)) of that kind.
func checkFields(t *testing.T, xml []byte, want map[string]string, vifAuto bool) {
	t.Helper()
	vm, err := ToSexpr(xml, 4)
	if err != nil {
		t.Fatalf("ToSexpr: %v\n%s", err, xml)
	}
	text := vm.String()
	back, err := sexpr.ParseString(text)
	if err != nil {
		t.Fatalf("printed SEXPR does not parse: %v\n%s", err, text)
	}
	if !sexpr.Equal(vm, back) {
		t.Fatalf("printed SEXPR reads back different\n%s\n%s", text, back)
	}
	for path, val := range want {
		if path == "device/vif/vifname" && vifAuto {
			continue // xend's own vifD.N names are not sent back
		}
		absent := path[len(path)-1] == '?'
		if absent {
			path = path[:len(path)-1]
		}
		node := lookupField(back, path)
		switch {
		case absent && node != nil:
			t.Errorf("%s present: %s", path, node)
		case absent:
		case node == nil:
			t.Errorf("%s missing in %s", path, text)
		case len(node.Kids) != 2 || node.Kids[1].IsList():
			t.Errorf("%s is not one atom: %s", path, node)
		case node.Kids[1].Value != val:
			t.Errorf("%s = %q, want %q", path, node.Kids[1].Value, val)
		}
	}
}

func lookupField(vm *sexpr.Node, path string) *sexpr.Node {
	const dev = "device/"
	if len(path) > len(dev) && path[:len(dev)] == dev {
		rest := path[len(dev):]
		for i := 0; i < len(rest); i++ {
			if rest[i] == '/' {
				kind, key := rest[:i], rest[i+1:]
				for _, d := range vm.Children("device") {
					if inner := d.Child(kind); inner != nil {
						return inner.Lookup(key)
					}
				}
				return nil
			}
		}
	}
	return vm.Lookup(path)
}
