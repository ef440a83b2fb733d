// Package xendrules holds xend's own rules, once: the shape of the records
// it serves, its state flags, the UUID forms it accepts, the form fields of
// each operation, its size limits and its error texts
// (../shared/spec/xend-protocol.md). The fake host, the simulator and the
// client all read them from here, so that none of the three can drift from
// xend on its own.
package xendrules
