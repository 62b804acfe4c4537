package preview

import (
	"image"
	"image/color"
	"math"
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
	out := image.NewRGBA(image.Rect(0, 0, dw, dh))
	conv := newRowReader(src)
	if sw == dw && sh == dh {
		for y := 0; y < dh; y++ {
			conv.read(y, out.Pix[y*out.Stride:y*out.Stride+dw*4])
		}
		return out
	}
	ax, ay := newAxis(sw, dw), newAxis(sh, dh)
	row := make([]uint8, sw*4)
	hrow := make([]uint32, dw*4)
	acc := make([]uint32, dw*4)
	lastY := -1
	horizontal := func(y int) {
		if y == lastY {
			return
		}
		lastY = y
		conv.read(y, row)
		for o := 0; o < dw; o++ {
			var r, g, bl, al uint32
			s := int(ax.start[o]) * 4
			for _, w := range ax.w[ax.off[o]:ax.off[o+1]] {
				uw := uint32(w)
				r += uw * uint32(row[s])
				g += uw * uint32(row[s+1])
				bl += uw * uint32(row[s+2])
				al += uw * uint32(row[s+3])
				s += 4
			}
			hrow[o*4], hrow[o*4+1], hrow[o*4+2], hrow[o*4+3] = r, g, bl, al
		}
	}
	const round = 1 << (2*weightBits - 1)
	for oy := 0; oy < dh; oy++ {
		clear(acc)
		y := int(ay.start[oy])
		for _, w := range ay.w[ay.off[oy]:ay.off[oy+1]] {
			horizontal(y)
			uw := uint32(w)
			for k, v := range hrow {
				acc[k] += uw * v
			}
			y++
		}
		dst := out.Pix[oy*out.Stride : oy*out.Stride+dw*4]
		for k, v := range acc {
			dst[k] = uint8((v + round) >> (2 * weightBits))
		}
	}
	return out
}

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
		for x := 0; x < w*4; x += 4 {
			a := src[x+3]
			switch a {
			case 0xff:
				dst[x], dst[x+1], dst[x+2], dst[x+3] = src[x], src[x+1], src[x+2], 0xff
			case 0:
				dst[x], dst[x+1], dst[x+2], dst[x+3] = 0, 0, 0, 0
			default:
				a16 := uint16(a)
				dst[x] = uint8((uint16(src[x])*a16 + 127) / 255)
				dst[x+1] = uint8((uint16(src[x+1])*a16 + 127) / 255)
				dst[x+2] = uint8((uint16(src[x+2])*a16 + 127) / 255)
				dst[x+3] = a
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
		for x := 0; x < w; x++ {
			yi := s.YOffset(b.Min.X+x, sy)
			ci := s.COffset(b.Min.X+x, sy)
			cr, cg, cb := color.YCbCrToRGB(s.Y[yi], s.Cb[ci], s.Cr[ci])
			dst[x*4], dst[x*4+1], dst[x*4+2], dst[x*4+3] = cr, cg, cb, 0xff
		}
	default:
		for x := 0; x < w; x++ {
			cr, cg, cb, ca := r.src.At(b.Min.X+x, sy).RGBA()
			dst[x*4], dst[x*4+1], dst[x*4+2], dst[x*4+3] = uint8(cr>>8), uint8(cg>>8), uint8(cb>>8), uint8(ca>>8)
		}
	}
}
