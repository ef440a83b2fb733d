package commands

import (
	"strings"
	"testing"
)

// The shape virsh gives libxml2's errors: the line number, the message,
// the line and a caret under the column (virsh 9 output in comments).
func TestCheckXMLSyntax(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		// error: (domain_definition):4: expected '>'
		// </domain>
		// ^
		{"unclosed end tag", "<domain>\n  <name>x</name>\n  <memory>1</memory\n</domain>\n",
			"(domain_definition):4: invalid characters between </memory and >\n</domain>\n^"},
		// error: (domain_definition):4: Opening and ending tag mismatch: foo line 3 and domain
		// </domain>
		// ---------^
		{"tag mismatch", "<domain>\n<name>a</name>\n<foo>\n</domain>\n",
			"(domain_definition):4: element <foo> closed by </domain>\n</domain>\n---------^"},
		// error: (domain_definition):2: Unescaped '<' not allowed in attributes values
		//   <name a="1>x</name>
		// --------------^
		{"bad attribute", "<domain>\n  <name a=\"1>x</name>\n</domain>\n",
			"(domain_definition):2: unescaped < inside quoted string\n  <name a=\"1>x</name>\n--------------^"},
		{"empty", "", "(domain_definition):1: Document is empty"},
		{"text, no element", "hello\n", "(domain_definition):1: Start tag expected, '<' not found\nhello\n^"},
		{"two roots", "<domain>\n</domain>\n<x/>\n", "(domain_definition):3: Extra content at the end of the document\n<x/>\n^"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkXMLSyntax([]byte(tt.doc))
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
	for _, ok := range []string{
		"<domain/>",
		"<?xml version='1.0'?>\n<!-- c -->\n<domain type='xen'>\n  <name>a</name>\n</domain>\n\n",
		"<?xml version='1.0' encoding='ISO-8859-1'?>\n<domain/>\n",
	} {
		if err := checkXMLSyntax([]byte(ok)); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}

func TestXMLSyntaxLongLine(t *testing.T) {
	doc := "<domain>" + strings.Repeat("<a/>", 100) + "<b></c></domain>"
	err := checkXMLSyntax([]byte(doc)).(*XMLSyntaxError)
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 3 || len(lines[1]) > 2*caretWindow || !strings.HasSuffix(lines[1][:err.CaretAt], "<b></c>") {
		t.Errorf("long line shown as\n%s", err.Error())
	}
}
