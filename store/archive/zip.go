package archive

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// zipDirectoryMax bounds the bytes archive/zip may read to find and load
// the central directory: its memory grows with the number of entries it
// lists, and a pack has only a few.
const zipDirectoryMax = 1 << 20

// zipReader reads a zip archive with archive/zip.
type zipReader struct {
	f     *os.File
	files []*zip.File
	i     int
	rc    io.ReadCloser // the current entry's data, if opened
}

func openZip(path string, lim Limits) (reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	counted := &boundedReaderAt{r: f, left: zipDirectoryMax}
	zr, err := zip.NewReader(counted, st.Size())
	over := counted.left < 0
	counted.left = 1 << 62 // entries' data are bounded by their own sizes
	switch {
	case over:
		err = fmt.Errorf("%w: the zip directory is larger than %d bytes", ErrTooLarge, zipDirectoryMax)
	case errors.Is(err, zip.ErrInsecurePath):
		err = nil // our own rules judge every name below
	case err != nil:
		err = fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	z := &zipReader{f: f, files: zr.File}
	// The whole listing is checked before anything is read.
	if _, err := listAll(z, lim); err != nil {
		f.Close()
		return nil, err
	}
	z.i = 0
	return z, nil
}

func (z *zipReader) next() (Entry, error) {
	z.closeEntry()
	if z.i >= len(z.files) {
		return Entry{}, io.EOF
	}
	f := z.files[z.i]
	z.i++
	if f.Flags&0x1 != 0 {
		return Entry{}, &EntryError{Name: f.Name, Err: fmt.Errorf("%w: encrypted", ErrUnsupported)}
	}
	if f.UncompressedSize64 > 1<<62 {
		return Entry{}, &EntryError{Name: f.Name, Err: ErrCorrupt}
	}
	return Entry{Name: f.Name, Type: zipType(f), Size: int64(f.UncompressedSize64)}, nil
}

func zipType(f *zip.File) Type {
	m := f.Mode()
	switch {
	case m&fs.ModeSymlink != 0:
		return Symlink
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return Device
	case m&fs.ModeNamedPipe != 0:
		return FIFO
	case m&(fs.ModeSocket|fs.ModeIrregular) != 0:
		return Other
	case m.IsDir() || strings.HasSuffix(f.Name, "/"):
		if f.UncompressedSize64 != 0 {
			return Other // a folder with data
		}
		return Dir
	}
	return Regular
}

func (z *zipReader) open() (io.Reader, error) {
	f := z.files[z.i-1]
	if f.Method != zip.Store && f.Method != zip.Deflate {
		return nil, &EntryError{Name: f.Name, Err: fmt.Errorf("%w: compression method %d", ErrUnsupported, f.Method)}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	z.rc = rc
	// archive/zip refuses more bytes than declared, and checks the CRC
	// when the end is reached.
	return zipData{rc}, nil
}

func (z *zipReader) closeEntry() {
	if z.rc != nil {
		z.rc.Close()
		z.rc = nil
	}
}

// zipData names archive/zip's errors as damage.
type zipData struct{ r io.Reader }

func (z zipData) Read(p []byte) (int, error) {
	n, err := z.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return n, err
}

func (z *zipReader) close() error {
	z.closeEntry()
	return z.f.Close()
}

// boundedReaderAt fails once more than left bytes were asked of it.
type boundedReaderAt struct {
	r    io.ReaderAt
	left int64
}

func (b *boundedReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if b.left < 0 {
		return 0, ErrTooLarge
	}
	b.left -= int64(len(p))
	if b.left < 0 {
		return 0, ErrTooLarge
	}
	return b.r.ReadAt(p, off)
}
