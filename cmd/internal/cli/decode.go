package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/gif"  // decode reads GIF
	_ "image/jpeg" // and JPEG
	_ "image/png"  // and PNG
	"io/fs"
	"os"
	"runtime"
	"strconv"
	"strings"
	"unicode"

	_ "golang.org/x/image/bmp"  // and BMP
	_ "golang.org/x/image/webp" // and WebP

	"github.com/ghiseu/ghiseu/assets/i18n"
	"github.com/ghiseu/ghiseu/scanner/decode"
)

// tooLarge is an image file that declares more than decode.MaxPixels: a
// small file can claim a huge size (a 780 KB PNG of 10000×10000 16-bit
// pixels decodes to 800 MB, and took 1.6 GB and 8.7 s to search), so the
// size is read from the header and the pixels are never decoded.
type tooLarge struct{ width, height int }

func (e tooLarge) Error() string {
	return fmt.Sprintf("image of %d×%d pixels: more than %d megapixels", e.width, e.height, decode.MaxPixels/1_000_000)
}

// decoded is one file's result, as decode --json prints it.
type decoded struct {
	File  string   `json:"file"`
	Codes []string `json:"codes"`
	Error string   `json:"error,omitempty"`
}

// decodeFiles prints the text of every QR code in each image file given,
// one per line, with the counter's own decoder; with --json, one object
// per file. A file that cannot be read or holds no code is said on stderr
// and the others are still read; the exit code is then ExitError (a file
// could not be read) or ExitRefused (a file had no code).
func (e *env) decodeFiles(args []string) error {
	files, err := e.parse(args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usageError{errors.New("decode: give one or more image files")}
	}
	d := decode.New()
	var results []decoded
	var problems []string
	unreadable := false
	for _, f := range files {
		r := decoded{File: f, Codes: []string{}}
		g, err := readGray(f)
		// The decoded image (up to 8 bytes a pixel) is garbage once it is
		// grey: give it back before the detector allocates its own.
		runtime.GC()
		var big tooLarge
		switch {
		case errors.As(err, &big):
			unreadable = true
			r.Error = i18n.T(e.lang, "cli.decode.too_large", map[string]string{"file": f,
				"size": fmt.Sprintf("%d×%d", big.width, big.height),
				"mp":   strconv.Itoa((big.width*big.height + 500_000) / 1_000_000),
				"max":  strconv.Itoa(decode.MaxPixels / 1_000_000)})
		case err != nil:
			unreadable = true
			r.Error = i18n.T(e.lang, "cli.decode.unreadable", map[string]string{"file": f, "err": err.Error()})
		default:
			for _, c := range d.All(g) {
				r.Codes = append(r.Codes, c.Text)
			}
			if len(r.Codes) == 0 {
				r.Error = i18n.T(e.lang, "cli.decode.none", map[string]string{"file": f})
			}
		}
		if r.Error != "" {
			problems = append(problems, r.Error)
		}
		if !e.json {
			for _, c := range r.Codes {
				fmt.Fprintln(e.out, printable(c))
			}
		}
		results = append(results, r)
	}
	if e.json {
		enc := json.NewEncoder(e.out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(results); err != nil {
			return fmt.Errorf("decode: write JSON: %w", err)
		}
	}
	switch {
	case unreadable:
		return errors.New(strings.Join(problems, "\n"))
	case len(problems) > 0:
		return refusal{errors.New(strings.Join(problems, "\n"))}
	}
	return nil
}

// printable is a code's text as one line: quoted, with its escapes, when
// it holds a line break or another control character (a hostile code must
// not drive the terminal, nor pass for two codes).
func printable(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

// readGray reads an image file (PNG, JPEG, GIF, BMP or WebP) as grey,
// transparent parts white as on paper. It reads the size the file declares
// first and refuses one of more than decode.MaxPixels (tooLarge) without
// decoding it.
func readGray(name string) (*image.Gray, error) {
	f, err := os.Open(name)
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return nil, pe.Err // the message names the file already
	} else if err != nil {
		return nil, err
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return nil, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("image of %d×%d pixels: empty", cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > decode.MaxPixels {
		return nil, tooLarge{cfg.Width, cfg.Height}
	}
	if _, err := f.Seek(0, 0); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(g, g.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(g, g.Bounds(), img, b.Min, draw.Over)
	return g, nil
}
