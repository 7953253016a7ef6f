// Package packtest makes archive bombs for the day pack's tests and the
// import benchmark: zip and tar.gz archives that declare gigabytes of
// zeros in about a kilobyte a mebibyte, made in a blink (the same
// compressed mebibyte repeated) rather than by compressing gigabytes.
package packtest

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"slices"
)

// ZipBomb writes a zip archive holding files and then, for each name in
// bombs, that many MiB of zeros, deflated.
func ZipBomb(w io.Writer, files map[string][]byte, bombs map[string]int) error {
	zw := zip.NewWriter(w)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		f, err := zw.Create(name)
		if err != nil {
			return err
		}
		if _, err := f.Write(files[name]); err != nil {
			return err
		}
	}
	for _, name := range slices.Sorted(maps.Keys(bombs)) {
		size := int64(bombs[name]) << 20
		data := append(deflateZeros(nil, bombs[name]), finalBlock...)
		f, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: zerosCRC(0, size),
			CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(size)})
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			return err
		}
	}
	return zw.Close()
}

// TarGzBomb writes a tar.gz archive holding files and then name, mib MiB
// of zeros.
func TarGzBomb(w io.Writer, files map[string][]byte, name string, mib int) error {
	var head bytes.Buffer
	tw := tar.NewWriter(&head)
	for _, n := range slices.Sorted(maps.Keys(files)) {
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		tw.Write(files[n])
	}
	size := int64(mib) << 20
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: size, Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	tw.Flush()                // the header only: the data are the zeros below
	end := make([]byte, 1024) // the end-of-archive blocks
	var out bytes.Buffer
	out.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	out.Write(deflateZeros(head.Bytes(), mib))
	out.Write([]byte{0, 0x00, 0x04, 0xff, 0xfb}) // a stored block of 1024 bytes
	out.Write(end)
	out.Write(finalBlock)
	total := int64(head.Len()) + size + int64(len(end))
	binary.Write(&out, binary.LittleEndian, zerosCRC(crc32.ChecksumIEEE(head.Bytes()), size+int64(len(end))))
	binary.Write(&out, binary.LittleEndian, uint32(total))
	_, err := w.Write(out.Bytes())
	return err
}

// deflateZeros is a deflate stream, not ended, of head and then mib MiB
// of zeros: after the first, the same compressed MiB, which refers only to
// the zeros before it, repeated.
func deflateZeros(head []byte, mib int) []byte {
	if mib < 1 {
		panic(fmt.Sprintf("packtest: %d MiB of zeros", mib))
	}
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	zero := make([]byte, 1<<20)
	fw.Write(head)
	fw.Write(zero)
	fw.Flush()
	first := buf.Len()
	fw.Write(zero)
	fw.Flush()
	chunk := bytes.Clone(buf.Bytes()[first:])
	out := bytes.Clone(buf.Bytes()[:first])
	for i := 1; i < mib; i++ {
		out = append(out, chunk...)
	}
	return out
}

// finalBlock ends a deflate stream: an empty final block.
var finalBlock = []byte{0x03, 0x00}

// zerosCRC is the CRC-32 of crc's data followed by n zero bytes.
func zerosCRC(crc uint32, n int64) uint32 {
	zero := make([]byte, 1<<20)
	for ; n > 0; n -= int64(len(zero)) {
		crc = crc32.Update(crc, crc32.IEEETable, zero[:min(n, int64(len(zero)))])
	}
	return crc
}
