package archive

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// tarReader reads a tar or tar.gz archive with archive/tar, one entry
// after the other: each header is checked before its data is read.
type tarReader struct {
	f  *os.File
	tr *tar.Reader
}

func openTar(path string, gzipped bool) (reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	var r io.Reader = f // a plain file lets archive/tar seek past data
	if gzipped {
		zr, err := gzip.NewReader(bufio.NewReaderSize(f, 64<<10))
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		r = zr
	}
	return &tarReader{f: f, tr: tar.NewReader(r)}, nil
}

func (t *tarReader) next() (Entry, error) {
	h, err := t.tr.Next()
	switch {
	case errors.Is(err, io.EOF):
		return Entry{}, io.EOF
	case errors.Is(err, tar.ErrInsecurePath):
		// our own rules judge the name
	case err != nil:
		return Entry{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return Entry{Name: h.Name, Type: tarType(h), Size: h.Size}, nil
}

func tarType(h *tar.Header) Type {
	for k := range h.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return Other // a sparse file, holes and all
		}
	}
	switch h.Typeflag {
	case tar.TypeReg:
		return Regular
	case tar.TypeDir:
		if h.Size != 0 {
			return Other
		}
		return Dir
	case tar.TypeXGlobalHeader:
		// archive-wide PAX records (git archive writes a comment): metadata,
		// no file, skipped like a folder.
		return Dir
	case tar.TypeSymlink:
		return Symlink
	case tar.TypeLink:
		return HardLink
	case tar.TypeChar, tar.TypeBlock:
		return Device
	case tar.TypeFifo:
		return FIFO
	}
	return Other // sparse, contiguous, GNU volume headers, unknown
}

func (t *tarReader) open() (io.Reader, error) { return tarData{t.tr}, nil }

// tarData names archive/tar's and gzip's errors as damage.
type tarData struct{ r io.Reader }

func (d tarData) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return n, err
}

func (t *tarReader) close() error { return t.f.Close() }
