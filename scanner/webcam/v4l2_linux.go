//go:build linux

package webcam

import (
	"context"
	"errors"
	"image"
	"path/filepath"
	"sort"
	"sync"
	"syscall"

	"github.com/blackjack/webcam"
)

const (
	fourccYUYV = webcam.PixelFormat('Y' | 'U'<<8 | 'Y'<<16 | 'V'<<24)
	fourccMJPG = webcam.PixelFormat('M' | 'J'<<8 | 'P'<<16 | 'G'<<24)
)

// List lists the cameras that can capture video.
func List() ([]Device, error) {
	paths, _ := filepath.Glob("/dev/video*")
	sort.Strings(paths)
	var out []Device
	for _, p := range paths {
		cam, err := webcam.Open(p)
		if err != nil {
			continue
		}
		name, _ := cam.GetName()
		formats := cam.GetSupportedFormats()
		cam.Close()
		if len(formats) > 0 { // metadata nodes offer none
			out = append(out, Device{Path: p, Name: name})
		}
	}
	return out, nil
}

// Camera is an open, streaming camera.
type Camera struct {
	cam    *webcam.Webcam
	format Format
	size   Size
	once   sync.Once
}

// Open opens the camera at path and starts streaming at the size closest
// to want.
func Open(path string, want Size) (*Camera, error) {
	cam, err := webcam.Open(path)
	if err != nil {
		return nil, classify(err, ErrNoCamera)
	}
	offers := map[Format][]Size{}
	for pf, f := range map[webcam.PixelFormat]Format{fourccYUYV: YUYV, fourccMJPG: MJPEG} {
		for _, fs := range cam.GetSupportedFrameSizes(pf) {
			offers[f] = append(offers[f], Size{int(fs.MaxWidth), int(fs.MaxHeight)})
		}
	}
	f, s, err := Choose(offers, want)
	if err != nil {
		cam.Close()
		return nil, err
	}
	pf := fourccYUYV
	if f == MJPEG {
		pf = fourccMJPG
	}
	_, w, h, err := cam.SetImageFormat(pf, uint32(s.W), uint32(s.H))
	if err == nil {
		err = cam.StartStreaming()
	}
	if err != nil {
		cam.Close()
		return nil, classify(err, ErrBusy)
	}
	return &Camera{cam: cam, format: f, size: Size{int(w), int(h)}}, nil
}

// Next waits for the next frame.
func (c *Camera) Next(ctx context.Context) (*image.Gray, error) {
	for ctx.Err() == nil {
		err := c.cam.WaitForFrame(200)
		var timeout *webcam.Timeout
		if errors.As(err, &timeout) {
			continue
		}
		if err != nil {
			return nil, classify(err, ErrGone)
		}
		data, err := c.cam.ReadFrame()
		if err != nil {
			return nil, classify(err, ErrGone)
		}
		if len(data) == 0 {
			continue
		}
		return Grey(c.format, c.size, data)
	}
	return nil, ctx.Err()
}

// Close stops the camera; calling it again does nothing.
func (c *Camera) Close() error {
	var err error
	c.once.Do(func() { err = c.cam.Close() })
	return err
}

// classify maps the system's errors to the package's.
func classify(err error, fallback error) error {
	switch {
	case errors.Is(err, syscall.EBUSY):
		return ErrBusy
	case errors.Is(err, syscall.ENODEV), errors.Is(err, syscall.ENOENT), errors.Is(err, syscall.ENXIO):
		return ErrGone
	}
	return errors.Join(fallback, err)
}
