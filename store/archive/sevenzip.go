package archive

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"runtime"
	"unsafe"

	"github.com/gen2brain/go-unarr/unarrc"
)

// unarr reads a 7z archive with the LZMA SDK, which allocates what the
// headers declare: the header itself, each folder's output (a folder is
// decoded whole, into memory, as soon as any of its files is read), the
// BCJ2 filter's intermediate streams and the PPMd model. So before unarr
// sees a 7z archive, its headers are read here and every such size
// bounded: the header to sevenHeaderMax (an encoded header, which 7-Zip
// writes by default, is decoded by unarr from a small archive made of its
// own packed stream, after its sizes were checked), and each folder's
// declared sizes to Limits.SolidSize. The header also gives each file's
// attributes, hence its type, which unarr does not tell.

// sevenHeaderMax bounds a 7z header, packed and unpacked, and what
// decoding it may allocate.
const sevenHeaderMax = 1 << 20

// sevenFilesMax bounds the files a 7z header may list.
const sevenFilesMax = 4096

// 7z property IDs.
const (
	szEnd                   = 0x00
	szHeader                = 0x01
	szArchiveProperties     = 0x02
	szAdditionalStreamsInfo = 0x03
	szMainStreamsInfo       = 0x04
	szFilesInfo             = 0x05
	szPackInfo              = 0x06
	szUnpackInfo            = 0x07
	szSubStreamsInfo        = 0x08
	szSize                  = 0x09
	szCRC                   = 0x0a
	szFolder                = 0x0b
	szCodersUnpackSize      = 0x0c
	szNumUnpackStream       = 0x0d
	szEmptyStream           = 0x0e
	szEmptyFile             = 0x0f
	szAnti                  = 0x10
	szName                  = 0x11
	szWinAttributes         = 0x15
	szEncodedHeader         = 0x17
	szDummy                 = 0x19 // padding, perhaps several times
)

// sevenPPMd is the method ID of PPMd, whose props carry its model size.
const sevenPPMd = 0x030401

func open7z(path string, lim Limits) (reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	header, err := read7zHeader(f)
	f.Close()
	if err != nil {
		return nil, err
	}
	files, err := parse7zHeader(header, lim.SolidSize)
	if err != nil {
		return nil, err
	}
	describe := func(index int64, e *Entry) error {
		if index < 0 || index >= int64(len(files)) {
			return &EntryError{Name: e.Name, Err: fmt.Errorf("%w: entry %d not in the header", ErrCorrupt, index)}
		}
		e.Type = files[index]
		return nil
	}
	entries, err := listUnarr(path, kind7z, lim, describe)
	if err != nil {
		return nil, err
	}
	if err := checkSolid(entries, true, lim); err != nil {
		return nil, err
	}
	return openUnarr(path, kind7z, entries)
}

// read7zHeader returns the archive's header, decoded if it is encoded;
// nil for an archive without one (no files).
func read7zHeader(f *os.File) ([]byte, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	var sig [32]byte
	if _, err := f.ReadAt(sig[:], 0); err != nil {
		return nil, fmt.Errorf("%w: 7z signature header: %v", ErrCorrupt, err)
	}
	le := binary.LittleEndian
	off, size := le.Uint64(sig[12:]), le.Uint64(sig[20:])
	switch {
	case crc32.ChecksumIEEE(sig[12:32]) != le.Uint32(sig[8:]):
		return nil, fmt.Errorf("%w: 7z signature header", ErrCorrupt)
	case size == 0:
		return nil, nil
	case size > sevenHeaderMax:
		return nil, fmt.Errorf("%w: 7z header of %d bytes", ErrTooLarge, size)
	case off > uint64(st.Size()) || uint64(st.Size())-off < 32+size:
		return nil, fmt.Errorf("%w: 7z header past the end", ErrCorrupt)
	}
	b := make([]byte, size)
	if _, err := f.ReadAt(b, int64(32+off)); err != nil {
		return nil, fmt.Errorf("%w: 7z header: %v", ErrCorrupt, err)
	}
	if crc32.ChecksumIEEE(b) != le.Uint32(sig[28:]) {
		return nil, fmt.Errorf("%w: 7z header checksum", ErrCorrupt)
	}
	if b[0] != szEncodedHeader {
		return b, nil
	}
	return decode7zHeader(f, b[1:])
}

// szReader reads 7z header data; every read is bounds-checked.
type szReader struct {
	b   []byte
	err error
}

var errSzShort = fmt.Errorf("%w: 7z header cut short", ErrCorrupt)

func (r *szReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *szReader) byte() byte {
	if len(r.b) == 0 {
		r.fail(errSzShort)
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *szReader) bytes(n uint64) []byte {
	if uint64(len(r.b)) < n {
		r.fail(errSzShort)
		r.b = nil
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *szReader) uint32() uint32 {
	if b := r.bytes(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

// number reads 7z's variable-length integer: the first byte's leading
// ones count the bytes that follow.
func (r *szReader) number() uint64 {
	first := r.byte()
	var v uint64
	mask := byte(0x80)
	for i := 0; i < 8; i++ {
		if first&mask == 0 {
			return v | uint64(first&(mask-1))<<(8*i)
		}
		v |= uint64(r.byte()) << (8 * i)
		mask >>= 1
	}
	return v
}

// count reads a number that counts things, at most max of them.
func (r *szReader) count(max uint64) int {
	n := r.number()
	if n > max {
		r.fail(fmt.Errorf("%w: 7z header counts %d items, at most %d", ErrUnsupported, n, max))
		return 0
	}
	return int(n)
}

// bits reads a bit vector of n items.
func (r *szReader) bits(n int) []bool {
	raw := r.bytes(uint64(n+7) / 8)
	if raw == nil {
		return nil
	}
	out := make([]bool, n)
	for i := range out {
		out[i] = raw[i/8]&(0x80>>(i%8)) != 0
	}
	return out
}

// once fails when a record's property comes twice.
func (r *szReader) once(seen map[uint64]bool, id uint64) {
	if seen[id] && id != szDummy {
		r.fail(fmt.Errorf("%w: 7z property %#x twice", ErrCorrupt, id))
	}
	seen[id] = true
}

// defined reads "all defined" or a bit vector.
func (r *szReader) defined(n int) []bool {
	if r.byte() != 0 {
		out := make([]bool, n)
		for i := range out {
			out[i] = true
		}
		return out
	}
	return r.bits(n)
}

// digests skips n CRCs, some of them perhaps undefined.
func (r *szReader) digests(n int) {
	for _, d := range r.defined(n) {
		if d {
			r.bytes(4)
		}
	}
}

// skipData skips a property: its size, then its bytes.
func (r *szReader) skipData() { r.bytes(r.number()) }

// sevenFolder is one folder: its coders and their declared output sizes.
type sevenFolder struct {
	raw         []byte   // the folder's record, as stored
	coders      int      // each has one output (the SDK accepts no other)
	packStreams int      // inputs read from the archive
	sizes       []uint64 // each coder's output
	ppmd        uint64   // bytes of PPMd model its coders ask for
	crc         bool     // the folder's output has a checksum
}

// cost is what decoding the folder may allocate: every coder's output
// (the folder's own, BCJ2's intermediate streams) and the PPMd models.
func (f sevenFolder) cost() uint64 {
	total := f.ppmd
	for _, s := range f.sizes {
		total += min(s, 1<<62)
	}
	return total
}

// sevenStreams is a StreamsInfo record.
type sevenStreams struct {
	packPos   uint64
	packSizes []uint64
	folders   []sevenFolder
}

func (r *szReader) folder() sevenFolder {
	start := r.b
	f := sevenFolder{coders: r.count(4)}
	if f.coders == 0 {
		r.fail(fmt.Errorf("%w: 7z folder without coders", ErrCorrupt))
	}
	inStreams := 0
	for i := 0; i < f.coders && r.err == nil; i++ {
		flags := r.byte()
		if flags&0xc0 != 0 {
			r.fail(fmt.Errorf("%w: 7z coder flags %#x", ErrUnsupported, flags))
		}
		id := r.bytes(uint64(flags & 0x0f))
		in := 1
		if flags&0x10 != 0 {
			in = r.count(4)
			if r.number() != 1 {
				r.fail(fmt.Errorf("%w: 7z coder with several outputs", ErrUnsupported))
			}
		}
		inStreams += in
		var props []byte
		if flags&0x20 != 0 {
			props = r.bytes(r.number())
		}
		if methodID(id) == sevenPPMd && len(props) >= 5 {
			f.ppmd += uint64(binary.LittleEndian.Uint32(props[1:]))
		}
	}
	bonds := f.coders - 1
	for i := 0; i < bonds; i++ {
		r.number() // in index
		r.number() // out index
	}
	f.packStreams = inStreams - bonds
	if f.packStreams < 1 {
		r.fail(fmt.Errorf("%w: 7z folder without input", ErrCorrupt))
	}
	if f.packStreams > 1 {
		for i := 0; i < f.packStreams; i++ {
			r.number()
		}
	}
	if r.err == nil {
		f.raw = start[:len(start)-len(r.b)]
	}
	return f
}

func methodID(id []byte) uint64 {
	var v uint64
	for _, c := range id {
		v = v<<8 | uint64(c)
	}
	return v
}

// streams reads a StreamsInfo record (its ID already read).
func (r *szReader) streams() sevenStreams {
	var s sevenStreams
	id := r.number()
	if id == szPackInfo {
		s.packPos = r.number()
		n := r.count(sevenFilesMax)
		seen := map[uint64]bool{}
		for id = r.number(); id != szEnd && r.err == nil; id = r.number() {
			r.once(seen, id)
			switch id {
			case szSize:
				for i := 0; i < n; i++ {
					s.packSizes = append(s.packSizes, r.number())
				}
			case szCRC:
				r.digests(n)
			default:
				r.skipData()
			}
		}
		if len(s.packSizes) != n {
			r.fail(fmt.Errorf("%w: 7z pack sizes missing", ErrCorrupt))
		}
		id = r.number()
	}
	if id == szUnpackInfo {
		s.folders = r.unpackInfo()
		id = r.number()
	}
	if id == szSubStreamsInfo {
		r.subStreams(s.folders)
		id = r.number()
	}
	if id != szEnd {
		r.fail(fmt.Errorf("%w: 7z streams record", ErrCorrupt))
	}
	return s
}

func (r *szReader) unpackInfo() []sevenFolder {
	if r.number() != szFolder {
		r.fail(fmt.Errorf("%w: 7z folders record", ErrCorrupt))
		return nil
	}
	folders := make([]sevenFolder, r.count(sevenFilesMax))
	if r.byte() != 0 {
		r.fail(fmt.Errorf("%w: 7z folders stored elsewhere", ErrUnsupported))
		return nil
	}
	for i := range folders {
		if folders[i] = r.folder(); r.err != nil {
			return nil
		}
	}
	if r.number() != szCodersUnpackSize {
		r.fail(fmt.Errorf("%w: 7z folder sizes missing", ErrCorrupt))
	}
	for i := range folders {
		for j := 0; j < folders[i].coders; j++ {
			folders[i].sizes = append(folders[i].sizes, r.number())
		}
	}
	seen := map[uint64]bool{}
	for id := r.number(); id != szEnd && r.err == nil; id = r.number() {
		r.once(seen, id)
		if id != szCRC {
			r.skipData()
			continue
		}
		for i, d := range r.defined(len(folders)) {
			if d {
				r.bytes(4)
				folders[i].crc = true
			}
		}
	}
	return folders
}

// subStreams skips a SubStreamsInfo record, as the LZMA SDK reads it.
func (r *szReader) subStreams(folders []sevenFolder) {
	n := make([]uint64, len(folders))
	for i := range n {
		n[i] = 1
	}
	id := r.number()
	seen := map[uint64]bool{}
	for ; id != szCRC && id != szSize && id != szEnd && r.err == nil; id = r.number() {
		r.once(seen, id)
		if id != szNumUnpackStream {
			r.skipData()
			continue
		}
		for i := range n {
			n[i] = uint64(r.count(sevenFilesMax))
		}
	}
	if id == szSize {
		for _, k := range n {
			for j := uint64(1); j < k && r.err == nil; j++ {
				r.number()
			}
		}
		id = r.number()
	}
	// One checksum a stream, except a folder's only stream when the
	// folder has its own.
	digests := 0
	for i, k := range n {
		if k != 1 || !folders[i].crc {
			digests += int(k)
		}
	}
	if digests > sevenFilesMax {
		r.fail(fmt.Errorf("%w: 7z archive of more than %d streams", ErrUnsupported, sevenFilesMax))
	}
	for ; id != szEnd && r.err == nil; id = r.number() {
		r.once(seen, id)
		if id == szCRC {
			r.digests(digests)
		} else {
			r.skipData()
		}
	}
}

// parse7zHeader reads a plain header (kHeader): every folder's declared
// cost must be within maxCost; it returns each file's type, by index.
func parse7zHeader(b []byte, maxCost int64) ([]Type, error) {
	if b == nil {
		return nil, nil
	}
	r := &szReader{b: b}
	if r.number() != szHeader {
		return nil, fmt.Errorf("%w: no 7z header", ErrCorrupt)
	}
	id := r.number()
	if id == szArchiveProperties {
		for id = r.number(); id != szEnd && r.err == nil; id = r.number() {
			r.skipData()
		}
		id = r.number()
	}
	if id == szAdditionalStreamsInfo {
		return nil, fmt.Errorf("%w: 7z additional streams", ErrUnsupported)
	}
	if id == szMainStreamsInfo {
		s := r.streams()
		for _, f := range s.folders {
			if f.cost() > uint64(maxCost) {
				return nil, fmt.Errorf("%w: a 7z folder declares %d bytes, at most %d", ErrSolid, f.cost(), maxCost)
			}
		}
		id = r.number()
	}
	var types []Type
	if id == szFilesInfo {
		types = r.files()
		id = r.number()
	}
	if r.err == nil && id != szEnd {
		r.fail(fmt.Errorf("%w: 7z header record %#x", ErrCorrupt, id))
	}
	return types, r.err
}

// files reads a FilesInfo record into each file's type.
func (r *szReader) files() []Type {
	n := r.count(sevenFilesMax)
	var emptyStream, emptyFile, anti []bool
	attrs := make([]uint32, n)
	hasAttr := make([]bool, n)
	seen := map[uint64]bool{}
	for id := r.number(); id != szEnd && r.err == nil; id = r.number() {
		r.once(seen, id)
		size := r.number()
		if size > uint64(len(r.b)) {
			r.fail(errSzShort)
			break
		}
		p := &szReader{b: r.bytes(size)}
		switch id {
		case szEmptyStream:
			emptyStream = p.bits(n)
		case szEmptyFile:
			emptyFile = p.bits(countTrue(emptyStream))
		case szAnti:
			anti = p.bits(countTrue(emptyStream))
		case szWinAttributes:
			if hasAttr = p.defined(n); hasAttr == nil {
				hasAttr = make([]bool, n)
			}
			if p.byte() != 0 {
				p.fail(fmt.Errorf("%w: 7z attributes stored elsewhere", ErrUnsupported))
			}
			for i := range attrs {
				if hasAttr[i] {
					attrs[i] = p.uint32()
				}
			}
		case szName:
			if p.byte() != 0 {
				p.fail(fmt.Errorf("%w: 7z names stored elsewhere", ErrUnsupported))
			}
		}
		r.fail(p.err)
	}
	types := make([]Type, n)
	empty := 0 // index among the files without a stream
	for i := range types {
		dir, isAnti := false, false
		if i < len(emptyStream) && emptyStream[i] {
			dir = empty >= len(emptyFile) || !emptyFile[empty]
			isAnti = empty < len(anti) && anti[empty]
			empty++
		}
		types[i] = sevenType(dir, isAnti, hasAttr[i], attrs[i])
	}
	return types
}

// sevenType tells a file's kind from its header: the SDK calls a file
// without a stream and not marked empty a folder; 7-Zip keeps Unix modes
// in the high 16 bits of the attributes (flag 0x8000), Windows attributes
// in the low ones. Attributes that contradict the rest make it Other.
func sevenType(dir, anti, hasAttr bool, attr uint32) Type {
	t := Regular
	if dir {
		t = Dir
	}
	switch {
	case anti:
		return Other // deletes a file when extracted as an update
	case !hasAttr:
		return t
	case attr&0x400 != 0:
		return Symlink // a reparse point
	case attr&0x10 != 0 && t != Dir:
		return Other // a folder by its attributes, with data or marked empty
	case attr&0x8000 != 0 && attr>>16 != 0:
		if u := unixType(attr >> 16); u != t {
			if u == Regular || u == Dir {
				return Other
			}
			return u
		}
	}
	return t
}

func countTrue(v []bool) int {
	n := 0
	for _, b := range v {
		if b {
			n++
		}
	}
	return n
}

// decode7zHeader decodes an encoded header (b is its StreamsInfo) after
// bounding it: one folder of one packed stream, whose declared cost is
// within sevenHeaderMax. unarr decodes it as the only file of a small 7z
// archive made in memory of the packed stream and a plain header listing
// it, so that the SDK's own decoders (and checksums) are used.
func decode7zHeader(f *os.File, b []byte) ([]byte, error) {
	r := &szReader{b: b}
	s := r.streams()
	switch {
	case r.err != nil:
		return nil, r.err
	case len(s.folders) != 1 || len(s.packSizes) != 1 || s.folders[0].packStreams != 1:
		return nil, fmt.Errorf("%w: 7z header in several streams", ErrUnsupported)
	case s.folders[0].cost() > sevenHeaderMax || s.packSizes[0] > sevenHeaderMax:
		return nil, fmt.Errorf("%w: 7z header declares %d bytes", ErrTooLarge, s.folders[0].cost())
	case s.packPos > 1<<62:
		return nil, fmt.Errorf("%w: 7z header past the end", ErrCorrupt)
	}
	packed := make([]byte, s.packSizes[0])
	if _, err := f.ReadAt(packed, int64(32+s.packPos)); err != nil {
		return nil, fmt.Errorf("%w: 7z header: %v", ErrCorrupt, err)
	}
	folder := s.folders[0]
	// The folder's output is the one coder output no other coder takes:
	// with one coder, its only one; the SDK finds it the same way.
	size := folder.sizes[len(folder.sizes)-1]
	if folder.coders > 1 {
		return nil, fmt.Errorf("%w: 7z header with several coders", ErrUnsupported)
	}
	return unpackMemory(small7z(packed, folder), size)
}

// small7z makes a 7z archive of one file, "h", whose packed data and
// folder are given.
func small7z(packed []byte, folder sevenFolder) []byte {
	h := []byte{szHeader, szMainStreamsInfo, szPackInfo, 0, 1, szSize}
	h = put7zNumber(h, uint64(len(packed)))
	h = append(h, szEnd, szUnpackInfo, szFolder, 1, 0)
	h = append(h, folder.raw...)
	h = append(h, szCodersUnpackSize)
	for _, s := range folder.sizes {
		h = put7zNumber(h, s)
	}
	h = append(h, szEnd, szEnd) // unpack info, streams info
	h = append(h, szFilesInfo, 1, szName, 5, 0, 'h', 0, 0, 0, szEnd, szEnd)
	le := binary.LittleEndian
	sig := append([]byte{}, sevenZipMagic...)
	sig = append(sig, 0, 4, 0, 0, 0, 0)
	sig = le.AppendUint64(sig, uint64(len(packed)))
	sig = le.AppendUint64(sig, uint64(len(h)))
	sig = le.AppendUint32(sig, crc32.ChecksumIEEE(h))
	le.PutUint32(sig[8:], crc32.ChecksumIEEE(sig[12:32]))
	out := append(sig, packed...)
	return append(out, h...)
}

// put7zNumber appends v in 7z's variable-length form.
func put7zNumber(b []byte, v uint64) []byte {
	for n := 0; n < 8; n++ {
		if v < 1<<(7*(n+1)) {
			b = append(b, byte(0xff<<(8-n))|byte(v>>(8*n)))
			for i := 0; i < n; i++ {
				b = append(b, byte(v>>(8*i)))
			}
			return b
		}
	}
	return binary.LittleEndian.AppendUint64(append(b, 0xff), v)
}

// unpackMemory decodes the only file, of the given size, of the 7z
// archive in data.
func unpackMemory(data []byte, size uint64) ([]byte, error) {
	// unarr keeps a pointer to data while the archive is open: pin it.
	var pin runtime.Pinner
	pin.Pin(&data[0])
	defer pin.Unpin()
	s := unarrc.OpenMemory(unsafe.Pointer(&data[0]), uint(len(data)))
	if s == nil {
		return nil, fmt.Errorf("%w: 7z header", ErrCorrupt)
	}
	ar := unarrc.Open7zArchive(s)
	if ar == nil {
		unarrc.Close(s)
		return nil, fmt.Errorf("%w: 7z header cannot be decoded", ErrCorrupt)
	}
	u := &unarrArchive{stream: s, ar: ar}
	defer u.close()
	_, got, _, err := u.next()
	if errors.Is(err, io.EOF) || err == nil && uint64(got) != size {
		err = fmt.Errorf("%w: 7z header of %d bytes, %d declared", ErrCorrupt, got, size)
	}
	if err != nil || size == 0 {
		return nil, err
	}
	out := make([]byte, size)
	if !unarrc.EntryUncompress(ar, unsafe.Pointer(&out[0]), uint(size)) {
		return nil, fmt.Errorf("%w: 7z header cannot be decoded", ErrCorrupt)
	}
	return out, nil
}
