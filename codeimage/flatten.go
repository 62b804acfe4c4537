package codeimage

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
)

// Flatten draws img over bg (source-over, so a half-transparent edge pixel
// blends into bg instead of turning black where alpha is dropped) and
// encodes the result with Encode: PNG with no alpha channel (the image is
// opaque, so Go writes it as 8-bit RGB), or JPEG. Other formats are refused
// before drawing.
func Flatten(img image.Image, bg color.RGBA, f Format) ([]byte, error) {
	if f != PNG && f != JPEG {
		return nil, fmt.Errorf("a flattened code is PNG or JPEG, not %s", f)
	}
	r := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	bg.A = 255
	draw.Draw(dst, dst.Bounds(), &image.Uniform{C: bg}, image.Point{}, draw.Src)
	draw.Draw(dst, dst.Bounds(), img, r.Min, draw.Over)
	return Encode(dst, f)
}

// HasAlpha reports whether any pixel of img is not fully opaque.
func HasAlpha(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return !o.Opaque()
	}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0xffff {
				return true
			}
		}
	}
	return false
}
