package preview

import (
	"encoding/binary"
	"image"
	"image/color"
)

// twoTone snaps opaque m to two colours when it is made of two colours and
// the blends between them (anti-aliasing, downscaling, JPEG noise): the
// per-channel mode of each side of the Otsu luma threshold. Every pixel must
// lie near the segment dark→light; a few outliers (JPEG ringing) are
// tolerated, a coloured logo is not. Each pixel goes to the nearer end.
func twoTone(m *image.RGBA) (*image.Paletted, bool) { return snapTwo(m, false) }

// snapTwo is twoTone; force skips the blend check and always snaps (the
// half-block rendering of a QR code that sits on a coloured badge).
func snapTwo(m *image.RGBA, force bool) (*image.Paletted, bool) {
	out := newPaletted(m.Rect, nil)
	if !snapRGBA(m, out, force) {
		return nil, false
	}
	return out, true
}

// snapRGBA is snapTwo into out (of m's size).
func snapRGBA(m *image.RGBA, out *image.Paletted, force bool) bool {
	pix := m.Pix
	lum := getBytes(len(pix) / 4)
	defer putBytes(lum)
	for j := range lum {
		u := binary.LittleEndian.Uint32(pix[j*4:])
		lum[j] = uint8((77*(u&0xff) + 150*(u>>8&0xff) + 29*(u>>16&0xff)) >> 8)
	}
	hist := histogram(lum)
	return snapLum(pix, lum, &hist, out, force)
}

// threshold sets op[j] to 1 where lum[j] >= mid, else 0.
func threshold(op, lum []uint8, mid uint8) {
	for j, l := range lum {
		var b uint8
		if l >= mid {
			b = 1
		}
		op[j] = b
	}
}

// snapLum is snapTwo into out given the luma of every pixel and its
// histogram; pix nil means the image is grey, lum itself. On success it
// sets every index of out and its palette.
func snapLum(pix, lum []uint8, hist *[256]int, out *image.Paletted, force bool) bool {
	n := len(lum)
	op := out.Pix[:n]
	if force {
		// Halfway between the darkest and lightest few percent, drawn
		// black on white: rings and badges around the QR must not pull the
		// threshold the way they pull Otsu's.
		lo, hi := percentile(hist, n, 2), percentile(hist, n, 98)
		mid := uint8((lo + hi + 1) / 2)
		out.Palette = color.Palette{color.RGBA{0, 0, 0, 0xff}, color.RGBA{0xff, 0xff, 0xff, 0xff}}
		threshold(op, lum, mid)
		return true
	}
	t := otsu(hist, n)
	var ch [2][3][256]int
	step := 1 + n/65536 // a sample is enough to find the modes
	if pix == nil {
		// Grey: one histogram of the sample, split at the threshold.
		var h4 [4][256]int32
		j := 0
		for ; j+3*step < n; j += 4 * step {
			h4[0][lum[j]]++
			h4[1][lum[j+step]]++
			h4[2][lum[j+2*step]]++
			h4[3][lum[j+3*step]]++
		}
		for ; j < n; j += step {
			h4[0][lum[j]]++
		}
		for v := range 256 {
			s := 0
			if v > t {
				s = 1
			}
			ch[s][0][v] = int(h4[0][v]) + int(h4[1][v]) + int(h4[2][v]) + int(h4[3][v])
		}
		ch[0][1], ch[0][2], ch[1][1], ch[1][2] = ch[0][0], ch[0][0], ch[1][0], ch[1][0]
	} else {
		// Codes repeat a pixel over long runs: counted per run, the
		// increments do not wait on each other.
		var last uint32
		run := 0
		for j := 0; j < n; j += step {
			u := binary.LittleEndian.Uint32(pix[j*4:])&0xffffff | uint32(lum[j])<<24
			if run > 0 && u == last {
				run++
				continue
			}
			countRun(&ch, last, run, t)
			last, run = u, 1
		}
		countRun(&ch, last, run, t)
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
		return false // one colour, or too little contrast to call it a code
	}
	// A flat third colour between the two (a grey ring or badge around the
	// code) makes areas of mid-tone pixels whose neighbours share their
	// tone; blends from anti-aliasing and scaling are thin edges instead.
	ld, ll := luma(dark.R, dark.G, dark.B), luma(light.R, light.G, light.B)
	lo, hi := uint8(ld+(ll-ld)/5), uint8(ll-(ll-ld)/5)
	w := out.Rect.Dx()
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
	outside := func(r, g, b uint8) bool {
		y, c, r2 := ycc(r, g, b)
		return y < ylo || y > yhi || c < clo || c > chi || r2 < rlo || r2 > rhi
	}
	if pix == nil {
		// Grey: Cb and Cr are 128 for every pixel, Y the grey.
		grey := 128 >= clo && 128 <= chi && 128 >= rlo && 128 <= rhi
		for j := 0; j < n; j += step {
			if l := int(lum[j]); !grey || l < ylo || l > yhi {
				outliers++
			}
		}
		if outliers > maxOut {
			return false
		}
	} else {
		var lastU uint32
		lastOut, have := false, false
		for j := 0; j < n; j += step {
			u := binary.LittleEndian.Uint32(pix[j*4:])
			if !have || u != lastU {
				lastU, lastOut, have = u, outside(uint8(u), uint8(u>>8), uint8(u>>16)), true
			}
			if lastOut {
				outliers++
				if outliers > maxOut {
					return false
				}
			}
		}
	}
	// Each pixel goes to the nearer colour by luma, which JPEG keeps sharp;
	// the flat-area check runs in the same pass.
	mid := uint8((luma(dark.R, dark.G, dark.B) + luma(light.R, light.G, light.B) + 1) / 2)
	flat, maxFlat := 0, n/200+1
	span := hi - lo
	if mids := sum(hist[lo : int(hi)+1]); mids <= maxFlat {
		// Too few mid-tones to fail the check (a clean code): fill only.
		threshold(op, lum, mid)
		out.Palette = color.Palette{dark, light}
		return true
	}
	for j, l := range lum {
		var b uint8
		if l >= mid {
			b = 1
		}
		op[j] = b
		if l-lo > span || j <= w || j >= n-w-1 {
			continue // not a mid-tone, or on the edge
		}
		if near(lum[j-1], l) && near(lum[j+1], l) && near(lum[j-w], l) && near(lum[j+w], l) {
			flat++
			if flat > maxFlat {
				return false
			}
		}
	}
	out.Palette = color.Palette{dark, light}
	return true
}

func sum(counts []int) int {
	s := 0
	for _, c := range counts {
		s += c
	}
	return s
}

// countRun adds run samples of the pixel u (RGB, luma on top) to the
// channel histograms of its side of the threshold t.
func countRun(ch *[2][3][256]int, u uint32, run, t int) {
	if run == 0 {
		return
	}
	s := 0
	if int(u>>24) > t {
		s = 1
	}
	ch[s][0][u&0xff] += run
	ch[s][1][u>>8&0xff] += run
	ch[s][2][u>>16&0xff] += run
}

// histogram counts the values of p, in four interleaved tables so that runs
// of one value (most of a code) do not serialise on one counter.
func histogram(p []uint8) [256]int {
	var h4 [4][256]int32
	i := 0
	for ; i+4 <= len(p); i += 4 {
		q := p[i : i+4 : i+4]
		h4[0][q[0]]++
		h4[1][q[1]]++
		h4[2][q[2]]++
		h4[3][q[3]]++
	}
	for ; i < len(p); i++ {
		h4[0][p[i]]++
	}
	var h [256]int
	for v := range h {
		h[v] = int(h4[0][v]) + int(h4[1][v]) + int(h4[2][v]) + int(h4[3][v])
	}
	return h
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
