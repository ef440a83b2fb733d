package xendsim

import (
	"reflect"
	"testing"
)

// TestParseQS: the three ways libvirt encoded a body over the years, and
// Python 2 parse_qs's own rules, decode as xend decoded them (spec §1.3).
func TestParseQS(t *testing.T) {
	tests := []struct {
		name, in string
		want     form
	}{
		{"libvirt 2014, all encoded", "op=create&config=%28vm%20%28name%20%27a%20b%27%29%29",
			form{"op": {"create"}, "config": {"(vm (name 'a b'))"}}},
		{"libvirt 2010, raw", "op=new&config=(vm (name 'a b') (args 'x=1'))",
			form{"op": {"new"}, "config": {"(vm (name 'a b') (args 'x=1'))"}}},
		{"libvirt 2010 create, spaces and newlines", "op=create&config=(vm%20(name%20x))%0a",
			form{"op": {"create"}, "config": {"(vm (name x))\n"}}},
		{"plus is a space", "reason=a+b", form{"reason": {"a b"}}},
		{"semicolon splits", "op=dump;live=0;live=1", form{"op": {"dump"}, "live": {"0", "1"}}},
		{"blank kept", "op=start&paused=", form{"op": {"start"}, "paused": {""}}},
		{"no equals", "op=start&flag", form{"op": {"start"}, "flag": {""}}},
		{"empty pairs skipped", "&&op=pause&", form{"op": {"pause"}}},
		{"bad escapes kept", "x=100%&y=%zz%4", form{"x": {"100%"}, "y": {"%zz%4"}}},
		{"lower and upper hex", "x=%2f%2F", form{"x": {"//"}}},
		{"encoded key", "c%6Fnfig=1", form{"config": {"1"}}},
		{"value with equals", "args=root%3D/dev/sda=1", form{"args": {"root=/dev/sda=1"}}},
	}
	for _, tt := range tests {
		got := form{}
		parseQS(tt.in, got)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: parseQS(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func FuzzParseQS(f *testing.F) {
	for _, s := range []string{"op=create&config=%28vm%29", "a;b=c&&=", "%", "%%41"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := form{}
		parseQS(s, got)
		for k, vs := range got {
			if len(vs) == 0 {
				t.Fatalf("key %q with no values", k)
			}
		}
	})
}
