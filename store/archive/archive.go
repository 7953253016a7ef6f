// Package archive reads the archives a day pack may come in (zip, tar,
// tar.gz, 7z and RAR4) as streams, without writing anything to disk.
//
// Walk goes through an archive's entries in order and hands each regular
// file to the caller as a stream of at most its declared size. Before a
// byte of an entry is read, its header is checked: only regular files and
// folders are accepted (a symbolic or hard link, a device, a FIFO or
// anything unknown is refused), names must be plain (nothing absolute, no
// "..", no backslash, no control character, no hidden part, no base name
// twice), and the number of entries and their declared sizes must be
// within the Limits. Formats with a central listing (zip, 7z, RAR) are
// checked entirely before the first entry is read.
//
// zip, tar and tar.gz are read with Go's own archive/zip, archive/tar and
// compress/gzip. 7z and RAR4 are read with go-unarr, which this package
// keeps to itself: its archive is closed exactly once, its entries' types
// are read from the archive's own headers (unarr does not tell them), and
// 7z and solid RAR archives, which unarr decodes a whole block at a time,
// must declare at most Limits.SolidSize bytes in all before anything is
// decoded.
package archive

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

// Limits bound what an archive may hold, by its declared sizes.
type Limits struct {
	Entries   int   // entries of any kind, folders included
	Files     int   // regular files
	FileSize  int64 // declared bytes of one file, uncompressed
	TotalSize int64 // declared bytes of all files, uncompressed
	// SolidSize bounds the declared bytes of all files of an archive
	// whose decoder holds a whole block in memory (7z, solid RAR).
	SolidSize int64
}

// Type is the kind of an archive entry, as its header declares it.
type Type int

// The kinds of entries.
const (
	Regular Type = iota
	Dir
	Symlink
	HardLink
	Device
	FIFO
	Other
)

func (t Type) String() string {
	switch t {
	case Regular:
		return "file"
	case Dir:
		return "folder"
	case Symlink:
		return "symbolic link"
	case HardLink:
		return "hard link"
	case Device:
		return "device"
	case FIFO:
		return "FIFO"
	}
	return "special entry"
}

// Entry is one entry of an archive, as its header declares it.
type Entry struct {
	Name string // the name as stored (RAR and 7z separators turned into "/")
	Base string // the name without its folders
	Type Type
	Size int64 // declared bytes, uncompressed
}

// Errors a caller may want to tell apart. Errors about one entry are
// *EntryError, which unwraps to one of these.
var (
	ErrFormat      = errors.New("not an archive Ghișeu can read (zip, 7z, tar, tar.gz or RAR4)")
	ErrRAR5        = errors.New("RAR5 archives cannot be read: use zip, 7z, tar or RAR4")
	ErrUnsupported = errors.New("archive uses a feature Ghișeu cannot read")
	ErrTooLarge    = errors.New("archive too large")
	ErrSolid       = errors.New("7z or solid RAR archive too large to be decoded in memory")
	ErrName        = errors.New("archive entry with an unsafe name")
	ErrDuplicate   = errors.New("archive holds a file name twice")
	ErrType        = errors.New("archive entry that is not a regular file")
	ErrCorrupt     = errors.New("archive is damaged")
)

// EntryError is an error about one entry.
type EntryError struct {
	Name string // the entry's name, as stored
	Type Type
	Err  error // one of the Err values above
}

func (e *EntryError) Error() string {
	if errors.Is(e.Err, ErrType) {
		return fmt.Sprintf("%v: %q is a %s", e.Err, e.Name, e.Type)
	}
	return fmt.Sprintf("%v: %q", e.Err, e.Name)
}

func (e *EntryError) Unwrap() error { return e.Err }

// Walk reads the archive at path and calls fn for every regular file, in
// archive order, with a stream of its data that yields at most its
// declared size; fn need not read it. Folders are skipped. Walk stops at
// the first error, from the archive or from fn, and returns it.
func Walk(path string, lim Limits, fn func(Entry, io.Reader) error) error {
	a, err := open(path, lim)
	if err != nil {
		return err
	}
	defer a.close()
	c := newChecker(lim)
	for {
		e, err := a.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := c.check(&e); err != nil {
			return err
		}
		if e.Type == Dir {
			continue
		}
		r, err := a.open()
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrCorrupt, e.Name, err)
		}
		if err := fn(e, r); err != nil {
			return err
		}
	}
}

// reader is one archive format.
type reader interface {
	next() (Entry, error)     // the next entry; io.EOF after the last
	open() (io.Reader, error) // the current entry's data
	close() error
}

var (
	zipMagic      = []byte("PK\x03\x04")
	zipEmptyMagic = []byte("PK\x05\x06")
	gzipMagic     = []byte{0x1f, 0x8b}
	sevenZipMagic = []byte{'7', 'z', 0xbc, 0xaf, 0x27, 0x1c}
	rar4Magic     = []byte("Rar!\x1a\x07\x00")
	rar5Magic     = []byte("Rar!\x1a\x07\x01\x00")
	tarMagic      = []byte("ustar")
)

// open recognises the format by its first bytes and opens it; formats
// with a listing are checked whole before they are returned.
func open(path string, lim Limits) (reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	f.Close()
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, zipMagic), bytes.HasPrefix(head, zipEmptyMagic):
		return openZip(path, lim)
	case bytes.HasPrefix(head, gzipMagic):
		return openTar(path, true)
	case bytes.HasPrefix(head, sevenZipMagic):
		return open7z(path, lim)
	case bytes.HasPrefix(head, rar5Magic):
		return nil, ErrRAR5
	case bytes.HasPrefix(head, rar4Magic):
		return openRAR(path, lim)
	case len(head) == 512 && bytes.Equal(head[257:262], tarMagic):
		return openTar(path, false)
	}
	return nil, ErrFormat
}

// listAll reads every entry's header, checking them.
func listAll(a reader, lim Limits) ([]Entry, error) {
	var out []Entry
	c := newChecker(lim)
	for {
		e, err := a.next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if err := c.check(&e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
}

// checker applies the rules to entries one after the other.
type checker struct {
	lim            Limits
	entries, files int
	total          int64
	seen           map[string]bool
}

func newChecker(lim Limits) *checker { return &checker{lim: lim, seen: map[string]bool{}} }

// check refuses an entry that breaks a rule and fills in its base name.
func (c *checker) check(e *Entry) error {
	c.entries++
	if c.entries > c.lim.Entries {
		return fmt.Errorf("%w: more than %d entries", ErrTooLarge, c.lim.Entries)
	}
	if e.Type != Regular && e.Type != Dir {
		return &EntryError{Name: e.Name, Type: e.Type, Err: ErrType}
	}
	base, err := safeName(e.Name, e.Type == Dir)
	if err != nil {
		return err
	}
	e.Base = base
	if e.Type == Dir {
		return nil
	}
	c.files++
	c.total += e.Size
	switch {
	case e.Size < 0:
		return &EntryError{Name: e.Name, Err: ErrCorrupt}
	case c.files > c.lim.Files:
		return fmt.Errorf("%w: more than %d files", ErrTooLarge, c.lim.Files)
	case e.Size > c.lim.FileSize:
		return &EntryError{Name: e.Name, Err: fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, e.Size, c.lim.FileSize)}
	case c.total > c.lim.TotalSize:
		return fmt.Errorf("%w: more than %d bytes in all", ErrTooLarge, c.lim.TotalSize)
	case c.seen[base]:
		return &EntryError{Name: e.Name, Err: ErrDuplicate}
	}
	c.seen[base] = true
	return nil
}

// safeName checks a stored name and returns its base name. A name is a
// path of plain parts separated by "/": nothing absolute, no "..", no
// hidden part, no backslash or control character. A folder's name may
// end with "/", and "." stands for the archive's top folder.
func safeName(raw string, dir bool) (string, error) {
	name := raw
	if dir {
		name = strings.TrimSuffix(name, "/")
	}
	bad := name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "\\") ||
		strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f })
	parts := strings.Split(name, "/")
	for i, part := range parts {
		switch {
		case part == "." && (i < len(parts)-1 || dir):
		case part == "", part == ".", part == "..", strings.HasPrefix(part, "."):
			bad = true
		}
	}
	if bad {
		return "", &EntryError{Name: raw, Err: ErrName}
	}
	return path.Base(name), nil
}
