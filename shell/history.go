package shell

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Like virsh (VIRSH_HISTSIZE, default 500, at most 500000).
const (
	defaultHistSize = 500
	maxHistSize     = 500000
	histSizeEnv     = "XVIRSH_HISTSIZE"
)

// historyPath is $XDG_CACHE_HOME/xvirsh/history, or ~/.cache/xvirsh/history
// when XDG_CACHE_HOME is unset or not absolute (the XDG spec says to ignore
// relative values).
func historyPath(getenv func(string) string) (string, error) {
	dir := getenv("XDG_CACHE_HOME")
	if !filepath.IsAbs(dir) {
		home := getenv("HOME")
		if home == "" {
			return "", errors.New("neither $XDG_CACHE_HOME nor $HOME is set")
		}
		dir = filepath.Join(home, ".cache")
	}
	return filepath.Join(dir, "xvirsh", "history"), nil
}

// historySize reads XVIRSH_HISTSIZE; a bad value gives an error and the
// default size.
func historySize(getenv func(string) string) (int, error) {
	v := getenv(histSizeEnv)
	if v == "" {
		return defaultHistSize, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > maxHistSize {
		return defaultHistSize, fmt.Errorf("Bad $%s value.", histSizeEnv)
	}
	return n, nil
}

// history is the bounded history file. Every line is appended as soon as it
// is entered, not at exit, so that no exit path (go-prompt calls os.Exit on
// SIGTERM) loses it. The file is cut back to the newest max lines whenever
// it has grown by a tenth past the bound, so appends stay cheap.
type history struct {
	path    string
	max     int
	entries []string // newest last, at most max
	inFile  int      // lines in the file as far as we know
}

// loadHistory reads the file; a missing file is an empty history.
func loadHistory(path string, max int) (*history, error) {
	h := &history{path: path, max: max}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return h, nil
	}
	if err != nil {
		return h, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1)
	for sc.Scan() {
		// A line with control characters (an ESC from a key an old
		// version inserted) is not worth recalling.
		if line := sc.Text(); strings.TrimSpace(line) != "" && !hasControl(line) {
			h.entries = append(h.entries, line)
		}
	}
	h.inFile = len(h.entries)
	if len(h.entries) > max {
		h.entries = h.entries[len(h.entries)-max:]
	}
	return h, nil
}

// Entries are the loaded and added lines, oldest first.
func (h *history) Entries() []string { return h.entries }

// Add records a line. Blank lines and a repeat of the previous line are
// not recorded.
func (h *history) Add(line string) error {
	if h.max == 0 || strings.TrimSpace(line) == "" || hasControl(line) {
		return nil
	}
	if n := len(h.entries); n > 0 && h.entries[n-1] == line {
		return nil
	}
	h.entries = append(h.entries, line)
	if len(h.entries) > h.max {
		h.entries = h.entries[len(h.entries)-h.max:]
	}
	if h.inFile+1 > h.max+h.max/10 {
		return h.rewrite()
	}
	if err := os.MkdirAll(filepath.Dir(h.path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(h.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(line + "\n")
	if e := f.Close(); err == nil {
		err = e
	}
	if err == nil {
		h.inFile++
	}
	return err
}

// rewrite replaces the file by the in-memory entries, atomically so that a
// crash never leaves a half-written history.
func (h *history) rewrite() error {
	if err := os.MkdirAll(filepath.Dir(h.path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(h.path), ".history-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriter(tmp)
	for _, e := range h.entries {
		w.WriteString(e)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), h.path); err != nil {
		return err
	}
	h.inFile = len(h.entries)
	return nil
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}
