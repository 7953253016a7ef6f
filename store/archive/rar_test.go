package archive

import (
	"os"
	"testing"

	"github.com/ghiseu/ghiseu/store/pack/packtest"
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

// writeRAR writes a RAR 4 archive of stored entries.
func writeRAR(t *testing.T, path string, solid bool, entries []rarEntry) {
	t.Helper()
	if err := os.WriteFile(path, rarBytes(solid, entries), 0o600); err != nil {
		t.Fatal(err)
	}
}

func rarBytes(solid bool, entries []rarEntry) []byte {
	var es []packtest.RAREntry
	for _, e := range entries {
		es = append(es, packtest.RAREntry{Name: e.name, Data: e.data, Host: e.host, Attr: e.attr, Flags: e.flags})
	}
	return packtest.RAR4(solid, es)
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
