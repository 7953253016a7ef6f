//go:build !linux

package webcam

import (
	"context"
	"image"
)

// List says there are no cameras: V4L2 is Linux only.
func List() ([]Device, error) { return nil, ErrUnavailable }

// Camera is unavailable on this system.
type Camera struct{}

// Open always fails with ErrUnavailable.
func Open(path string, want Size) (*Camera, error) { return nil, ErrUnavailable }

// Next always fails with ErrUnavailable.
func (c *Camera) Next(ctx context.Context) (*image.Gray, error) { return nil, ErrUnavailable }

// Close does nothing.
func (c *Camera) Close() error { return nil }
