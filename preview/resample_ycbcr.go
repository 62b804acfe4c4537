package preview

import "image"

// resampleYCbCr scales a colour JPEG's planes each on its own and converts
// only the result to RGBA, or returns nil when that does not apply: an
// unusual subsampling, a sub-image cut inside a chroma sample, luma drawn
// larger, or chroma that neither shrinks nor grows by 4/3 (kept about 1:1
// it is not filtered at all, and libjpeg's fancy upsampling, in read, is
// what the other viewers show: a 200 px code drawn at 100 px lost 3.7 dB
// against them). Converting first costs a conversion and an upsampled
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
	// Chroma shrinks: averaged as luma is. Chroma grows by 4/3 or more (a
	// 430 px code in 400 px: 215 → 400): sampled bilinearly at each output
	// pixel's centre, which is what libjpeg's fancy upsampling is at a
	// pixel's centre, and the footprint is too small for its average to
	// differ. In between, the footprint spans chroma samples unevenly.
	shrink := float64(dw) < spanW && float64(dh) < spanH
	grow := float64(dw)*3 >= spanW*4 && float64(dh)*3 >= spanH*4
	if !shrink && !grow {
		return nil
	}
	if float64(dw) > float64(sw) || float64(dh) > float64(sh) {
		return nil // luma upscaled: not by area averaging
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
	chroma := plane
	if !shrink {
		chroma = func(pix []uint8, stride, w, h int, spanW, spanH float64) []uint8 {
			return bilinearPlane(pix, stride, w, h, spanW, spanH, dw, dh)
		}
	}
	cb := chroma(s.Cb[coff:], s.CStride, cw, chh, spanW, spanH)
	cr := chroma(s.Cr[coff:], s.CStride, cw, chh, spanW, spanH)
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

// bilinearPlane samples a plane of w×h (of which the first spanW×spanH
// samples cover the picture) at the centres of dw×dh output pixels, by
// bilinear interpolation between the four nearest samples (edges held).
func bilinearPlane(pix []uint8, stride, w, h int, spanW, spanH float64, dw, dh int) []uint8 {
	taps := func(n int, span float64, dn int) (i0, i1 []int, f []uint32) {
		i0, i1, f = make([]int, dn), make([]int, dn), make([]uint32, dn)
		for o := range dn {
			u := (float64(o)+0.5)*span/float64(dn) - 0.5
			if u < 0 {
				u = 0
			}
			lo := min(int(u), n-1)
			i0[o], i1[o] = lo, min(lo+1, n-1)
			f[o] = uint32((u-float64(lo))*256 + 0.5)
		}
		return i0, i1, f
	}
	x0, x1, fx := taps(w, spanW, dw)
	y0, y1, fy := taps(h, spanH, dh)
	out := getBytes(dw * dh)
	for y := range dh {
		r0, r1 := pix[y0[y]*stride:], pix[y1[y]*stride:]
		wy := fy[y]
		d := out[y*dw : y*dw+dw]
		for x := range d {
			a, c, wx := x0[x], x1[x], fx[x]
			top := uint32(r0[a])*(256-wx) + uint32(r0[c])*wx
			bot := uint32(r1[a])*(256-wx) + uint32(r1[c])*wx
			d[x] = uint8((top*(256-wy) + bot*wy + 1<<15) >> 16)
		}
	}
	return out
}
