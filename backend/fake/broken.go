package fake

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"xvirsh/backend"
)

// broken is a domain directory whose record cannot be used: unreadable,
// not an S-expression, refused by xend's checks, or at odds with the rest
// of the host (another UUID than its directory's, another domain's name).
// The host leaves it out of every listing and answers for it only by its
// directory's UUID: with an error saying what is wrong, and to undefine,
// which removes it.
type broken struct {
	uuid    string // canonical form of the directory's name
	dir     string // the directory's name as found
	path    string // absolute path of its config.sxp
	problem string
}

// shown is how a message names path: in full for the operator who owns the
// directory; relative to it on a host that serves clients (HidePaths), so
// that nobody learns through xend-sim where the host keeps its files.
func (s *store) shown(path string) string {
	if !s.hidePaths {
		return path
	}
	if rel, err := filepath.Rel(s.dir, path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return filepath.Base(path)
}

// HidePaths makes every message of a host kept in a directory name its
// files relative to that directory, for a host served to clients.
func (h *Host) HidePaths() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.store != nil {
		h.store.hidePaths = true
	}
}

// warnBroken tells the operator about each record left out, whenever the
// host is read: the dispatcher prints each warning once per command, and
// xend-sim once in its life. Warnings reach only the operator running the
// host (a simulator prints them on its own stderr), so they name the file
// in full.
func (h *Host) warnBroken(ctx context.Context) {
	for _, b := range h.broken {
		backend.Warn(ctx, fmt.Sprintf("%s: %s; domain %s is left out (undefine %s removes it)",
			b.path, b.problem, b.uuid, b.uuid))
	}
}

// findBroken resolves ref, a UUID in any spelling, to a broken record.
func (h *Host) findBroken(ref string) *broken {
	u, ok := canonicalUUID(ref)
	if !ok {
		return nil
	}
	for i := range h.broken {
		if h.broken[i].uuid == u {
			return &h.broken[i]
		}
	}
	return nil
}

func (h *Host) brokenError(b *broken) *Error {
	return errorf(backend.ErrBroken, "unreadable domain record %s: %s", h.store.shown(b.path), b.problem)
}

// brokenOp runs op on a broken record: delete removes its directory,
// anything else explains why the domain cannot be used.
func (h *Host) brokenOp(b *broken, op string) error {
	if op != "delete" {
		return h.brokenError(b)
	}
	return h.store.removeDir(b.dir)
}

// refuseBroken keeps a define or create from writing over a record that
// could not be read: what is in it is the operator's to recover or drop.
func (h *Host) refuseBroken(uuid string) error {
	for _, b := range h.broken {
		if b.uuid == uuid {
			return errorf(backend.ErrExists, "VM UUID '%s' already exists as an unreadable domain record %s (%s); undefine it first",
				uuid, h.store.shown(b.path), b.problem)
		}
	}
	return nil
}

// redact rewrites an error of a host that hides its paths so that the
// directory's absolute path appears nowhere in it (an os.PathError names
// the file it failed on), keeping what errors.Is can tell about it.
func (s *store) redact(err error) error {
	msg := err.Error()
	if !strings.Contains(msg, s.dir) {
		return err
	}
	msg = strings.ReplaceAll(msg, s.dir+string(filepath.Separator), "")
	msg = strings.ReplaceAll(msg, s.dir, "the host directory")
	var kind error
	for _, k := range []error{backend.ErrNotFound, backend.ErrExists, backend.ErrInvalidState, backend.ErrUnsupported, backend.ErrBroken, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, k) {
			kind = k
			break
		}
	}
	return &Error{Msg: msg, Kind: kind}
}
