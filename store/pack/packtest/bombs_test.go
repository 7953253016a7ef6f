package packtest

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"testing"
)

// The bombs are real archives: Go's own readers read them whole, with
// every checksum right.
func TestBombsAreArchives(t *testing.T) {
	var z bytes.Buffer
	if err := ZipBomb(&z, map[string][]byte{"a": []byte("x")}, map[string]int{"b": 64}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(z.Bytes()), int64(z.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		rc, _ := f.Open()
		n, err := io.Copy(io.Discard, rc)
		if err != nil || uint64(n) != f.UncompressedSize64 {
			t.Fatalf("zip %s: %d bytes, %v", f.Name, n, err)
		}
	}
	var g bytes.Buffer
	if err := TarGzBomb(&g, map[string][]byte{"a": []byte("x")}, "b", 64); err != nil {
		t.Fatal(err)
	}
	gz, err := gzip.NewReader(&g)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var total int64
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(io.Discard, tr)
		if err != nil || n != h.Size {
			t.Fatalf("tar %s: %d bytes, %v", h.Name, n, err)
		}
		total += n
	}
	if _, err := io.Copy(io.Discard, gz); err != nil { // the gzip trailer: checksum and size
		t.Fatal(err)
	}
	if total != 1+64<<20 {
		t.Fatalf("%d bytes in the tar", total)
	}
}
