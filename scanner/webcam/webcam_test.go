package webcam

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"testing"
)

func TestChoose(t *testing.T) {
	hd, vga, fhd := Size{1280, 720}, Size{640, 480}, Size{1920, 1080}
	tests := []struct {
		name   string
		offers map[Format][]Size
		format Format
		size   Size
		err    error
	}{
		{"YUYV preferred", map[Format][]Size{MJPEG: {hd}, YUYV: {vga, hd}}, YUYV, hd, nil},
		{"at least the wanted size", map[Format][]Size{YUYV: {vga, fhd}}, YUYV, fhd, nil},
		{"the largest when all are smaller", map[Format][]Size{YUYV: {{320, 240}, vga}}, YUYV, vga, nil},
		{"MJPEG only", map[Format][]Size{MJPEG: {fhd, hd}}, MJPEG, hd, nil},
		{"nothing usable", map[Format][]Size{}, "", Size{}, ErrFormat},
	}
	for _, tt := range tests {
		f, s, err := Choose(tt.offers, hd)
		if f != tt.format || s != tt.size || !errors.Is(err, tt.err) {
			t.Errorf("%s: %s %v %v, want %s %v %v", tt.name, f, s, err, tt.format, tt.size, tt.err)
		}
	}
}

func TestGrey(t *testing.T) {
	yuyv := []byte{10, 128, 20, 128, 30, 128, 40, 128}
	g, err := Grey(YUYV, Size{4, 1}, yuyv)
	if err != nil || string(g.Pix) != string([]byte{10, 20, 30, 40}) {
		t.Fatalf("YUYV: %v, %v", g, err)
	}
	if _, err := Grey(YUYV, Size{4, 2}, yuyv); err == nil {
		t.Fatal("a short YUYV frame was accepted")
	}
	src := image.NewGray(image.Rect(0, 0, 16, 16))
	for i := range src.Pix {
		src.Pix[i] = uint8(i)
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, src, &jpeg.Options{Quality: 100})
	g, err = Grey(MJPEG, Size{16, 16}, buf.Bytes())
	if err != nil || g.Rect.Dx() != 16 || absDiff(g.Pix[g.Stride*8+8], src.Pix[16*8+8]) > 4 {
		t.Fatalf("MJPEG: %v", err)
	}
	if _, err := Grey(MJPEG, Size{16, 16}, []byte("not a jpeg")); err == nil {
		t.Fatal("a broken MJPEG frame was accepted")
	}
}

func absDiff(a, b uint8) uint8 {
	if a > b {
		return a - b
	}
	return b - a
}
