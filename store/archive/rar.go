package archive

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// RAR 4 block types and flags (https://www.rarlab.com/technote.htm).
const (
	rarMainHead = 0x73
	rarFileHead = 0x74

	rarMainVolume   = 0x0001
	rarMainSolid    = 0x0008
	rarMainPassword = 0x0080

	rarFileSplit    = 0x0003 // continued from or in another volume
	rarFilePassword = 0x0004
	rarFileSolid    = 0x0010
	rarFileDir      = 0x00e0
	rarFileLarge    = 0x0100
)

// Host systems of a RAR 4 file header.
const (
	rarHostDOS = iota
	rarHostOS2
	rarHostWin32
	rarHostUnix
	rarHostMac
	rarHostBeOS
)

// rarBlock reads the header of the RAR 4 block at off: at most 64 KiB,
// the largest HEAD_SIZE.
func rarBlock(r io.ReaderAt, off int64) ([]byte, error) {
	var head [7]byte
	if _, err := r.ReadAt(head[:], off); err != nil {
		return nil, fmt.Errorf("%w: RAR block at %d: %v", ErrCorrupt, off, err)
	}
	size := int(binary.LittleEndian.Uint16(head[5:]))
	if size < len(head) {
		return nil, fmt.Errorf("%w: RAR block at %d of %d bytes", ErrCorrupt, off, size)
	}
	b := make([]byte, size)
	if _, err := r.ReadAt(b, off); err != nil {
		return nil, fmt.Errorf("%w: RAR block at %d: %v", ErrCorrupt, off, err)
	}
	return b, nil
}

// rarMain reads the archive header, which follows the 7-byte marker, and
// says whether the archive is solid. Encrypted headers and volumes are
// refused.
func rarMain(r io.ReaderAt) (solid bool, err error) {
	b, err := rarBlock(r, int64(len(rar4Magic)))
	if err != nil {
		return false, err
	}
	flags := binary.LittleEndian.Uint16(b[3:])
	switch {
	case b[2] != rarMainHead:
		return false, fmt.Errorf("%w: no RAR archive header", ErrCorrupt)
	case flags&rarMainPassword != 0:
		return false, fmt.Errorf("%w: encrypted RAR archive", ErrUnsupported)
	case flags&rarMainVolume != 0:
		return false, fmt.Errorf("%w: RAR archive in several volumes", ErrUnsupported)
	}
	return flags&rarMainSolid != 0, nil
}

// rarFile is what a RAR 4 file header says about its entry.
type rarFile struct {
	typ   Type
	size  int64
	solid bool
}

// rarFileAt reads the file header at off (where unarr found an entry).
func rarFileAt(r io.ReaderAt, off int64) (rarFile, error) {
	b, err := rarBlock(r, off)
	if err != nil {
		return rarFile{}, err
	}
	return parseRARFile(b)
}

// parseRARFile reads a file header: HEAD_CRC, HEAD_TYPE, HEAD_FLAGS,
// HEAD_SIZE, PACK_SIZE, UNP_SIZE, HOST_OS, FILE_CRC, FTIME, UNP_VER,
// METHOD, NAME_SIZE, ATTR, [HIGH_PACK_SIZE, HIGH_UNP_SIZE], FILE_NAME.
func parseRARFile(b []byte) (rarFile, error) {
	le := binary.LittleEndian
	if len(b) < 32 || b[2] != rarFileHead {
		return rarFile{}, fmt.Errorf("%w: not a RAR file header", ErrCorrupt)
	}
	flags := le.Uint16(b[3:])
	size := int64(le.Uint32(b[11:]))
	fixed := 32
	if flags&rarFileLarge != 0 {
		fixed += 8
		if len(b) >= fixed {
			size |= int64(le.Uint32(b[36:])) << 32
		}
	}
	if nameLen := int(le.Uint16(b[26:])); len(b) < fixed+nameLen {
		return rarFile{}, fmt.Errorf("%w: RAR file header too short", ErrCorrupt)
	}
	switch {
	case flags&rarFilePassword != 0:
		return rarFile{}, fmt.Errorf("%w: encrypted RAR entry", ErrUnsupported)
	case flags&rarFileSplit != 0:
		return rarFile{}, fmt.Errorf("%w: RAR entry split across volumes", ErrUnsupported)
	}
	f := rarFile{typ: rarType(flags, b[15], le.Uint32(b[28:])), size: size, solid: flags&rarFileSolid != 0}
	return f, nil
}

// rarType tells an entry's kind from its flags, host system and
// attributes: Unix modes for Unix and BeOS, DOS attributes for DOS, OS/2
// and Windows.
func rarType(flags uint16, host byte, attr uint32) Type {
	if flags&rarFileDir == rarFileDir {
		return Dir
	}
	switch host {
	case rarHostUnix, rarHostBeOS:
		return unixType(attr)
	case rarHostDOS, rarHostOS2, rarHostWin32:
		switch {
		case attr&0x10 != 0:
			return Dir
		case attr&0x400 != 0: // a reparse point: a link
			return Symlink
		case attr&0x40 != 0:
			return Device
		}
		return Regular
	}
	return Other
}

// unixType reads the file type bits of a Unix mode.
func unixType(mode uint32) Type {
	switch mode & 0xf000 {
	case 0x8000:
		return Regular
	case 0x4000:
		return Dir
	case 0xa000:
		return Symlink
	case 0x2000, 0x6000:
		return Device
	case 0x1000:
		return FIFO
	}
	return Other
}

func openRAR(path string, lim Limits) (reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	solid, err := rarMain(f)
	if err != nil {
		return nil, err
	}
	describe := func(off int64, e *Entry) error {
		h, err := rarFileAt(f, off)
		if err != nil {
			return err
		}
		if h.size != e.Size {
			return &EntryError{Name: e.Name, Err: fmt.Errorf("%w: sizes disagree", ErrCorrupt)}
		}
		e.Type = h.typ
		solid = solid || h.solid
		return nil
	}
	entries, err := listUnarr(path, kindRAR, lim, describe)
	if err != nil {
		return nil, err
	}
	if err := checkSolid(entries, solid, lim); err != nil {
		return nil, err
	}
	return openUnarr(path, kindRAR, entries)
}
