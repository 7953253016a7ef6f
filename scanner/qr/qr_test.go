package qr

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

func TestEncodeReadsBack(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePNG(&buf, "GHK55PLWG8K5DHHCCF", 240); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 240 || b.Dy() < 240 {
		t.Fatalf("image is %v, want at least 240×240", b)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.GetText() != "GHK55PLWG8K5DHHCCF" {
		t.Fatalf("read %q", res.GetText())
	}
}
