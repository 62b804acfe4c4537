package codeimage

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"strconv"
	"strings"
)

// FlattenQuality is the JPEG quality of a flattened code: high enough that
// the strokes' edges keep no ringing a scanner could trip on, and above the
// 92 that photo apps re-encode at, so the next JPEG pass loses little.
const FlattenQuality = 95

// ParseBackground reads a flatten colour: white, or #rrggbb (the # may be
// left out). Alpha is always opaque: the point is a code with none.
func ParseBackground(s string) (color.RGBA, error) {
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, "white") {
		return color.RGBA{255, 255, 255, 255}, nil
	}
	h := strings.TrimPrefix(t, "#")
	if len(h) != 6 {
		return color.RGBA{}, fmt.Errorf("%q is not a colour: give white or #rrggbb (for example #fff8e7)", s)
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return color.RGBA{}, fmt.Errorf("%q is not a colour: %q is not hexadecimal; give white or #rrggbb", s, h)
	}
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}, nil
}

// Hex is c as #rrggbb.
func Hex(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// Flatten draws img over bg (source-over, so a half-transparent edge pixel
// blends into bg instead of turning black where alpha is dropped) and
// encodes the result as f: PNG with no alpha channel (Go writes an opaque
// RGBA image as 8-bit RGB), or JPEG at FlattenQuality. Other formats are
// refused: a code is saved as one of these two.
func Flatten(img image.Image, bg color.RGBA, f Format) ([]byte, error) {
	if f != PNG && f != JPEG {
		return nil, fmt.Errorf("a flattened code is PNG or JPEG, not %s", f)
	}
	r := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	bg.A = 255
	draw.Draw(dst, dst.Bounds(), &image.Uniform{C: bg}, image.Point{}, draw.Src)
	draw.Draw(dst, dst.Bounds(), img, r.Min, draw.Over)
	var b bytes.Buffer
	var err error
	if f == PNG {
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, dst)
	} else {
		err = jpeg.Encode(&b, dst, &jpeg.Options{Quality: FlattenQuality})
	}
	if err != nil {
		return nil, fmt.Errorf("flatten: encode %s: %w", f, err)
	}
	return b.Bytes(), nil
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
