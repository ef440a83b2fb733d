package xmlconv

import (
	"fmt"
	"strings"
	"testing"

	"xvirsh/sexpr"
)

// tricky is a value every string row must carry unchanged through every
// format: blanks at both ends, quotes, markup, parentheses, and the
// CR/LF/TAB an XML reader would normalise were they not character
// references.
const tricky = " a'b\"c&d<e>f (g) \t\r\nh "

// baseModel is a valid model of a PV or HVM guest for the field walk.
func baseModel(hvm bool) *domainDef {
	d := &domainDef{
		domid: -1, name: "walk", uuid: "596a5d21-71f4-8fb2-e068-e2386a5c413e",
		maxKiB: 65536, curKiB: 65536, vcpus: 1, vcpuCurrent: 1,
		hvm: hvm, clockOffset: "utc", clockBasis: "utc",
	}
	for _, f := range lifecycleFields {
		*f.str(d) = f.words[0]
	}
	if hvm {
		d.loader, d.boot = "/usr/lib/xen/boot/hvmloader", []string{"c"}
		d.features = []string{"acpi"}
	} else {
		d.kernel = "/boot/vmlinuz"
	}
	return d
}

// walk sends d through both formats at version v and returns the model
// read back from the SEXPR and from the XML written from that.
func walk(t *testing.T, d *domainDef, v int) (fromSexpr, fromXML *domainDef) {
	t.Helper()
	vm, err := (&vmBuilder{d: d, v: v}).build()
	if err != nil {
		t.Fatalf("to SEXPR at format %d: %v", v, err)
	}
	// The printed text, not the tree: what xend gets.
	tree, err := sexpr.ParseString(vm.String())
	if err != nil {
		t.Fatalf("SEXPR does not parse back: %v\n%s", err, vm)
	}
	if fromSexpr, err = readSexpr(tree, Options{Version: v}); err != nil {
		t.Fatalf("from SEXPR at format %d: %v\n%s", v, err, vm)
	}
	xml := fromSexpr.writeXML(Options{Version: v})
	if fromXML, err = readDomainXML([]byte(xml)); err != nil {
		t.Fatalf("XML does not read back: %v\n%s", err, xml)
	}
	return fromSexpr, fromXML
}

// TestFieldTable walks every row of the field tables: a value set in the
// model comes back unchanged through SEXPR and XML in every format and
// for every guest type that carries it, so a row one codec ignores fails.
func TestFieldTable(t *testing.T) {
	for v := xend302; v <= xend310; v++ {
		for _, hvm := range []bool{false, true} {
			guest := map[bool]string{false: "pv", true: "hvm"}[hvm]
			for _, f := range topFields {
				t.Run(fmt.Sprintf("%s/v%d/%s", f.name, v, guest), func(t *testing.T) {
					d := baseModel(hvm)
					*f.str(d) = tricky
					s, x := walk(t, d, v)
					if *f.str(s) != tricky || *f.str(x) != tricky {
						t.Errorf("%s: %q via SEXPR, %q via XML, want %q", f.name, *f.str(s), *f.str(x), tricky)
					}
				})
			}
			for _, f := range kernelFields {
				t.Run(fmt.Sprintf("%s/v%d/%s", f.name, v, guest), func(t *testing.T) {
					d := baseModel(hvm)
					if hvm {
						d.kernel = "/boot/vmlinuz" // the others travel beside a direct kernel
					}
					*f.str(d) = tricky
					s, x := walk(t, d, v)
					if *f.str(s) != tricky || *f.str(x) != tricky {
						t.Errorf("%s: %q via SEXPR, %q via XML, want %q", f.name, *f.str(s), *f.str(x), tricky)
					}
				})
			}
			t.Run(fmt.Sprintf("emulator/v%d/%s", v, guest), func(t *testing.T) {
				f := emulatorField
				d := baseModel(hvm)
				*f.str(d) = tricky
				s, x := walk(t, d, v)
				want := tricky
				if !hvm && !f.pv.in(v) {
					want = ""
				}
				if *f.str(s) != want || *f.str(x) != want {
					t.Errorf("%q via SEXPR, %q via XML, want %q", *f.str(s), *f.str(x), want)
				}
			})
			for _, f := range lifecycleFields {
				for _, word := range f.words {
					t.Run(fmt.Sprintf("%s=%s/v%d/%s", f.name, word, v, guest), func(t *testing.T) {
						d := baseModel(hvm)
						*f.str(d) = word
						s, x := walk(t, d, v)
						if *f.str(s) != word || *f.str(x) != word {
							t.Errorf("%q via SEXPR, %q via XML, want %q", *f.str(s), *f.str(x), word)
						}
					})
				}
			}
			for _, f := range graphicsFields {
				t.Run(fmt.Sprintf("graphics-%s/v%d/%s", f.name, v, guest), func(t *testing.T) {
					d := baseModel(hvm)
					g := graphicsDef{typ: f.graphics, port: -1, autoport: true}
					*f.str(&g) = tricky
					d.graphics = []graphicsDef{g}
					s, x := walk(t, d, v)
					want := tricky
					// In the image (HVM, or PV before the vfb) the row's
					// version gate applies.
					if (hvm || !gatePVFB.in(v)) && !f.image.in(v) {
						want = ""
					}
					for name, m := range map[string]*domainDef{"SEXPR": s, "XML": x} {
						if len(m.graphics) != 1 || *f.str(&m.graphics[0]) != want {
							t.Errorf("via %s: %+v, want %s=%q", name, m.graphics, f.name, want)
						}
					}
				})
			}
		}
		for _, f := range featureFields {
			t.Run(fmt.Sprintf("feature-%s/v%d", f.name, v), func(t *testing.T) {
				d := baseModel(true)
				d.features = []string{f.name}
				s, x := walk(t, d, v)
				for name, m := range map[string]*domainDef{"SEXPR": s, "XML": x} {
					if len(m.features) != 1 || m.features[0] != f.name {
						t.Errorf("via %s: features %q, want [%s]", name, m.features, f.name)
					}
				}
			})
		}
	}
	for _, b := range bootDevs {
		t.Run("boot-"+b.dev, func(t *testing.T) {
			d := baseModel(true)
			d.boot = []string{b.letter}
			s, x := walk(t, d, DefaultVersion)
			if len(s.boot) != 1 || s.boot[0] != b.letter || len(x.boot) != 1 || x.boot[0] != b.letter {
				t.Errorf("boot %q via SEXPR, %q via XML, want [%s]", s.boot, x.boot, b.letter)
			}
		})
	}
}

// TestHideSecrets: the XML codec leaves the VNC password out on request
// (libvirt's XML without the secure flag), and only then.
func TestHideSecrets(t *testing.T) {
	root, err := sexpr.ParseString(`(domain (name s) (uuid 596a5d21-71f4-8fb2-e068-e2386a5c413e) (memory 64)
		(image (linux (kernel /k))) (device (vfb (type vnc) (vncpasswd 'pw') (keymap de))))`)
	if err != nil {
		t.Fatal(err)
	}
	for hide, want := range map[bool]string{false: "<graphics type='vnc' port='-1' autoport='yes' keymap='de' passwd='pw'/>",
		true: "<graphics type='vnc' port='-1' autoport='yes' keymap='de'/>"} {
		out, err := ToXML(root, Options{HideSecrets: hide})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, want) {
			t.Errorf("HideSecrets=%v:\n%s\nwant %s", hide, out, want)
		}
	}
}

// TestDropIndentation: only the layout between tags goes, never content.
func TestDropIndentation(t *testing.T) {
	for in, want := range map[string]string{
		"<a>\n  <b/>\n  <c>x</c>\n</a>\n":          "<a><b/><c>x</c></a>\n",
		"<a>\n  <cmdline>\n  </cmdline>\n</a>":     "<a><cmdline>\n  </cmdline></a>",
		"<a><cmdline>  </cmdline></a>":             "<a><cmdline>  </cmdline></a>",
		"<a>\n<![CDATA[x>\n  <y]]>\n</a>":          "<a>\n<![CDATA[x>\n  <y]]>\n</a>",
		"<a>\n  <!-- c -->\n  <b k='>'/>\n</a>":    "<a>\n  <!-- c --><b k='>'/></a>",
		"<description>\n</description>":            "<description>\n</description>",
		"<os>\n    <type>hvm</type>\n  </os>\n":    "<os><type>hvm</type></os>\n",
		"<a>text\n  <b/></a>":                      "<a>text\n  <b/></a>",
		"<a x='1'>\n  <b/>\n  tail\n</a>":          "<a x='1'><b/>\n  tail\n</a>",
		"<unclosed><![CDATA[never ends\n  <x></x>": "<unclosed><![CDATA[never ends\n  <x></x>",
	} {
		if got := string(dropIndentation([]byte(in))); got != want {
			t.Errorf("dropIndentation(%q) = %q, want %q", in, got, want)
		}
	}
}
