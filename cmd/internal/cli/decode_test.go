package cli

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ghiseu/ghiseu/scanner/decode"
	"github.com/ghiseu/ghiseu/scanner/qr"
)

// writeCodes writes an image holding a QR code of each text, side by side
// on white, as PNG or (name ending .jpg) JPEG, and returns its path.
func writeCodes(t *testing.T, dir, name string, texts ...string) string {
	t.Helper()
	g := image.NewGray(image.Rect(0, 0, 400*len(texts)+40, 440))
	draw.Draw(g, g.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	for i, text := range texts {
		img, err := qr.Encode(text, 360)
		if err != nil {
			t.Fatal(err)
		}
		draw.Draw(g, img.Bounds().Add(image.Pt(20+400*i, 40)), img, img.Bounds().Min, draw.Src)
	}
	var buf bytes.Buffer
	var err error
	if strings.HasSuffix(name, ".jpg") {
		err = jpeg.Encode(&buf, g, &jpeg.Options{Quality: 85})
	} else {
		err = png.Encode(&buf, g)
	}
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestDecode: decode prints every code of every file, one per line; a file
// with no code or that is no image is said on stderr, in the chosen
// language, the others still read; the exit code tells which went wrong.
func TestDecode(t *testing.T) {
	dir := t.TempDir()
	one := writeCodes(t, dir, "one.png", "GHISEU:first")
	two := writeCodes(t, dir, "two.jpg", "second", "third")
	blank := writeCodes(t, dir, "blank.png")
	junk := filepath.Join(dir, "junk.png")
	if err := os.WriteFile(junk, []byte("not an image at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.png")
	hostile := writeCodes(t, dir, "hostile.png", "line\nbreak\x1b[2J")
	for _, tt := range []struct {
		name   string
		args   []string
		exit   int
		lines  []string // stdout, sorted
		stderr []string
	}{
		{"one file", []string{one}, ExitOK, []string{"GHISEU:first"}, nil},
		{"two codes in a JPEG", []string{one, two}, ExitOK, []string{"GHISEU:first", "second", "third"}, nil},
		{"no code", []string{blank, one, "--lang", "en"}, ExitRefused, []string{"GHISEU:first"}, []string{blank + ": no QR code found"}},
		{"no code, in Romanian", []string{blank, "--lang", "ro"}, ExitRefused, nil, []string{blank + ": niciun cod QR"}},
		{"not an image", []string{junk, one, missing, "--lang", "en"}, ExitError, []string{"GHISEU:first"},
			[]string{junk + ": cannot read the image", missing + ": cannot read the image: no such file"}},
		{"control characters are quoted", []string{hostile}, ExitOK, []string{`"line\nbreak\x1b[2J"`}, nil},
		{"no file", nil, ExitError, nil, []string{"decode: give one or more image files"}},
	} {
		var out, errOut bytes.Buffer
		exit := Run(context.Background(), append([]string{"decode"}, tt.args...), strings.NewReader(""), &out, &errOut)
		if exit != tt.exit {
			t.Errorf("%s: exit %d, want %d (%s)", tt.name, exit, tt.exit, errOut.String())
		}
		var lines []string
		if s := strings.TrimSuffix(out.String(), "\n"); s != "" {
			lines = strings.Split(s, "\n")
		}
		slices.Sort(lines)
		if !slices.Equal(lines, tt.lines) {
			t.Errorf("%s: printed %q, want %q", tt.name, lines, tt.lines)
		}
		for _, w := range tt.stderr {
			if !strings.Contains(errOut.String(), w) {
				t.Errorf("%s: stderr lacks %q:\n%s", tt.name, w, errOut.String())
			}
		}
	}
}

// TestDecodeJSON: --json gives each file's codes and error.
func TestDecodeJSON(t *testing.T) {
	dir := t.TempDir()
	two := writeCodes(t, dir, "two.png", "alpha", "beta")
	blank := writeCodes(t, dir, "blank.png")
	var out, errOut bytes.Buffer
	exit := Run(context.Background(), []string{"decode", "--json", two, blank}, strings.NewReader(""), &out, &errOut)
	if exit != ExitRefused {
		t.Errorf("exit %d, want %d", exit, ExitRefused)
	}
	var got []decoded
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if len(got) != 2 || got[0].File != two || got[1].File != blank {
		t.Fatalf("results %+v", got)
	}
	slices.Sort(got[0].Codes)
	if !slices.Equal(got[0].Codes, []string{"alpha", "beta"}) || got[0].Error != "" {
		t.Errorf("two codes: %+v", got[0])
	}
	if len(got[1].Codes) != 0 || got[1].Error == "" {
		t.Errorf("blank: %+v", got[1])
	}
}

// TestDecodeInHelp: the command list and decode -h show decode's form.
func TestDecodeInHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"decode", "-h"}, {"help", "decode"}} {
		var out, errOut bytes.Buffer
		if exit := Run(context.Background(), args, strings.NewReader(""), &out, &errOut); exit != ExitOK {
			t.Errorf("%v: exit %d (%s)", args, exit, errOut.String())
		}
		if !strings.Contains(out.String(), "ghiseu decode FILE...") ||
			!strings.Contains(out.String(), fmt.Sprintf("at most %d megapixels", decode.MaxPixels/1_000_000)) {
			t.Errorf("%v: no decode form in:\n%s", args, out.String())
		}
	}
}

// pngHeader writes the start of a PNG of width×height 16-bit RGBA pixels:
// the signature and the IHDR chunk, no pixels (what a hostile file shows
// image.DecodeConfig before its few hundred KB of compressed data).
func pngHeader(t *testing.T, dir, name string, width, height uint32) string {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, width)
	ihdr = binary.BigEndian.AppendUint32(ihdr, height)
	ihdr = append(ihdr, 16, 6, 0, 0, 0) // 16 bits, RGBA, deflate, no filter, no interlace
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestDecodeRefusesHugeImages: a file declaring more than 30 megapixels is
// refused from its header, with a sentence that says the size and the
// limit, without decoding its pixels; a 24 MP phone photo's size passes the
// check (this one then fails for want of pixels).
func TestDecodeRefusesHugeImages(t *testing.T) {
	dir := t.TempDir()
	huge := pngHeader(t, dir, "huge.png", 10000, 10000)
	just := pngHeader(t, dir, "just.png", 6000, 5001)
	photo := pngHeader(t, dir, "photo.png", 6000, 4000)

	for _, tc := range []struct {
		file  string
		large bool
	}{{huge, true}, {just, true}, {photo, false}} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := readGray(tc.file)
		runtime.ReadMemStats(&after)
		var big tooLarge
		if err == nil || errors.As(err, &big) != tc.large {
			t.Errorf("%s: %v, want too large %v", filepath.Base(tc.file), err, tc.large)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
			t.Errorf("%s: %d bytes allocated to refuse it", filepath.Base(tc.file), n)
		}
	}

	for _, tc := range []struct{ lang, want string }{
		{"en", huge + ": the image is 10000×10000 pixels (100 megapixels); decode reads images of at most 30 megapixels"},
		{"ro", huge + ": imaginea are 10000×10000 pixeli (100 megapixeli); decode citește imagini de cel mult 30 de megapixeli"},
	} {
		var out, errOut bytes.Buffer
		exit := Run(context.Background(), []string{"decode", huge, "--lang", tc.lang}, strings.NewReader(""), &out, &errOut)
		if exit != ExitError || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%s: exit %d, stderr %q, want %q", tc.lang, exit, errOut.String(), tc.want)
		}
	}
}
