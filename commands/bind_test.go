package commands

import (
	"reflect"
	"testing"
)

// bindCmd is a command shaped like virsh's setmem plus an argv option.
var bindCmd = &Command{
	Name: "t",
	Opts: []Opt{
		{Name: "domain", Kind: KindString, Required: true, Positional: true, Help: "d", NoComplete: true},
		{Name: "size", Kind: KindNumber, Positional: true, Help: "s", NoComplete: true},
		{Name: "live", Kind: KindBool, Help: "l"},
		{Name: "mode", Kind: KindString, Help: "m", NoComplete: true},
		{Name: "rest", Kind: KindArgv, Help: "r", NoComplete: true},
	},
}

func TestBind(t *testing.T) {
	tests := []struct {
		name    string
		words   []string
		want    map[string][]string
		wantErr string
	}{
		{"positional", []string{"dom", "512"}, map[string][]string{"domain": {"dom"}, "size": {"512"}}, ""},
		{"named", []string{"--size", "1", "--domain", "d"}, map[string][]string{"domain": {"d"}, "size": {"1"}}, ""},
		{"equals", []string{"--domain=a=b"}, map[string][]string{"domain": {"a=b"}}, ""},
		{"named skips its positional slot", []string{"--domain", "d", "5"}, map[string][]string{"domain": {"d"}, "size": {"5"}}, ""},
		{"flag", []string{"d", "--live"}, map[string][]string{"domain": {"d"}, "live": nil}, ""},
		{"double dash ends options", []string{"--", "--x"}, map[string][]string{"domain": {"--x"}}, ""},
		{"single dash is data", []string{"-"}, map[string][]string{"domain": {"-"}}, ""},
		{"named argv takes one word", []string{"--rest", "a", "b"}, map[string][]string{"domain": {"b"}, "rest": {"a"}}, ""},
		{"missing required", []string{"--live"}, nil, "command 't' requires <domain> option"},
		{"unknown option", []string{"d", "--bogus"}, nil, "command 't' doesn't support option --bogus"},
		{"repeated option", []string{"--mode", "a", "--mode", "b", "d"}, nil, "option --mode already seen"},
		{"missing value", []string{"d", "--mode"}, nil, "expected syntax: --mode <string>"},
		{"missing number", []string{"d", "--size"}, nil, "expected syntax: --size <number>"},
		{"value on a flag", []string{"d", "--live=yes"}, nil, "invalid '=' after option --live"},
		{"help", []string{"d", "--help"}, nil, errHelp.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := bind(bindCmd, tt.words, false)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(st.vals, tt.want) {
				t.Errorf("got %q, want %q", st.vals, tt.want)
			}
		})
	}
}

func TestBindExtraData(t *testing.T) {
	cmd := &Command{Name: "dominfo", Opts: []Opt{{Name: "domain", Kind: KindString, Required: true, Positional: true}}}
	if _, err := bind(cmd, []string{"a", "b"}, false); err == nil || err.Error() != "unexpected data 'b'" {
		t.Fatalf("error = %v", err)
	}
}

func TestBindPartial(t *testing.T) {
	st, err := bind(bindCmd, []string{"d", "--mode"}, true)
	if err != nil || st.pending == nil || st.pending.Name != "mode" {
		t.Fatalf("pending = %+v, err %v", st.pending, err)
	}
	st, _ = bind(bindCmd, []string{"d", "--bogus", "--live=x"}, true)
	if st.next == nil || st.next.Name != "size" {
		t.Fatalf("next = %+v", st.next)
	}
}

func TestScaledKiB(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"1024", 1024, true}, {"1k", 1, true}, {"2M", 2048, true}, {"1GiB", 1 << 20, true},
		{"1G", 1 << 20, true}, {"1GB", 976563, true}, {"4096b", 4, true}, {"1b", 1, true},
		{"", 0, false}, {"abc", 0, false}, {"-5", 0, false}, {"5X", 0, false},
		{"99999999999999999999", 0, false}, {"18014398509481984T", 0, false},
		{"1P", 1 << 40, true}, {"8E", 1 << 53, true}, {"15E", 15 << 50, true}, {"16E", 0, false}, {"1Z", 0, false},
		{"18014398509481983", 18014398509481983, true}, {"18014398509481984", 0, false}, {" +2M", 2048, true},
	}
	for _, tt := range tests {
		got, err := parseScaledKiB(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseScaledKiB(%q) = %d, %v; want %d ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestInvocationAccessorsPanicOnUndeclared(t *testing.T) {
	inv := &Invocation{Cmd: bindCmd, vals: map[string][]string{}}
	defer func() {
		if recover() == nil {
			t.Fatal("no panic for an undeclared option")
		}
	}()
	inv.Bool("nosuch")
}
