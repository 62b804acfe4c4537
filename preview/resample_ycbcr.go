package preview

import "image"

// resampleYCbCr scales a colour JPEG's planes each on its own and converts
// only the result to RGBA, or returns nil when that does not apply: an
// unusual subsampling, a sub-image cut inside a chroma sample, or chroma
// that would not shrink (kept 1:1 it is not filtered at all, and libjpeg's
// fancy upsampling, in read, is what the other viewers show: a 200 px code
// drawn at 100 px lost 3.7 dB against them). Converting first costs a conversion and an upsampled
// chroma per source pixel, and a pass over four channels instead of one:
// for a 1280 px code drawn in 400 px, most of the whole preview's time.
// The conversion is affine but for its clamping, so averaging before it
// gives what averaging after it would, to within a level at clipped edges.
func resampleYCbCr(s *image.YCbCr, dw, dh int) *image.RGBA {
	var hs, vs int // log2 of the chroma subsampling
	switch s.SubsampleRatio {
	case image.YCbCrSubsampleRatio444:
	case image.YCbCrSubsampleRatio422:
		hs = 1
	case image.YCbCrSubsampleRatio420:
		hs, vs = 1, 1
	case image.YCbCrSubsampleRatio440:
		vs = 1
	default:
		return nil
	}
	b := s.Rect
	if b.Min.X&(1<<hs-1) != 0 || b.Min.Y&(1<<vs-1) != 0 {
		return nil
	}
	sw, sh := b.Dx(), b.Dy()
	cw := (b.Max.X+1<<hs-1)>>hs - b.Min.X>>hs
	chh := (b.Max.Y+1<<vs-1)>>vs - b.Min.Y>>vs
	spanW, spanH := float64(sw)/float64(int(1)<<hs), float64(sh)/float64(int(1)<<vs)
	if float64(dw) >= spanW || float64(dh) >= spanH {
		return nil
	}
	// An odd-sized picture's last chroma sample is half outside it: the
	// outputs span the picture, not the whole plane.
	plane := func(pix []uint8, stride, w, h int, spanW, spanH float64) []uint8 {
		out := getBytes(dw * dh)
		g := &image.Gray{Pix: pix, Stride: stride, Rect: image.Rect(0, 0, w, h)}
		resampleSpan(newRowReader(g), out, 1, true, w, h, spanW, spanH, dw, dh)
		return out
	}
	coff := s.COffset(b.Min.X, b.Min.Y)
	yp := plane(s.Y[s.YOffset(b.Min.X, b.Min.Y):], s.YStride, sw, sh, float64(sw), float64(sh))
	cb := plane(s.Cb[coff:], s.CStride, cw, chh, spanW, spanH)
	cr := plane(s.Cr[coff:], s.CStride, cw, chh, spanW, spanH)
	m := newScratchRGBA(dw, dh)
	pix := m.Pix
	for i, yv := range yp[:dw*dh] {
		b, r := int32(cb[i])-128, int32(cr[i])-128
		putYCbCr(pix[i*4:i*4+4:i*4+4], yv, 91881*r, -22554*b-46802*r, 116130*b)
	}
	putBytes(yp)
	putBytes(cb)
	putBytes(cr)
	return m
}
