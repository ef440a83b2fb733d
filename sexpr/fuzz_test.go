package sexpr

import "testing"

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"(domain (name x))", `(a 'b\'c' "d\"e")`, "((()))", "(a '\\101')", "(", ")", "'",
		"(a\n'x\ny')", "(k )", "(a (b (c)) d)", "(x '\\x4')",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		n, err := ParseString(in)
		if err != nil {
			return
		}
		printed := n.String()
		back, err := ParseString(printed)
		if err != nil {
			t.Fatalf("printed form %q of %q does not parse: %v", printed, in, err)
		}
		if !Equal(n, back) {
			t.Fatalf("print->read changed the tree: %q -> %q", in, printed)
		}
		if back.String() != printed {
			t.Fatalf("printing is not stable: %q vs %q", printed, back.String())
		}
		pretty, err := ParseString(n.Pretty())
		if err != nil || !Equal(n, pretty) {
			t.Fatalf("pretty form of %q does not read back: %v", in, err)
		}
	})
}

func FuzzAtomRoundTrip(f *testing.F) {
	for _, s := range []string{"", "a b", "'", `\`, "\n", "(", "ü", "\xff", "#", "\"'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		n := List(Atom("name"), Atom(v))
		back, err := ParseString(n.String())
		if err != nil {
			t.Fatalf("value %q printed as %s does not parse: %v", v, n, err)
		}
		if len(back.Kids) != 2 || back.Kids[1].IsList() || back.Kids[1].Value != v {
			t.Fatalf("value %q read back as %s", v, tree(back))
		}
	})
}
