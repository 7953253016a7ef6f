// Package frames plays a folder of images as if a camera took them, at a
// given rate and in name order, looping: the whole camera pipeline runs in
// tests and demos with no camera (ghiseu --frames DIR).
package frames

import (
	"context"
	"fmt"
	"image"
	"image/draw"
	_ "image/jpeg" // decoders for the folder's images
	_ "image/png"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	_ "golang.org/x/image/webp"
)

// Folder is a frame source backed by image files.
type Folder struct {
	frames []*image.Gray
	every  time.Duration
	i      int
	last   time.Time
}

// Open reads every PNG, JPEG and WebP image of dir, to be played at fps
// frames a second.
func Open(dir string, fps float64) (*Folder, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("frames: %w", err)
	}
	var names []string
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".png", ".jpg", ".jpeg", ".webp":
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	f := &Folder{every: time.Duration(float64(time.Second) / max(fps, 0.1))}
	for _, n := range names {
		g, err := Load(filepath.Join(dir, n))
		if err != nil {
			return nil, err
		}
		f.frames = append(f.frames, g)
	}
	if len(f.frames) == 0 {
		return nil, fmt.Errorf("frames: no images in %s", dir)
	}
	return f, nil
}

// Load reads an image file as a grey image.
func Load(path string) (*image.Gray, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	img, _, err := image.Decode(fh)
	if err != nil {
		return nil, fmt.Errorf("frames: %s: %w", path, err)
	}
	if g, ok := img.(*image.Gray); ok {
		return g, nil
	}
	g := image.NewGray(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
	draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	return g, nil
}

// Next waits for the next frame's time and returns it. Frames are shared:
// callers must not change them.
func (f *Folder) Next(ctx context.Context) (*image.Gray, error) {
	if wait := time.Until(f.last.Add(f.every)); wait > 0 {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
	}
	f.last = time.Now()
	g := f.frames[f.i%len(f.frames)]
	f.i++
	return g, nil
}

// Close does nothing.
func (f *Folder) Close() error { return nil }
