package commands

import (
	"reflect"
	"testing"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		name, in string
		want     [][]string
		wantErr  string
	}{
		{"empty", "", nil, ""},
		{"blanks", "  \t ", nil, ""},
		{"one", "list --all", [][]string{{"list", "--all"}}, ""},
		{"repeated blanks", "list   --all\t", [][]string{{"list", "--all"}}, ""},
		{"semicolons", "domid a; domid b", [][]string{{"domid", "a"}, {"domid", "b"}}, ""},
		{"empty commands", ";echo a; ; echo b;", [][]string{{"echo", "a"}, {"echo", "b"}}, ""},
		{"newline separates", "echo a\necho b", [][]string{{"echo", "a"}, {"echo", "b"}}, ""},
		{"single quotes literal", `echo 'a b\c;#'`, [][]string{{"echo", `a b\c;#`}}, ""},
		{"double quotes escapes", `echo "a \"b\" \\ c"`, [][]string{{"echo", `a "b" \ c`}}, ""},
		{"backslash escapes", `echo a\ b\;c`, [][]string{{"echo", "a b;c"}}, ""},
		{"backslash newline vanishes", "echo ab\\\ncd", [][]string{{"echo", "abcd"}}, ""},
		{"adjacent quotes join", `echo a'b c'"d"`, [][]string{{"echo", "ab cd"}}, ""},
		{"empty quoted word", `echo '' ""`, [][]string{{"echo", "", ""}}, ""},
		{"comment to end of line", "echo a # b; echo c\necho d", [][]string{{"echo", "a"}, {"echo", "d"}}, ""},
		{"hash inside word", "echo a#b", [][]string{{"echo", "a#b"}}, ""},
		{"unterminated single", "echo 'abc", nil, "missing '"},
		{"unterminated double", `echo "abc`, nil, `missing "`},
		{"dangling backslash", `echo abc\`, nil, `dangling \`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Tokenize(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"list --all", `echo "a\"b" 'c' d\ e # f`, "a;b\nc", `x\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Must never panic; completion lexes half-typed text all the time.
		Tokenize(s)
		lex(s)
	})
}

func TestCompletionWord(t *testing.T) {
	tests := []struct {
		text  string
		start int
		word  string
	}{
		{"", 0, ""},
		{"dom", 0, "dom"},
		{"dominfo ", 8, ""},
		{"dominfo win", 8, "win"},
		{"create '/tmp/host dir/", 7, "/tmp/host dir/"},
		{"create '/tmp/host dir/'", 7, "/tmp/host dir/"},
		{`create /tmp/host\ dir/a`, 7, "/tmp/host dir/a"},
		{`create "a b`, 7, "a b"},
		{"list; dom", 6, "dom"},
		{"list;", 5, ""},
	}
	for _, tt := range tests {
		start, word := CompletionWord(tt.text)
		if start != tt.start || word != tt.word {
			t.Errorf("CompletionWord(%q) = %d, %q; want %d, %q", tt.text, start, word, tt.start, tt.word)
		}
	}
}
