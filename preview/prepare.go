package preview

import (
	"image"
	"image/color"
	"sync"
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
	transparent := !opaque(rgba)
	if bg == BackgroundNone && transparent {
		n := unpremultiply(rgba)
		release(rgba)
		return n
	}
	if bg == BackgroundChecker && transparent {
		return checkered(rgba)
	}
	flatten(rgba, bg)
	if p, ok := twoTone(rgba); ok {
		release(rgba)
		return p
	}
	// A few exact colours (a clean PNG) are kept as they are; many (JPEG
	// noise around flat colours) are snapped to the flat colours first,
	// which keeps the sixel small; then up to 255 exact ones; then median cut.
	if p := exactPalette(rgba, 32); p != nil {
		release(rgba)
		return p
	}
	if p := snapPeaks(rgba); p != nil {
		release(rgba)
		return p
	}
	if p := exactPalette(rgba, 255); p != nil {
		release(rgba)
		return p
	}
	return rgba
}

// checkered snaps a transparent two-tone code like Prepare does over white,
// then shows the checkerboard where the light side was mostly transparent.
// Images that are not two-tone are flattened over the checkerboard as they are.
func checkered(rgba *image.RGBA) image.Image {
	alpha := make([]uint8, len(rgba.Pix)/4)
	for i := range alpha {
		alpha[i] = rgba.Pix[i*4+3]
	}
	white := image.NewRGBA(rgba.Rect)
	copy(white.Pix, rgba.Pix)
	flatten(white, BackgroundWhite)
	p, ok := twoTone(white)
	if !ok {
		flatten(rgba, BackgroundChecker)
		if p := exactPalette(rgba, 255); p != nil {
			release(rgba)
			return p
		}
		return rgba
	}
	release(rgba)
	p.Palette = append(p.Palette, color.RGBA{checkerLight[0], checkerLight[1], checkerLight[2], 0xff},
		color.RGBA{checkerDark[0], checkerDark[1], checkerDark[2], 0xff})
	w := p.Rect.Dx()
	for j, a := range alpha {
		if p.Pix[j] == 1 && a < 0x80 {
			x, y := j%w, j/w
			p.Pix[j] = 2 + uint8((x/checkerSize+y/checkerSize)%2)
		}
	}
	return p
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
func twoTone(m *image.RGBA) (*image.Paletted, bool) { return snapTwo(m, false) }

// snapTwo is twoTone; force skips the blend check and always snaps (the
// half-block rendering of a QR code that sits on a coloured badge).
func snapTwo(m *image.RGBA, force bool) (*image.Paletted, bool) {
	var hist [256]int
	pix := m.Pix
	n := len(pix) / 4
	lum := getBytes(n)
	defer putBytes(lum)
	for i, j := 0, 0; j < n; i, j = i+4, j+1 {
		l := luma(pix[i], pix[i+1], pix[i+2])
		lum[j] = uint8(l)
		hist[l]++
	}
	if force {
		// Halfway between the darkest and lightest few percent, drawn
		// black on white: rings and badges around the QR must not pull the
		// threshold the way they pull Otsu's.
		lo, hi := percentile(&hist, n, 2), percentile(&hist, n, 98)
		mid := uint8((lo + hi + 1) / 2)
		out := image.NewPaletted(m.Rect, color.Palette{color.RGBA{0, 0, 0, 0xff}, color.RGBA{0xff, 0xff, 0xff, 0xff}})
		for j, l := range lum {
			if l >= mid {
				out.Pix[j] = 1
			}
		}
		return out, true
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
	// A flat third colour between the two (a grey ring or badge around the
	// code) makes areas of mid-tone pixels whose neighbours share their
	// tone; blends from anti-aliasing and scaling are thin edges instead.
	ld, ll := luma(dark.R, dark.G, dark.B), luma(light.R, light.G, light.B)
	lo, hi := uint8(ld+(ll-ld)/5), uint8(ll-(ll-ld)/5)
	w := m.Rect.Dx()
	near := func(a, b uint8) bool { return a-b <= 6 || b-a <= 6 }
	// A pixel is a blend when each of its Y, Cb, Cr lies between the two
	// colours' (with some slack): component-wise, because JPEG blurs chroma
	// separately from luma, so edges of a coloured code are off the straight
	// line between the colours but still inside the box.
	const tol = 24
	ya, ca, ra := ycc(dark.R, dark.G, dark.B)
	yb, cb, rb := ycc(light.R, light.G, light.B)
	ylo, yhi := min(ya, yb)-tol, max(ya, yb)+tol
	clo, chi := min(ca, cb)-tol, max(ca, cb)+tol
	rlo, rhi := min(ra, rb)-tol, max(ra, rb)+tol
	// The check runs on a sample: a logo covers thousands of pixels.
	step = 1 + n/50000
	outliers, maxOut := 0, n/step/200+1
	for i := 0; i < len(pix); i += 4 * step {
		y, c, r := ycc(pix[i], pix[i+1], pix[i+2])
		if y < ylo || y > yhi || c < clo || c > chi || r < rlo || r > rhi {
			outliers++
			if outliers > maxOut {
				return nil, false
			}
		}
	}
	// Each pixel goes to the nearer colour by luma, which JPEG keeps sharp;
	// the flat-area check runs in the same pass.
	mid := uint8((luma(dark.R, dark.G, dark.B) + luma(light.R, light.G, light.B) + 1) / 2)
	out := image.NewPaletted(m.Rect, color.Palette{dark, light})
	flat, maxFlat := 0, n/200+1
	for j, l := range lum {
		if l >= mid {
			out.Pix[j] = 1
		}
		if l < lo || l > hi || j <= w || j >= n-w-1 {
			continue
		}
		if near(lum[j-1], l) && near(lum[j+1], l) && near(lum[j-w], l) && near(lum[j+w], l) {
			flat++
			if flat > maxFlat {
				return nil, false
			}
		}
	}
	return out, true
}

// ycc is an integer JFIF RGB → YCbCr, enough to compare colours by component.
func ycc(r, g, b uint8) (y, cb, cr int) {
	R, G, B := int(r), int(g), int(b)
	return (77*R + 150*G + 29*B) >> 8, (-43*R-85*G+128*B)>>8 + 128, (128*R-107*G-21*B)>>8 + 128
}

// percentile returns the luma below which pct % of the n pixels lie.
func percentile(h *[256]int, n, pct int) int {
	want, seen := n*pct/100, 0
	for v, c := range h {
		seen += c
		if seen > want {
			return v
		}
	}
	return 255
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
// when it has more than limit (at most 255: one sixel register is kept spare).
func exactPalette(m *image.RGBA, limit int) *image.Paletted {
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
			if len(pal) == limit {
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

// snapPeaks maps a JPEG of a few flat colours (a code on a grey badge, with
// a ring and a label) back to those colours: the peaks of a 15-bit colour
// histogram, merged when close, must cover 85 % of the pixels; each pixel
// then takes the nearest peak. nil when the image is not like that (a photo
// avatar), and go-sixel's median cut takes over.
func snapPeaks(m *image.RGBA) *image.Paletted {
	const buckets = 1 << 15
	t := peakTables.Get().(*peakTable)
	defer peakTables.Put(t)
	count, sum, lut := t.count[:], t.sum[:], t.lut[:]
	clear(count)
	clear(sum)
	pix := m.Pix
	n := len(pix) / 4
	for i := 0; i < len(pix); i += 4 {
		k := int(pix[i]>>3)<<10 | int(pix[i+1]>>3)<<5 | int(pix[i+2]>>3)
		count[k]++
		sum[k][0] += int32(pix[i])
		sum[k][1] += int32(pix[i+1])
		sum[k][2] += int32(pix[i+2])
	}
	type peak struct {
		c [3]int
		n int
	}
	var peaks []peak
	covered := 0
	for k, c := range count {
		if int(c) < n/200+1 {
			continue
		}
		covered += int(c)
		p := peak{[3]int{int(sum[k][0] / c), int(sum[k][1] / c), int(sum[k][2] / c)}, int(c)}
		merged := false
		for i := range peaks {
			q := &peaks[i]
			if abs(q.c[0]-p.c[0])+abs(q.c[1]-p.c[1])+abs(q.c[2]-p.c[2]) <= 24 {
				if p.n > q.n {
					q.c = p.c // the bigger bucket's colour wins: it is the flat area's
				}
				q.n += p.n
				merged = true
				break
			}
		}
		if !merged {
			peaks = append(peaks, p)
			if len(peaks) > 32 {
				return nil
			}
		}
	}
	if covered < n*85/100 {
		return nil
	}
	pal := make(color.Palette, len(peaks))
	for i, p := range peaks {
		pal[i] = color.RGBA{uint8(p.c[0]), uint8(p.c[1]), uint8(p.c[2]), 0xff}
	}
	for i := range lut {
		lut[i] = -1
	}
	out := image.NewPaletted(m.Rect, pal)
	for i, j := 0, 0; i < len(pix); i, j = i+4, j+1 {
		k := int(pix[i]>>3)<<10 | int(pix[i+1]>>3)<<5 | int(pix[i+2]>>3)
		if lut[k] < 0 {
			r, g, b := int(pix[i]>>3)<<3+4, int(pix[i+1]>>3)<<3+4, int(pix[i+2]>>3)<<3+4
			best, bestD := 0, 1<<30
			for pi, p := range peaks {
				d := (p.c[0]-r)*(p.c[0]-r) + (p.c[1]-g)*(p.c[1]-g) + (p.c[2]-b)*(p.c[2]-b)
				if d < bestD {
					best, bestD = pi, d
				}
			}
			lut[k] = int16(best)
		}
		out.Pix[j] = uint8(lut[k])
	}
	return out
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// Scratch for the per-pixel passes, recycled: the garbage collector otherwise
// runs on every render, preempting the hot loops.
var (
	byteBufs   sync.Pool
	peakTables = sync.Pool{New: func() any { return new(peakTable) }}
)

type peakTable struct {
	count [1 << 15]int32
	sum   [1 << 15][3]int32
	lut   [1 << 15]int16
}

func getBytes(n int) []uint8 {
	if b, ok := byteBufs.Get().(*[]uint8); ok && cap(*b) >= n {
		return (*b)[:n]
	}
	return make([]uint8, n)
}

func putBytes(b []uint8) { byteBufs.Put(&b) }
