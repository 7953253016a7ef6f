package archive

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestSevenTypes(t *testing.T) {
	const unix = 0x8000
	for _, tc := range []struct {
		dir, anti, hasAttr bool
		attr               uint32
		want               Type
	}{
		{false, false, false, 0, Regular},
		{true, false, false, 0, Dir},
		{false, false, true, 0x20, Regular},
		{true, false, true, 0x10, Dir},
		{false, false, true, 0x10, Other},
		{false, false, true, 0x420, Symlink},
		{false, false, true, unix | 0o100644<<16, Regular},
		{true, false, true, 0x10 | unix | 0o40755<<16, Dir},
		{false, false, true, unix | 0o120777<<16, Symlink},
		{false, false, true, unix | 0o20600<<16, Device},
		{false, false, true, unix | 0o10600<<16, FIFO},
		{false, false, true, unix | 0o40755<<16, Other},
		{true, false, true, 0x10 | unix | 0o100644<<16, Other},
		{false, true, false, 0, Other},
	} {
		if got := sevenType(tc.dir, tc.anti, tc.hasAttr, tc.attr); got != tc.want {
			t.Errorf("%+v: %s, want %s", tc, got, tc.want)
		}
	}
}

func TestPut7zNumber(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, 300, 1 << 14, 1<<14 - 1, 1 << 20, 1<<35 + 7, 1<<56 - 1, 1 << 56, 1<<64 - 1} {
		r := &szReader{b: put7zNumber(nil, v)}
		if got := r.number(); got != v || r.err != nil || len(r.b) != 0 {
			t.Errorf("%d: read back %d, %v, %d left", v, got, r.err, len(r.b))
		}
	}
}

// FuzzParse7zHeader: any header gives types or an error, never a panic,
// and never a large allocation.
func FuzzParse7zHeader(f *testing.F) {
	if _, err := exec.LookPath("7z"); err == nil {
		dir := f.TempDir()
		os.WriteFile(filepath.Join(dir, "a"), []byte("x"), 0o600)
		os.Mkdir(filepath.Join(dir, "d"), 0o700)
		os.Symlink("a", filepath.Join(dir, "l"))
		for _, args := range [][]string{{"-mhc=off"}, {"-mhc=on"}, {"-mhc=off", "-snl", "-ms=off"}} {
			cmd := exec.Command("7z", append(append([]string{"a", "-bd"}, args...), "p.7z", "a", "d", "l")...)
			cmd.Dir = dir
			if cmd.Run() == nil {
				if file, err := os.Open(filepath.Join(dir, "p.7z")); err == nil {
					if h, err := read7zHeader(file); err == nil {
						f.Add(h)
					}
					file.Close()
				}
			}
			os.Remove(filepath.Join(dir, "p.7z"))
		}
	}
	f.Add([]byte{szHeader, szEnd})
	f.Fuzz(func(t *testing.T, b []byte) {
		parse7zHeader(b, 1<<20)
	})
}
