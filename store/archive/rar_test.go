package archive

import (
	"encoding/binary"
	"hash/crc32"
	"os"
	"testing"
)

// rarEntry is one file of a RAR 4 archive made by writeRAR.
type rarEntry struct {
	name, data string
	host       byte
	attr       uint32
	flags      uint16
}

func rarOf(entries ...rarEntry) func(*testing.T, string) {
	return func(t *testing.T, path string) { writeRAR(t, path, false, entries) }
}

// writeRAR writes a RAR 4 archive of stored entries, as RAR 2.9 and later
// write them (https://www.rarlab.com/technote.htm): marker, archive
// header, file headers each followed by its data, end of archive.
func writeRAR(t *testing.T, path string, solid bool, entries []rarEntry) {
	t.Helper()
	if err := os.WriteFile(path, rarBytes(solid, entries), 0o600); err != nil {
		t.Fatal(err)
	}
}

func rarBytes(solid bool, entries []rarEntry) []byte {
	le := binary.LittleEndian
	out := append([]byte{}, rar4Magic...)
	var mainFlags uint16
	if solid {
		mainFlags |= rarMainSolid
	}
	out = append(out, rarHeader(rarMainHead, mainFlags, make([]byte, 6))...)
	for _, e := range entries {
		b := le.AppendUint32(nil, uint32(len(e.data))) // PACK_SIZE
		b = le.AppendUint32(b, uint32(len(e.data)))    // UNP_SIZE
		b = append(b, e.host)
		b = le.AppendUint32(b, crc32.ChecksumIEEE([]byte(e.data)))
		b = le.AppendUint32(b, 0x5b6e0000) // FTIME, DOS format
		b = append(b, 29, 0x30)            // UNP_VER 2.9, METHOD store
		b = le.AppendUint16(b, uint16(len(e.name)))
		b = le.AppendUint32(b, e.attr)
		b = append(b, e.name...)
		out = append(out, rarHeader(rarFileHead, 0x8000|e.flags, b)...)
		out = append(out, e.data...)
	}
	return append(out, rarHeader(0x7b, 0x4000, nil)...)
}

// rarHeader makes a block header: HEAD_CRC, HEAD_TYPE, HEAD_FLAGS,
// HEAD_SIZE, then the rest.
func rarHeader(typ byte, flags uint16, rest []byte) []byte {
	le := binary.LittleEndian
	b := []byte{0, 0, typ}
	b = le.AppendUint16(b, flags)
	b = le.AppendUint16(b, uint16(7+len(rest)))
	b = append(b, rest...)
	le.PutUint16(b, uint16(crc32.ChecksumIEEE(b[2:])))
	return b
}

func TestRARTypes(t *testing.T) {
	for _, tc := range []struct {
		flags uint16
		host  byte
		attr  uint32
		want  Type
	}{
		{0, rarHostUnix, 0o100644, Regular},
		{0, rarHostBeOS, 0o100644, Regular},
		{0, rarHostUnix, 0o40755, Dir},
		{rarFileDir, rarHostUnix, 0o40755, Dir},
		{0, rarHostUnix, 0o120777, Symlink},
		{0, rarHostUnix, 0o20600, Device},
		{0, rarHostUnix, 0o60600, Device},
		{0, rarHostUnix, 0o10600, FIFO},
		{0, rarHostUnix, 0o140600, Other},
		{0, rarHostWin32, 0x20, Regular},
		{0, rarHostDOS, 0x00, Regular},
		{0, rarHostWin32, 0x10, Dir},
		{0, rarHostWin32, 0x420, Symlink},
		{0, rarHostMac, 0x20, Other},
	} {
		if got := rarType(tc.flags, tc.host, tc.attr); got != tc.want {
			t.Errorf("flags %#x host %d attr %o: %s, want %s", tc.flags, tc.host, tc.attr, got, tc.want)
		}
	}
}

// FuzzParseRARFile: any header bytes give an answer or an error, never a
// panic.
func FuzzParseRARFile(f *testing.F) {
	whole := rarBytes(false, []rarEntry{{name: "zi/bookings.jsonl", data: "x", host: rarHostUnix, attr: 0o100644}})
	f.Add(whole[20:])
	f.Add(whole[20:40])
	f.Fuzz(func(t *testing.T, b []byte) {
		parseRARFile(b)
	})
}
