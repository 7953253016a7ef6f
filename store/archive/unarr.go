package archive

import (
	"errors"
	"fmt"
	"io"
	"unsafe"

	"github.com/gen2brain/go-unarr/unarrc"
)

// The formats read through unarr.
type unarrKind int

const (
	kind7z unarrKind = iota
	kindRAR
)

// unarrArchive is an archive opened by unarr's C core. go-unarr's own
// wrapper crashes on a second Close and opens whatever format it
// recognises first; this one opens only the format asked for, and closes
// once.
type unarrArchive struct {
	stream *unarrc.Stream
	ar     *unarrc.Archive
}

func openUnarrArchive(path string, kind unarrKind) (*unarrArchive, error) {
	s := unarrc.OpenFile(path)
	if s == nil {
		return nil, fmt.Errorf("%w: cannot open %s", ErrFormat, path)
	}
	var ar *unarrc.Archive
	if kind == kind7z {
		ar = unarrc.Open7zArchive(s)
	} else {
		ar = unarrc.OpenRarArchive(s)
	}
	if ar == nil {
		unarrc.Close(s)
		return nil, fmt.Errorf("%w: unarr cannot open it", ErrCorrupt)
	}
	return &unarrArchive{stream: s, ar: ar}, nil
}

// close frees the archive and its stream, once.
func (u *unarrArchive) close() error {
	if u.ar != nil {
		unarrc.CloseArchive(u.ar)
		unarrc.Close(u.stream)
		u.ar, u.stream = nil, nil
	}
	return nil
}

// next moves to the next entry and returns its name, size and offset
// (a RAR entry's header offset, a 7z entry's index).
func (u *unarrArchive) next() (name string, size, off int64, err error) {
	if !unarrc.ParseEntry(u.ar) {
		if unarrc.AtEof(u.ar) {
			return "", 0, 0, io.EOF
		}
		return "", 0, 0, fmt.Errorf("%w: an entry cannot be read", ErrCorrupt)
	}
	// The name as stored, separators turned into "/" but not cleaned: our
	// rules judge it (go-unarr's Name would quietly drop a leading "../").
	name = unarrc.EntryGetName(u.ar)
	return name, int64(unarrc.EntryGetSize(u.ar)), int64(unarrc.EntryGetOffset(u.ar)), nil
}

// listUnarr lists an archive's entries, each described by its format's
// own header (describe fills in the type) and checked.
func listUnarr(path string, kind unarrKind, lim Limits, describe func(off int64, e *Entry) error) ([]Entry, error) {
	u, err := openUnarrArchive(path, kind)
	if err != nil {
		return nil, err
	}
	defer u.close()
	var out []Entry
	c := newChecker(lim)
	for {
		name, size, off, err := u.next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		e := Entry{Name: name, Size: size}
		if err := describe(off, &e); err != nil {
			return nil, err
		}
		if err := c.check(&e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
}

// checkSolid bounds what a decoder that holds whole blocks in memory
// may be asked to decode.
func checkSolid(entries []Entry, solid bool, lim Limits) error {
	if !solid {
		return nil
	}
	var total int64
	for _, e := range entries {
		total += e.Size
	}
	if total > lim.SolidSize {
		return fmt.Errorf("%w: %d bytes, at most %d", ErrSolid, total, lim.SolidSize)
	}
	return nil
}

// unarrReader walks an archive already listed and checked, reading it a
// second time: every entry must be the one listed.
type unarrReader struct {
	u       *unarrArchive
	entries []Entry
	i       int
	left    int64 // bytes of the current entry not yet read
}

func openUnarr(path string, kind unarrKind, entries []Entry) (reader, error) {
	u, err := openUnarrArchive(path, kind)
	if err != nil {
		return nil, err
	}
	return &unarrReader{u: u, entries: entries}, nil
}

func (r *unarrReader) next() (Entry, error) {
	name, size, _, err := r.u.next()
	switch {
	case errors.Is(err, io.EOF) && r.i == len(r.entries):
		return Entry{}, io.EOF
	case errors.Is(err, io.EOF):
		err = fmt.Errorf("%w: fewer entries than listed", ErrCorrupt)
	case err == nil && r.i == len(r.entries):
		err = fmt.Errorf("%w: more entries than listed", ErrCorrupt)
	case err == nil && (name != r.entries[r.i].Name || size != r.entries[r.i].Size):
		err = fmt.Errorf("%w: entries differ from the listing", ErrCorrupt)
	}
	if err != nil {
		return Entry{}, err
	}
	e := r.entries[r.i]
	r.i++
	r.left = e.Size
	return e, nil
}

func (r *unarrReader) open() (io.Reader, error) { return r, nil }

// Read decodes the current entry. unarr's own Read claims to fill the
// whole buffer or fails, and fails when asked past the entry's end: ask
// for what is left, never more.
func (r *unarrReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), r.left, 1<<20))
	if n == 0 {
		return 0, nil
	}
	if !unarrc.EntryUncompress(r.u.ar, unsafe.Pointer(&p[0]), uint(n)) {
		return 0, fmt.Errorf("%w: entry cannot be decoded", ErrCorrupt)
	}
	r.left -= int64(n)
	return n, nil
}

func (r *unarrReader) close() error { return r.u.close() }
