// Package qr draws and reads QR codes.
package qr

import (
	"fmt"
	"image"
	"image/png"
	"io"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/encoder"
)

// Encode draws text as a QR code of at least size×size pixels, with error
// correction level M and the standard quiet zone of four modules.
func Encode(text string, size int) (image.Image, error) {
	hints := map[gozxing.EncodeHintType]any{
		gozxing.EncodeHintType_ERROR_CORRECTION: decoder.ErrorCorrectionLevel_M,
		gozxing.EncodeHintType_MARGIN:           4,
	}
	m, err := qrcode.NewQRCodeWriter().Encode(text, gozxing.BarcodeFormat_QR_CODE, size, size, hints)
	if err != nil {
		return nil, fmt.Errorf("encode QR code: %w", err)
	}
	return m, nil
}

// WritePNG writes text as a QR code PNG to w.
func WritePNG(w io.Writer, text string, size int) error {
	img, err := Encode(text, size)
	if err != nil {
		return err
	}
	return png.Encode(w, img)
}

// Version is the QR version (1 to 40: the symbol is 17+4×version modules
// wide) and the mode that text needs at error correction level M.
func Version(text string) (version int, mode string, err error) {
	q, err := encoder.Encoder_encodeWithoutHint(text, decoder.ErrorCorrectionLevel_M)
	if err != nil {
		return 0, "", fmt.Errorf("encode QR code: %w", err)
	}
	return q.GetVersion().GetVersionNumber(), q.GetMode().String(), nil
}
