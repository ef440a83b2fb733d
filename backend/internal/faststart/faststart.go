// Package faststart readies a short-lived process in the first init that
// runs after the runtime's. A one-shot xvirsh command is mostly start-up,
// and on the VMs the README's figures come from, what it costs beyond a
// hello-world's is page faults and cold caches more than computing.
// startPopulate (prefault.go) maps the code, the read-only data and the
// heap's next pages in one system call each, beside the other inits when
// a second CPU is there.
//
// The work must come before the other packages' inits, which are most of
// the faults. Go initialises packages in import-path order among those
// whose imports are ready (the spec, "Package initialization", since Go
// 1.21), and this package imports nothing that has an init: hence a module
// of its own, whose path, aaa/..., sorts before every path in Go's library
// and in xvirsh's other modules. The xvirsh binary imports it from main;
// TestFaststartInitRunsFirst in xvirsh's main package holds that order.
package faststart

func init() {
	startPopulate()
}
