package png

import (
	"image"
	"image/color"

	"wxacode/hugebuf"
)

// wxacode: the image/png constructors the decoder calls, with the same
// layout and their pixels from hugebuf (see package hugebuf). The
// decoder's sizes are checked before it gets here (DecodeConfig, and
// codeimage's limits), so no overflow checks are repeated.

func rect(w, h int) image.Rectangle { return image.Rect(0, 0, w, h) }

func newGray(w, h int) *image.Gray {
	return &image.Gray{Pix: hugebuf.Bytes(w * h), Stride: w, Rect: rect(w, h)}
}

func newGray16(w, h int) *image.Gray16 {
	return &image.Gray16{Pix: hugebuf.Bytes(2 * w * h), Stride: 2 * w, Rect: rect(w, h)}
}

func newRGBA(w, h int) *image.RGBA {
	return &image.RGBA{Pix: hugebuf.Bytes(4 * w * h), Stride: 4 * w, Rect: rect(w, h)}
}

func newNRGBA(w, h int) *image.NRGBA {
	return &image.NRGBA{Pix: hugebuf.Bytes(4 * w * h), Stride: 4 * w, Rect: rect(w, h)}
}

func newRGBA64(w, h int) *image.RGBA64 {
	return &image.RGBA64{Pix: hugebuf.Bytes(8 * w * h), Stride: 8 * w, Rect: rect(w, h)}
}

func newNRGBA64(w, h int) *image.NRGBA64 {
	return &image.NRGBA64{Pix: hugebuf.Bytes(8 * w * h), Stride: 8 * w, Rect: rect(w, h)}
}

func newPaletted(w, h int, p color.Palette) *image.Paletted {
	return &image.Paletted{Pix: hugebuf.Bytes(w * h), Stride: w, Rect: rect(w, h), Palette: p}
}
