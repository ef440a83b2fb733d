package commands

import "testing"

const xpathDoc = `<domain type='xen' id='3'>
  <name>web</name>
  <uuid>c7a5fdbd-cdaf-9455-926a-d65c16db1809</uuid>
  <description>a &lt;b&gt; &amp; c</description>
  <os>
    <type>hvm</type>
    <boot dev='cdrom'/>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/a.img'/>
      <target dev='hda' bus='ide'/>
    </disk>
    <disk type='file' device='cdrom'>
      <source file='/b.iso'/>
      <target dev='hdc' bus='ide'/>
      <readonly/>
    </disk>
    <interface type='bridge'>
      <mac address='00:16:3e:00:00:01'/>
    </interface>
  </devices>
</domain>
`

// TestXPath: each result printed as virsh prints libxml2's nodes.
func TestXPath(t *testing.T) {
	for _, tc := range []struct {
		expr string
		wrap bool
		want string
	}{
		{"/domain/name", false, "<name>web</name>\n"},
		{"/domain/name/text()", false, "web\n"},
		{"/domain/name/text()", true, "<nodes>web</nodes>\n"},
		{"//description/text()", false, "a &lt;b&gt; &amp; c\n"},
		{"//disk[2]/source/@file", false, " file=\"/b.iso\"\n"},
		{"//disk[@device='cdrom']/target", false, "<target dev=\"hdc\" bus=\"ide\"/>\n"},
		// libxml2's xmlAddChild replaces an attribute of the same name.
		{"//disk/source/@file", true, "<nodes file=\"/b.iso\"/>\n"},
		{"/domain/@id | /domain/@type", false, " type=\"xen\"\n id=\"3\"\n"},
		{"//interface | //boot", true, "<nodes>\n  <boot dev=\"cdrom\"/>\n  <interface type=\"bridge\">\n    <mac address=\"00:16:3e:00:00:01\"/>\n  </interface>\n</nodes>\n"},
		{"//os//@dev", false, " dev=\"cdrom\"\n"},
		{"//readonly/..", false, "<disk type=\"file\" device=\"cdrom\">\n  <source file=\"/b.iso\"/>\n  <target dev=\"hdc\" bus=\"ide\"/>\n  <readonly/>\n</disk>\n"},
		{"/domain/@type | //os/type/text() | //os/type", true, "<nodes type=\"xen\"><type>hvm</type>hvm</nodes>\n"},
		{"//os | //os/type/text()", true, "<nodes><os><type>hvm</type><boot dev=\"cdrom\"/></os>hvm</nodes>\n"},
		{"//nosuch", false, ""},
		{"//nosuch", true, "<nodes/>\n"},
		{"//name | //name", false, "<name>web</name>\n"},
	} {
		nodes, err := xpathSelect(xpathDoc, tc.expr)
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		got, _ := xpathOutput(nodes, tc.wrap)
		if got != tc.want {
			t.Errorf("%s (wrap %v):\n got %q\nwant %q", tc.expr, tc.wrap, got, tc.want)
		}
	}
	for _, bad := range []string{"count(//disk)", "string(/domain/name)", "", "|", "//disk[", "bad[["} {
		if _, err := xpathSelect(xpathDoc, bad); err == nil || err.Error() != "internal error: Incorrect xpath '"+bad+"'" {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
}
