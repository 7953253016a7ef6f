// Package archive unpacks the archives a day pack may come in (zip, 7z,
// tar, RAR4 through go-unarr, and tar.gz) safely: names that try to escape,
// too many entries and entries too large are refused before anything is
// read, entries are streamed to disk in bounded chunks, and every entry's
// SHA-256 is computed on the way so that the caller can catch what unarr
// does not report (CRC failures, undecodable 7z PPMd data).
package archive

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/gen2brain/go-unarr"
)

// Limits bound what an archive may hold.
type Limits struct {
	Entries   int   // how many files
	EntrySize int64 // bytes of one file, uncompressed
	TotalSize int64 // bytes of all files, uncompressed
}

// Entry is one unpacked file.
type Entry struct {
	Name   string // the name in the archive, cleaned
	Path   string // where it was written
	Size   int64
	SHA256 string // hex
}

// Errors a caller may want to tell apart.
var (
	ErrFormat   = errors.New("not an archive Ghișeu can read (zip, 7z, tar, tar.gz or RAR4)")
	ErrRAR5     = errors.New("RAR5 archives cannot be read: use zip, 7z, tar or RAR4")
	ErrTooLarge = errors.New("archive too large")
	ErrName     = errors.New("archive entry with an unsafe name")
	ErrCorrupt  = errors.New("archive is damaged")
)

var (
	gzipMagic = []byte{0x1f, 0x8b}
	rar5Magic = []byte("Rar!\x1a\x07\x01\x00")
)

// Unpack writes the files of the archive at src into dir (which must exist
// and be empty) and returns them in archive order. Folders in the archive
// are ignored; a file's name is its base name.
func Unpack(src, dir string, lim Limits) ([]Entry, error) {
	head := make([]byte, 8)
	f, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	n, _ := io.ReadFull(f, head)
	f.Close()
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, rar5Magic):
		return nil, ErrRAR5
	case bytes.HasPrefix(head, gzipMagic):
		tarPath := filepath.Join(dir, ".unpacked.tar")
		if err := gunzip(src, tarPath, lim.TotalSize+lim.TotalSize/8+1<<20); err != nil {
			return nil, err
		}
		defer os.Remove(tarPath)
		src = tarPath
	}
	a, err := unarr.NewArchive(src)
	if err != nil {
		return nil, ErrFormat
	}
	defer a.Close() // once: a second Close crashes unarr
	return unpack(a, dir, lim)
}

// gunzip decompresses src to dst, refusing more than max bytes.
func gunzip(src, dst string, max int64) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	n, err := io.Copy(out, io.LimitReader(zr, max+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	case n > max:
		return fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)
	}
	return nil
}

func unpack(a *unarr.Archive, dir string, lim Limits) ([]Entry, error) {
	var out []Entry
	var total int64
	seen := map[string]bool{}
	for {
		err := a.Entry()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		// Name() quietly rewrites unsafe names; the raw name (zip only)
		// lets us refuse them instead. Either way only a base name is
		// ever written, inside dir.
		raw := a.RawName()
		if raw == "" {
			raw = a.Name()
		}
		if a.Size() == 0 && (strings.HasSuffix(raw, "/") || path.Base(raw) == ".") {
			continue // a folder
		}
		name, err := safeName(raw)
		if err != nil {
			return nil, err
		}
		size := int64(a.Size())
		total += size
		switch {
		case len(out) >= lim.Entries:
			return nil, fmt.Errorf("%w: more than %d files", ErrTooLarge, lim.Entries)
		case size > lim.EntrySize:
			return nil, fmt.Errorf("%w: %s holds %d bytes, at most %d", ErrTooLarge, name, size, lim.EntrySize)
		case total > lim.TotalSize:
			return nil, fmt.Errorf("%w: more than %d bytes in all", ErrTooLarge, lim.TotalSize)
		case seen[name]:
			return nil, fmt.Errorf("%w: %s twice", ErrName, name)
		}
		seen[name] = true
		e, err := write(a, filepath.Join(dir, name), size)
		if err != nil {
			return nil, fmt.Errorf("unpack %s: %w", name, err)
		}
		e.Name = name
		out = append(out, e)
	}
}

// safeName accepts a plain file name, possibly inside a folder; anything
// absolute, with "..", a backslash or control characters is refused.
func safeName(raw string) (string, error) {
	bad := raw == "" || strings.HasPrefix(raw, "/") || strings.Contains(raw, "\\") ||
		strings.ContainsFunc(raw, func(r rune) bool { return r < 0x20 || r == 0x7f })
	for _, part := range strings.Split(raw, "/") {
		bad = bad || part == ".."
	}
	name := path.Base(raw)
	if bad || name == "." || name == "/" || strings.HasPrefix(name, ".") {
		return "", fmt.Errorf("%w: %q", ErrName, raw)
	}
	return name, nil
}

// write streams the current entry, exactly size bytes, to path.
func write(a *unarr.Archive, path string, size int64) (Entry, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return Entry{}, err
	}
	defer f.Close()
	h := sha256.New()
	w := io.MultiWriter(f, h)
	buf := make([]byte, 256<<10)
	for left := size; left > 0; {
		chunk := buf[:min(int64(len(buf)), left)]
		// unarr's Read claims len(chunk) bytes or fails: ask for exactly
		// what is left of the entry.
		if _, err := a.Read(chunk); err != nil {
			return Entry{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		if _, err := w.Write(chunk); err != nil {
			return Entry{}, err
		}
		left -= int64(len(chunk))
	}
	if err := f.Close(); err != nil {
		return Entry{}, err
	}
	return Entry{Path: path, Size: size, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}
