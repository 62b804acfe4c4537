package preview

import (
	"image"
	"image/color"
)

// Checkerboard colours and square size (in output pixels) for BackgroundChecker.
var (
	checkerLight = [3]uint8{0xff, 0xff, 0xff}
	checkerDark  = [3]uint8{0xcc, 0xcc, 0xcc}
)

const checkerSize = 8

// Prepare scales img to w×h pixels and makes it ready to encode:
// transparency flattened onto bg (kept when bg is BackgroundNone), and an
// image that is two-tone (a code, JPEG noise included) snapped to its two
// exact colours. The result is a 2-colour *image.Paletted (index 0 the dark
// colour, 1 the light one) for two-tone images, a *image.Paletted with the
// exact colours when there are at most 255, an opaque *image.RGBA otherwise,
// or an *image.NRGBA when alpha is kept.
func Prepare(img image.Image, w, h int, bg Background) image.Image {
	rgba := resample(img, w, h)
	if bg == BackgroundNone && !opaque(rgba) {
		n := unpremultiply(rgba)
		release(rgba)
		return n
	}
	flatten(rgba, bg)
	if p, ok := twoTone(rgba); ok {
		release(rgba)
		return p
	}
	if p := exactPalette(rgba); p != nil {
		release(rgba)
		return p
	}
	return rgba
}

func opaque(m *image.RGBA) bool {
	for i := 3; i < len(m.Pix); i += 4 {
		if m.Pix[i] != 0xff {
			return false
		}
	}
	return true
}

func unpremultiply(m *image.RGBA) *image.NRGBA {
	out := image.NewNRGBA(m.Rect)
	for i := 0; i < len(m.Pix); i += 4 {
		a := m.Pix[i+3]
		switch a {
		case 0:
		case 0xff:
			copy(out.Pix[i:i+4], m.Pix[i:i+4])
		default:
			for c := 0; c < 3; c++ {
				v := (uint32(m.Pix[i+c])*255 + uint32(a)/2) / uint32(a)
				out.Pix[i+c] = uint8(min(v, 255))
			}
			out.Pix[i+3] = a
		}
	}
	return out
}

// flatten composites premultiplied m over the background in place.
func flatten(m *image.RGBA, bg Background) {
	w := m.Rect.Dx()
	for y := 0; y < m.Rect.Dy(); y++ {
		row := m.Pix[y*m.Stride : y*m.Stride+w*4]
		for x := 0; x < w; x++ {
			p := row[x*4 : x*4+4 : x*4+4]
			a := p[3]
			if a == 0xff {
				continue
			}
			b := checkerLight
			if bg == BackgroundChecker && (x/checkerSize+y/checkerSize)%2 == 1 {
				b = checkerDark
			}
			k := uint32(255 - a)
			for c := 0; c < 3; c++ {
				p[c] = uint8(min(uint32(p[c])+(k*uint32(b[c])+127)/255, 255))
			}
			p[3] = 0xff
		}
	}
}

func luma(r, g, b uint8) int { return (77*int(r) + 150*int(g) + 29*int(b)) >> 8 }

// twoTone snaps opaque m to two colours when it is made of two colours and
// the blends between them (anti-aliasing, downscaling, JPEG noise): the
// per-channel mode of each side of the Otsu luma threshold. Every pixel must
// lie near the segment dark→light; a few outliers (JPEG ringing) are
// tolerated, a coloured logo is not. Each pixel goes to the nearer end.
func twoTone(m *image.RGBA) (*image.Paletted, bool) {
	var hist [256]int
	pix := m.Pix
	n := len(pix) / 4
	lum := make([]uint8, n)
	for i, j := 0, 0; j < n; i, j = i+4, j+1 {
		l := luma(pix[i], pix[i+1], pix[i+2])
		lum[j] = uint8(l)
		hist[l]++
	}
	t := otsu(&hist, n)
	var ch [2][3][256]int
	step := 1 + n/65536 // a sample is enough to find the modes
	for j := 0; j < n; j += step {
		s := 0
		if int(lum[j]) > t {
			s = 1
		}
		i := j * 4
		ch[s][0][pix[i]]++
		ch[s][1][pix[i+1]]++
		ch[s][2][pix[i+2]]++
	}
	mode := func(h *[256]int) uint8 {
		best := 0
		for v := 1; v < 256; v++ {
			if h[v] > h[best] {
				best = v
			}
		}
		return uint8(best)
	}
	dark := color.RGBA{mode(&ch[0][0]), mode(&ch[0][1]), mode(&ch[0][2]), 0xff}
	light := color.RGBA{mode(&ch[1][0]), mode(&ch[1][1]), mode(&ch[1][2]), 0xff}
	if luma(light.R, light.G, light.B)-luma(dark.R, dark.G, dark.B) < 48 {
		return nil, false // one colour, or too little contrast to call it a code
	}
	const tol = 40
	d0, d1, d2 := int(light.R)-int(dark.R), int(light.G)-int(dark.G), int(light.B)-int(dark.B)
	dd := d0*d0 + d1*d1 + d2*d2
	lim := tol * dd
	dr, dg, db := int(dark.R), int(dark.G), int(dark.B)
	// The check runs on a sample: a logo covers thousands of pixels.
	step = 1 + n/50000
	outliers, maxOut := 0, n/step/200+1
	for i := 0; i < len(pix); i += 4 * step {
		v0, v1, v2 := int(pix[i])-dr, int(pix[i+1])-dg, int(pix[i+2])-db
		num := max(0, min(v0*d0+v1*d1+v2*d2, dd))
		if abs(v0*dd-d0*num) > lim || abs(v1*dd-d1*num) > lim || abs(v2*dd-d2*num) > lim {
			outliers++
			if outliers > maxOut {
				return nil, false
			}
		}
	}
	out := image.NewPaletted(m.Rect, color.Palette{dark, light})
	for i, j := 0, 0; j < n; i, j = i+4, j+1 {
		if 2*((int(pix[i])-dr)*d0+(int(pix[i+1])-dg)*d1+(int(pix[i+2])-db)*d2) >= dd {
			out.Pix[j] = 1
		}
	}
	return out, true
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// otsu returns the luma threshold that best separates the histogram in two.
func otsu(h *[256]int, n int) int {
	sum := 0
	for v, c := range h {
		sum += v * c
	}
	var sumB, wB int
	best, bestT := -1.0, 127
	for t := 0; t < 256; t++ {
		wB += h[t]
		if wB == 0 {
			continue
		}
		wF := n - wB
		if wF == 0 {
			break
		}
		sumB += t * h[t]
		mB := float64(sumB) / float64(wB)
		mF := float64(sum-sumB) / float64(wF)
		between := float64(wB) * float64(wF) * (mB - mF) * (mB - mF)
		if between > best {
			best, bestT = between, t
		}
	}
	return bestT
}

// exactPalette returns m as a paletted image with its exact colours, or nil
// when it has more than 255 (one sixel register is kept spare).
func exactPalette(m *image.RGBA) *image.Paletted {
	const size = 1024 // open addressing, load ≤ 25%
	var keys [size]uint32
	var idx [size]uint8
	var used [size]bool
	var pal color.Palette
	out := image.NewPaletted(m.Rect, nil)
	last, lastIdx := uint32(0), uint8(0)
	haveLast := false
	pix := m.Pix
	for i, j := 0, 0; i < len(pix); i, j = i+4, j+1 {
		k := uint32(pix[i])<<16 | uint32(pix[i+1])<<8 | uint32(pix[i+2])
		if haveLast && k == last {
			out.Pix[j] = lastIdx
			continue
		}
		h := (k * 2654435761) >> 22 // top 10 bits
		for used[h] && keys[h] != k {
			h = (h + 1) & (size - 1)
		}
		if !used[h] {
			if len(pal) == 255 {
				return nil
			}
			used[h], keys[h], idx[h] = true, k, uint8(len(pal))
			pal = append(pal, color.RGBA{pix[i], pix[i+1], pix[i+2], 0xff})
		}
		last, lastIdx, haveLast = k, idx[h], true
		out.Pix[j] = lastIdx
	}
	out.Palette = pal
	return out
}
