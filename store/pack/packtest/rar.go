package packtest

import (
	"encoding/binary"
	"hash/crc32"
)

// RAREntry is one file of a RAR 4 archive made by RAR4.
type RAREntry struct {
	Name, Data string
	Host       byte   // 3 for Unix (Attr a mode), 2 for Windows (Attr DOS attributes)
	Attr       uint32 // 0o100644 for a Unix file, 0o120777 a symbolic link, 0x20 a Windows file
	Flags      uint16 // file header flags: 0xe0 a folder, 0x04 encrypted, 0x10 solid
}

// RAR4 makes a RAR 4 archive of stored entries, as RAR 2.9 and later
// write them (https://www.rarlab.com/technote.htm): the marker, the
// archive header (solid or not), a file header followed by its data for
// each entry, the end of the archive. (RAR itself is not free software;
// tests cannot call it.)
func RAR4(solid bool, entries []RAREntry) []byte {
	le := binary.LittleEndian
	out := []byte("Rar!\x1a\x07\x00")
	var mainFlags uint16
	if solid {
		mainFlags |= 0x0008
	}
	out = append(out, rarHeader(0x73, mainFlags, make([]byte, 6))...)
	for _, e := range entries {
		b := le.AppendUint32(nil, uint32(len(e.Data))) // PACK_SIZE
		b = le.AppendUint32(b, uint32(len(e.Data)))    // UNP_SIZE
		b = append(b, e.Host)
		b = le.AppendUint32(b, crc32.ChecksumIEEE([]byte(e.Data)))
		b = le.AppendUint32(b, 0x5b6e0000) // FTIME, DOS format
		b = append(b, 29, 0x30)            // UNP_VER 2.9, METHOD store
		b = le.AppendUint16(b, uint16(len(e.Name)))
		b = le.AppendUint32(b, e.Attr)
		b = append(b, e.Name...)
		out = append(out, rarHeader(0x74, 0x8000|e.Flags, b)...)
		out = append(out, e.Data...)
	}
	return append(out, rarHeader(0x7b, 0x4000, nil)...)
}

// rarHeader makes a block: HEAD_CRC, HEAD_TYPE, HEAD_FLAGS, HEAD_SIZE,
// then the rest.
func rarHeader(typ byte, flags uint16, rest []byte) []byte {
	le := binary.LittleEndian
	b := []byte{0, 0, typ}
	b = le.AppendUint16(b, flags)
	b = le.AppendUint16(b, uint16(7+len(rest)))
	b = append(b, rest...)
	le.PutUint16(b, uint16(crc32.ChecksumIEEE(b[2:])))
	return b
}
