// Package webcam captures grey frames from a USB webcam through V4L2
// (github.com/blackjack/webcam). YUYV is preferred: its Y plane is already
// the grey image; MJPEG is decoded otherwise. On systems without V4L2 every
// call says the camera is unavailable.
package webcam

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
)

// Errors a caller shows the clerk.
var (
	ErrUnavailable = errors.New("no camera support on this system")
	ErrNoCamera    = errors.New("camera not found")
	ErrBusy        = errors.New("camera busy in another program")
	ErrGone        = errors.New("camera unplugged")
	ErrFormat      = errors.New("camera offers neither YUYV nor MJPEG")
)

// Device is a camera the system has.
type Device struct {
	Path string // /dev/video0
	Name string
}

// Format is a pixel format the package can use.
type Format string

// The formats, in order of preference.
const (
	YUYV  Format = "YUYV"
	MJPEG Format = "MJPEG"
)

// Size is a frame size.
type Size struct{ W, H int }

// Choose picks a format and size from what a camera offers: YUYV if it
// has any size, MJPEG otherwise; the smallest size at least as large as
// want, or the largest when none is (more pixels read more codes).
func Choose(offers map[Format][]Size, want Size) (Format, Size, error) {
	for _, f := range []Format{YUYV, MJPEG} {
		sizes := offers[f]
		if len(sizes) == 0 {
			continue
		}
		var best, largest Size
		for _, s := range sizes {
			if s.W*s.H > largest.W*largest.H {
				largest = s
			}
			if s.W >= want.W && s.H >= want.H && (best == Size{} || s.W*s.H < best.W*best.H) {
				best = s
			}
		}
		if best == (Size{}) {
			best = largest
		}
		return f, best, nil
	}
	return "", Size{}, ErrFormat
}

// Grey turns one captured frame into a grey image of size s.
func Grey(f Format, s Size, data []byte) (*image.Gray, error) {
	switch f {
	case YUYV:
		if len(data) < s.W*s.H*2 {
			return nil, fmt.Errorf("YUYV frame of %d bytes, want %d", len(data), s.W*s.H*2)
		}
		g := image.NewGray(image.Rect(0, 0, s.W, s.H))
		for i := range g.Pix {
			g.Pix[i] = data[2*i] // Y0 U Y1 V: every other byte is luma
		}
		return g, nil
	case MJPEG:
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("MJPEG frame: %w", err)
		}
		if y, ok := img.(*image.YCbCr); ok { // the luma plane is the grey image
			return &image.Gray{Pix: y.Y, Stride: y.YStride, Rect: y.Rect}, nil
		}
		g := image.NewGray(img.Bounds())
		draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
		return g, nil
	}
	return nil, ErrFormat
}
