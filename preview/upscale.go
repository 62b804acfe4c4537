package preview

import "image"

// upscaleSmooth enlarges src (every side at most w, h) to w×h by bilinear
// interpolation of its premultiplied pixels. Render uses it for an integer
// upscale of an image that is not a QR symbol: replicated pixels keep a
// QR's modules crisp, but draw a small round code's strokes as stairs (a
// 200 px code at 2× was 2 dB below img2sixel's bilinear).
func upscaleSmooth(src image.Image, w, h int) *image.RGBA {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	conv := newRowReader(src)
	pix := make([]uint8, sw*sh*4)
	for y := 0; y < sh; y++ {
		conv.read(y, pix[y*sw*4:(y+1)*sw*4])
	}
	// taps: for each output index, the two source indices and the weight
	// of the second, in 1/256ths, for pixel centres mapped onto each other.
	taps := func(sn, dn int) (i0, i1 []int, f []uint32) {
		i0, i1, f = make([]int, dn), make([]int, dn), make([]uint32, dn)
		for o := range dn {
			u := (float64(o)+0.5)*float64(sn)/float64(dn) - 0.5
			lo := int(u)
			if u < 0 {
				lo, u = 0, 0
			}
			i0[o], i1[o] = lo, min(lo+1, sn-1)
			f[o] = uint32((u-float64(lo))*256 + 0.5)
		}
		return i0, i1, f
	}
	x0, x1, fx := taps(sw, w)
	y0, y1, fy := taps(sh, h)
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		r0, r1 := pix[y0[y]*sw*4:], pix[y1[y]*sw*4:]
		wy := fy[y]
		d := out.Pix[y*out.Stride : y*out.Stride+w*4]
		for x := range w {
			a, c := x0[x]*4, x1[x]*4
			wx := fx[x]
			for k := range 4 {
				top := uint32(r0[a+k])*(256-wx) + uint32(r0[c+k])*wx
				bot := uint32(r1[a+k])*(256-wx) + uint32(r1[c+k])*wx
				d[x*4+k] = uint8((top*(256-wy) + bot*wy + 1<<15) >> 16)
			}
		}
	}
	return out
}
