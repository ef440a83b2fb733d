// Package twlog is the part of github.com/olekukonko/ll that tablewriter
// calls: a logger for its debug trace, off unless the table is built with
// WithDebug(true). It stands in for ll in this copy of tablewriter
// because every program that linked ll ran its init (a default logger, a
// source-line cache) and those of encoding/json, encoding/base64 and
// log/slog, in every xvirsh command, for a trace xvirsh never turns on
// (see ../../FORK.md).
//
// What it keeps of ll's behaviour: a new logger is disabled and writes to
// standard output; a namespace child starts with its parent's enabled
// state and writer, and shares its suspension; a message is written only
// while the logger is enabled and not suspended; Debug and the other
// unformatted calls join their arguments with blanks. A line is
// "[namespace] LEVEL: message".
package twlog

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
)

// Logger writes a line per message while enabled and not suspended.
type Logger struct {
	namespace string
	w         io.Writer
	enabled   bool
	suspended *atomic.Bool // shared with the namespace children
}

// New is a disabled logger for namespace, writing to standard output.
func New(namespace string) *Logger {
	return &Logger{namespace: namespace, w: os.Stdout, suspended: new(atomic.Bool)}
}

// Handler makes l write to w.
func (l *Logger) Handler(w io.Writer) *Logger {
	l.w = w
	return l
}

// Namespace is a child logger for name under l's namespace. A suspended
// logger is its own child, as in ll.
func (l *Logger) Namespace(name string) *Logger {
	if l.suspended.Load() {
		return l
	}
	c := *l
	if c.namespace != "" {
		c.namespace += "/" + name
	} else {
		c.namespace = name
	}
	return &c
}

// Enable turns messages on.
func (l *Logger) Enable() *Logger {
	l.enabled = true
	return l
}

// Disable turns messages off.
func (l *Logger) Disable() *Logger {
	l.enabled = false
	return l
}

// Suspend silences l and its children until Resume.
func (l *Logger) Suspend() *Logger {
	l.suspended.Store(true)
	return l
}

// Resume undoes Suspend.
func (l *Logger) Resume() *Logger {
	l.suspended.Store(false)
	return l
}

// Enabled says whether a message would be written now.
func (l *Logger) Enabled() bool { return l.enabled && !l.suspended.Load() }

func (l *Logger) write(level, msg string) {
	io.WriteString(l.w, "["+l.namespace+"] "+level+": "+strings.TrimRight(msg, "\n")+"\n")
}

// spaced joins args with blanks, as ll's unformatted calls do.
func spaced(args []any) string {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, a)
	}
	return b.String()
}

func (l *Logger) Debug(args ...any) {
	if l.Enabled() {
		l.write("DEBUG", spaced(args))
	}
}

func (l *Logger) Debugf(format string, args ...any) {
	if l.Enabled() {
		l.write("DEBUG", fmt.Sprintf(format, args...))
	}
}

func (l *Logger) Info(args ...any) {
	if l.Enabled() {
		l.write("INFO", spaced(args))
	}
}

func (l *Logger) Infof(format string, args ...any) {
	if l.Enabled() {
		l.write("INFO", fmt.Sprintf(format, args...))
	}
}

func (l *Logger) Warn(args ...any) {
	if l.Enabled() {
		l.write("WARN", spaced(args))
	}
}

func (l *Logger) Warnf(format string, args ...any) {
	if l.Enabled() {
		l.write("WARN", fmt.Sprintf(format, args...))
	}
}

func (l *Logger) Error(args ...any) {
	if l.Enabled() {
		l.write("ERROR", spaced(args))
	}
}

func (l *Logger) Errorf(format string, args ...any) {
	if l.Enabled() {
		l.write("ERROR", fmt.Sprintf(format, args...))
	}
}
