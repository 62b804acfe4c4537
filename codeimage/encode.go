package codeimage

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
)

// JPEGQuality is the quality of every JPEG wxacode draws itself (a flattened
// code, a link QR): high enough that the strokes' and small modules' edges
// keep no ringing a scanner could trip on, and above the 92 that photo apps
// re-encode at, so the next JPEG pass loses little.
const JPEGQuality = 95

// Encode is img as f, the one encoder of the codes wxacode draws: PNG at
// best compression (a file kept, so bytes matter more than milliseconds; Go
// writes an opaque RGBA image as 8-bit RGB and a paletted one as paletted),
// or JPEG at JPEGQuality. Other formats are refused: a code is saved as one
// of these two.
func Encode(img image.Image, f Format) ([]byte, error) {
	var b bytes.Buffer
	var err error
	switch f {
	case PNG:
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, img)
	case JPEG:
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: JPEGQuality})
	default:
		return nil, fmt.Errorf("a code is drawn as PNG or JPEG, not %s", f)
	}
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", f, err)
	}
	return b.Bytes(), nil
}
