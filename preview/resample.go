package preview

import (
	"image"
	"math"
	"runtime"
	"sync"
)

// weightBits is the fixed-point precision of resampling weights: each output
// pixel's weights along one axis sum to 1<<weightBits.
const weightBits = 10

// axis lists, for every output index, the source indices it covers and how
// much of it (area averaging). Integer factors give equal weights; integer
// upscales give one source pixel per output (pure replication), so modules
// stay square and sharp.
type axis struct {
	start []int32 // first source index of output i
	off   []int32 // index into w of output i's first weight; off[i+1]-off[i] weights
	w     []int32
}

func newAxis(sn, dn int) axis {
	a := axis{start: make([]int32, dn), off: make([]int32, dn+1)}
	r := float64(sn) / float64(dn)
	for o := 0; o < dn; o++ {
		lo, hi := float64(o)*r, float64(o+1)*r
		i0 := int(math.Floor(lo + 1e-9))
		i1 := int(math.Ceil(hi - 1e-9))
		if i1 > sn {
			i1 = sn
		}
		if i1 <= i0 {
			i1 = i0 + 1
		}
		a.start[o] = int32(i0)
		a.off[o] = int32(len(a.w))
		sum, big, bigAt := int32(0), int32(-1), 0
		for i := i0; i < i1; i++ {
			ov := math.Min(hi, float64(i+1)) - math.Max(lo, float64(i))
			w := int32(math.Round(ov / (hi - lo) * (1 << weightBits)))
			if w > big {
				big, bigAt = w, len(a.w)
			}
			a.w = append(a.w, w)
			sum += w
		}
		a.w[bigAt] += 1<<weightBits - sum // rounding leftovers go to the largest share
	}
	a.off[dn] = int32(len(a.w))
	return a
}

// resample scales src to dw×dh by area averaging and returns premultiplied RGBA.
func resample(src image.Image, dw, dh int) *image.RGBA {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	out := newScratchRGBA(dw, dh)
	conv := newRowReader(src)
	if sw == dw && sh == dh {
		for y := 0; y < dh; y++ {
			conv.read(y, out.Pix[y*out.Stride:y*out.Stride+dw*4])
		}
		return out
	}
	ax, ay := newAxis(sw, dw), newAxis(sh, dh)
	// Big images (a 1280 px code) are split into bands of output rows, one
	// per core: the passes over the source dominate the whole pipeline.
	parts := 1
	if sw*sh >= 1<<19 {
		parts = min(runtime.GOMAXPROCS(0), 4, dh)
	}
	if parts == 1 {
		resampleRows(conv, out, ax, ay, sw, dw, 0, dh)
		return out
	}
	var wg sync.WaitGroup
	for p := 0; p < parts; p++ {
		wg.Add(1)
		go func(y0, y1 int) {
			defer wg.Done()
			resampleRows(conv, out, ax, ay, sw, dw, y0, y1)
		}(dh*p/parts, dh*(p+1)/parts)
	}
	wg.Wait()
	return out
}

// resampleRows computes output rows [y0, y1). Vertical first: the source rows
// of one output row are summed into vacc, then one horizontal pass per output
// row (not per source row).
func resampleRows(conv *rowReader, out *image.RGBA, ax, ay axis, sw, dw, y0, y1 int) {
	row := make([]uint8, sw*4)
	vacc := make([]uint32, sw*4)
	lastY := -1
	const round = 1 << (2*weightBits - 1)
	for oy := y0; oy < y1; oy++ {
		clear(vacc)
		y := int(ay.start[oy])
		for _, w := range ay.w[ay.off[oy]:ay.off[oy+1]] {
			if y != lastY {
				conv.read(y, row)
				lastY = y
			}
			uw := uint32(w)
			if uw == 1<<weightBits {
				for k, v := range row {
					vacc[k] += uint32(v) << weightBits
				}
			} else if uw != 0 {
				for k, v := range row {
					vacc[k] += uw * uint32(v)
				}
			}
			y++
		}
		dst := out.Pix[oy*out.Stride : oy*out.Stride+dw*4]
		for o := 0; o < dw; o++ {
			ws := ax.w[ax.off[o]:ax.off[o+1]]
			src := vacc[int(ax.start[o])*4:]
			src = src[:len(ws)*4]
			var r, g, bl, al uint32
			for i, w := range ws {
				p := src[i*4 : i*4+4 : i*4+4]
				uw := uint32(w)
				r += uw * p[0]
				g += uw * p[1]
				bl += uw * p[2]
				al += uw * p[3]
			}
			d := dst[o*4 : o*4+4 : o*4+4]
			d[0] = uint8((r + round) >> (2 * weightBits))
			d[1] = uint8((g + round) >> (2 * weightBits))
			d[2] = uint8((bl + round) >> (2 * weightBits))
			d[3] = uint8((al + round) >> (2 * weightBits))
		}
	}
}

// scratch recycles the full-size RGBA buffers of resample, which are garbage
// once Prepare has snapped the image to a palette.
var scratch = sync.Pool{New: func() any { return []uint8(nil) }}

func newScratchRGBA(w, h int) *image.RGBA {
	buf := scratch.Get().([]uint8)
	n := w * h * 4
	if cap(buf) < n {
		buf = make([]uint8, n)
	}
	return &image.RGBA{Pix: buf[:n], Stride: w * 4, Rect: image.Rect(0, 0, w, h)}
}

// release returns m's pixels to the pool; m must not be used afterwards.
func release(m *image.RGBA) { scratch.Put(m.Pix[:0]) } //nolint:staticcheck // a slice header is fine here

// rowReader converts one source row to premultiplied 8-bit RGBA, with fast
// paths for the types the standard decoders return.
type rowReader struct {
	src image.Image
	b   image.Rectangle
	pal [256][4]uint8
}

func newRowReader(src image.Image) *rowReader {
	r := &rowReader{src: src, b: src.Bounds()}
	if p, ok := src.(*image.Paletted); ok {
		for i, c := range p.Palette {
			if i >= 256 {
				break
			}
			cr, cg, cb, ca := c.RGBA()
			r.pal[i] = [4]uint8{uint8(cr >> 8), uint8(cg >> 8), uint8(cb >> 8), uint8(ca >> 8)}
		}
	}
	return r
}

// read fills dst (len = width*4) with row y (0-based within the bounds).
func (r *rowReader) read(y int, dst []uint8) {
	b := r.b
	sy := b.Min.Y + y
	w := b.Dx()
	switch s := r.src.(type) {
	case *image.RGBA:
		i := s.PixOffset(b.Min.X, sy)
		copy(dst, s.Pix[i:i+w*4])
	case *image.NRGBA:
		i := s.PixOffset(b.Min.X, sy)
		src := s.Pix[i : i+w*4]
		dst = dst[:len(src)]
		for x := 0; x < len(src); x += 4 {
			p := src[x : x+4 : x+4]
			d := dst[x : x+4 : x+4]
			switch a := uint32(p[3]); a {
			case 0xff:
				d[0], d[1], d[2], d[3] = p[0], p[1], p[2], 0xff
			case 0:
				d[0], d[1], d[2], d[3] = 0, 0, 0, 0
			default:
				d[0], d[1], d[2], d[3] = mul255(p[0], a), mul255(p[1], a), mul255(p[2], a), uint8(a)
			}
		}
	case *image.Paletted:
		i := s.PixOffset(b.Min.X, sy)
		for x, idx := range s.Pix[i : i+w] {
			c := &r.pal[idx]
			dst[x*4], dst[x*4+1], dst[x*4+2], dst[x*4+3] = c[0], c[1], c[2], c[3]
		}
	case *image.Gray:
		i := s.PixOffset(b.Min.X, sy)
		for x, g := range s.Pix[i : i+w] {
			dst[x*4], dst[x*4+1], dst[x*4+2], dst[x*4+3] = g, g, g, 0xff
		}
	case *image.YCbCr:
		readYCbCr(s, b.Min.X, sy, w, dst)
	default:
		for x := 0; x < w; x++ {
			cr, cg, cb, ca := r.src.At(b.Min.X+x, sy).RGBA()
			dst[x*4], dst[x*4+1], dst[x*4+2], dst[x*4+3] = uint8(cr>>8), uint8(cg>>8), uint8(cb>>8), uint8(ca>>8)
		}
	}
}

// readYCbCr converts one row of a JPEG's YCbCr image, with the chroma
// subsampling worked out once per row instead of per pixel.
func readYCbCr(s *image.YCbCr, x0, y, w int, dst []uint8) {
	var hs, vs int // log2 of the chroma subsampling
	switch s.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		hs = 1
	case image.YCbCrSubsampleRatio420:
		hs, vs = 1, 1
	case image.YCbCrSubsampleRatio440:
		vs = 1
	case image.YCbCrSubsampleRatio411:
		hs = 2
	case image.YCbCrSubsampleRatio410:
		hs, vs = 2, 1
	}
	yrow := s.Y[(y-s.Rect.Min.Y)*s.YStride+x0-s.Rect.Min.X:][:w]
	crow := (y>>vs - s.Rect.Min.Y>>vs) * s.CStride
	cx0 := s.Rect.Min.X >> hs
	dst = dst[:w*4]
	// The JFIF conversion of color.YCbCrToRGB, inlined, with the chroma
	// terms computed once per chroma sample: the hot loop for JPEG codes.
	lastCi := -1
	var rc, gc, bc int32
	for i, yv := range yrow {
		ci := crow + ((x0 + i) >> hs) - cx0
		if ci != lastCi {
			lastCi = ci
			cb := int32(s.Cb[ci]) - 128
			cr := int32(s.Cr[ci]) - 128
			rc, gc, bc = 91881*cr, -22554*cb-46802*cr, 116130*cb
		}
		yy := int32(yv) * 0x10101
		d := dst[i*4 : i*4+4 : i*4+4]
		d[0] = clamp16(yy + rc)
		d[1] = clamp16(yy + gc)
		d[2] = clamp16(yy + bc)
		d[3] = 0xff
	}
}

// clamp16 takes the top byte of a 16.16 fixed-point value clamped to 0–255.
func clamp16(v int32) uint8 {
	if uint32(v)&0xff000000 == 0 {
		return uint8(v >> 16)
	}
	return uint8(^(v >> 31))
}

// mul255 is round(v*a/255) without a division.
func mul255(v uint8, a uint32) uint8 {
	t := uint32(v)*a + 128
	return uint8((t + t>>8) >> 8)
}
