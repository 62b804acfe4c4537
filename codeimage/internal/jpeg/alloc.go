package jpeg

import (
	"image"

	"wxacode/hugebuf"
)

// wxacode: the decoded planes come from hugebuf, image.NewGray's and
// image.NewYCbCr's layout with other memory: they are most of what a
// one-shot preview writes once (see package hugebuf).

// newGray is image.NewGray(image.Rect(0, 0, w, h)).
func newGray(w, h int) *image.Gray {
	return &image.Gray{Pix: hugebuf.Bytes(w * h), Stride: w, Rect: image.Rect(0, 0, w, h)}
}

// newYCbCr is image.NewYCbCr(image.Rect(0, 0, w, h), ratio).
func newYCbCr(w, h int, ratio image.YCbCrSubsampleRatio) *image.YCbCr {
	cw, ch := w, h
	switch ratio {
	case image.YCbCrSubsampleRatio422:
		cw = (w + 1) / 2
	case image.YCbCrSubsampleRatio420:
		cw, ch = (w+1)/2, (h+1)/2
	case image.YCbCrSubsampleRatio440:
		ch = (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		cw = (w + 3) / 4
	case image.YCbCrSubsampleRatio410:
		cw, ch = (w+3)/4, (h+1)/2
	}
	i0 := w * h
	i1, i2 := i0+cw*ch, i0+2*cw*ch
	b := hugebuf.Bytes(i2)
	return &image.YCbCr{
		Y: b[:i0:i0], Cb: b[i0:i1:i1], Cr: b[i1:i2:i2],
		SubsampleRatio: ratio, YStride: w, CStride: cw, Rect: image.Rect(0, 0, w, h),
	}
}
