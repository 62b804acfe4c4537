package preview

import (
	"encoding/binary"
	"image"
	"image/color"
	"slices"
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
	rgba, grey := resampleGrey(img, w, h, bg == BackgroundWhite)
	if grey != nil {
		// Opaque and grey (most codes): snapped straight from the grey
		// plane, which is its own luma.
		p := prepareGrey(grey, w, h)
		putBytes(grey)
		return p
	}
	transparent := !opaque(rgba)
	if bg == BackgroundNone && transparent {
		n := unpremultiply(rgba)
		release(rgba)
		return n
	}
	if bg == BackgroundChecker && transparent {
		return checkered(rgba)
	}
	if transparent {
		flatten(rgba, bg) // a no-op on opaque pixels
	}
	return prepareOpaque(rgba)
}

// prepareGrey is Prepare for an opaque grey plane, which is its own luma:
// the same steps as prepareOpaque, on one byte per pixel.
func prepareGrey(grey []uint8, w, h int) image.Image {
	out := image.NewPaletted(image.Rect(0, 0, w, h), nil) // each step writes all of it
	hist := histogram(grey)
	if snapLum(nil, grey, &hist, out, false) ||
		exactPaletteGrey(grey, &hist, out, 32) ||
		snapPeaksGrey(grey, &hist, out) ||
		exactPaletteGrey(grey, &hist, out, 255) {
		return out
	}
	return expandGrey(grey, w, h)
}

// prepareOpaque is Prepare for an opaque rgba, which it takes over.
func prepareOpaque(rgba *image.RGBA) image.Image {
	// A few exact colours (a clean PNG) are kept as they are; many (JPEG
	// noise around flat colours) are snapped to the flat colours first,
	// which keeps the sixel small; then up to 255 exact ones; then median cut.
	out := image.NewPaletted(rgba.Rect, nil) // each step writes all of it
	if snapRGBA(rgba, out, false) ||
		exactPalette(rgba.Pix, out, 32) ||
		snapPeaks(rgba.Pix, out) ||
		exactPalette(rgba.Pix, out, 255) {
		release(rgba)
		return out
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
		if p := image.NewPaletted(rgba.Rect, nil); exactPalette(rgba.Pix, p, 255) {
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
	out := image.NewPaletted(m.Rect, nil)
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
		for j, l := range lum {
			var b uint8
			if l >= mid {
				b = 1
			}
			op[j] = b
		}
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

// exactPalette sets out (of the same size) to the opaque RGBA pixels pix
// with their exact colours; false when they have more than limit (at most
// 255: one sixel register is kept spare).
func exactPalette(pix []uint8, out *image.Paletted, limit int) bool {
	const size = 1024 // open addressing, load ≤ 25%
	var keys [size]uint32
	var idx [size]uint8
	var used [size]bool
	var pal color.Palette
	last, lastIdx := uint32(0), uint8(0)
	haveLast := false
	op := out.Pix[:len(pix)/4]
	for j := range op {
		i := j * 4
		k := uint32(pix[i])<<16 | uint32(pix[i+1])<<8 | uint32(pix[i+2])
		if haveLast && k == last {
			op[j] = lastIdx
			continue
		}
		h := (k * 2654435761) >> 22 // top 10 bits
		for used[h] && keys[h] != k {
			h = (h + 1) & (size - 1)
		}
		if !used[h] {
			if len(pal) == limit {
				return false
			}
			used[h], keys[h], idx[h] = true, k, uint8(len(pal))
			pal = append(pal, color.RGBA{pix[i], pix[i+1], pix[i+2], 0xff})
		}
		last, lastIdx, haveLast = k, idx[h], true
		op[j] = lastIdx
	}
	out.Palette = pal
	return true
}

// exactPaletteGrey is exactPalette for an opaque grey plane and its histogram.
func exactPaletteGrey(grey []uint8, hist *[256]int, out *image.Paletted, limit int) bool {
	distinct := 0
	for _, c := range hist {
		if c > 0 {
			distinct++
		}
	}
	if distinct > limit {
		return false
	}
	var idx [256]int16
	for i := range idx {
		idx[i] = -1
	}
	var pal color.Palette
	op := out.Pix[:len(grey)]
	for j, v := range grey {
		i := idx[v]
		if i < 0 {
			i = int16(len(pal))
			idx[v] = i
			pal = append(pal, color.RGBA{v, v, v, 0xff})
		}
		op[j] = uint8(i)
	}
	out.Palette = pal
	return true
}

// snapPeaks maps a JPEG of a few flat colours (a code on a grey badge, with
// a ring and a label) back to those colours: the peaks of a 15-bit colour
// histogram, merged when close, must cover 85 % of the pixels; each pixel
// then takes the nearest peak. nil when the image is not like that (a photo
// avatar), and go-sixel's median cut takes over.
func snapPeaks(pix []uint8, out *image.Paletted) bool {
	t := peakTables.Get().(*peakTable)
	defer t.done()
	n := len(pix) / 4
	// Counted per run of one colour: JPEG codes are mostly long runs.
	var last uint32
	run := int32(0)
	for j := 0; j < n; j++ {
		u := binary.LittleEndian.Uint32(pix[j*4:]) & 0xffffff
		if run > 0 && u == last {
			run++
			continue
		}
		if run > 0 {
			t.add(last, run)
		}
		last, run = u, 1
	}
	if run > 0 {
		t.add(last, run)
	}
	pal := t.peaks(n)
	if pal == nil {
		return false
	}
	op := out.Pix[:n]
	var idx uint8
	have := false
	for j := range op {
		u := binary.LittleEndian.Uint32(pix[j*4:]) & 0xffffff
		if !have || u != last {
			last, idx, have = u, t.b[bucketOf(u)].peak, true
		}
		op[j] = idx
	}
	out.Palette = pal
	return true
}

// snapPeaksGrey is snapPeaks for an opaque grey plane and its histogram.
func snapPeaksGrey(grey []uint8, hist *[256]int, out *image.Paletted) bool {
	t := peakTables.Get().(*peakTable)
	defer t.done()
	for v, c := range hist {
		if c > 0 {
			t.add(uint32(v)*0x010101, int32(c))
		}
	}
	pal := t.peaks(len(grey))
	if pal == nil {
		return false
	}
	var lut [256]uint8
	for v, c := range hist {
		if c > 0 {
			lut[v] = t.b[bucketOf(uint32(v)*0x010101)].peak
		}
	}
	op := out.Pix[:len(grey)]
	for j, v := range grey {
		op[j] = lut[v]
	}
	out.Palette = pal
	return true
}

// add counts run pixels of the RGB word u.
func (t *peakTable) add(u uint32, run int32) {
	k := bucketOf(u)
	b := &t.b[k]
	if b.n == 0 {
		t.used = append(t.used, k)
	}
	b.n += run
	b.sum[0] += int32(u&0xff) * run
	b.sum[1] += int32(u>>8&0xff) * run
	b.sum[2] += int32(u>>16&0xff) * run
}

// peaks finds the palette of snapPeaks among the n pixels counted, and the
// peak of every bucket in use; nil when the image is not a few flat colours.
func (t *peakTable) peaks(n int) color.Palette {
	slices.Sort(t.used) // the peaks are found in bucket order
	type peak struct {
		c [3]int
		n int
	}
	var peaks []peak
	covered := 0
	for _, k := range t.used {
		b := &t.b[k]
		c := b.n
		if int(c) < n/200+1 {
			continue
		}
		covered += int(c)
		p := peak{[3]int{int(b.sum[0] / c), int(b.sum[1] / c), int(b.sum[2] / c)}, int(c)}
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
	// Each bucket in use goes to the peak nearest its centre.
	for _, k := range t.used {
		r, g, b := int(k>>10)<<3+4, int(k>>5&31)<<3+4, int(k&31)<<3+4
		best, bestD := 0, 1<<30
		for pi, p := range peaks {
			d := (p.c[0]-r)*(p.c[0]-r) + (p.c[1]-g)*(p.c[1]-g) + (p.c[2]-b)*(p.c[2]-b)
			if d < bestD {
				best, bestD = pi, d
			}
		}
		t.b[k].peak = uint8(best)
	}
	return pal
}

// done clears the buckets in use (a code uses a few hundred of the 32768)
// and puts t back in the pool.
func (t *peakTable) done() {
	for _, k := range t.used {
		t.b[k] = bucket{}
	}
	t.used = t.used[:0]
	peakTables.Put(t)
}

// bucketOf is the 15-bit colour (5 bits of R, G, B) of an RGB word.
func bucketOf(u uint32) int32 {
	return int32(u&0xf8)<<7 | int32(u>>8&0xf8)<<2 | int32(u>>19&0x1f)
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
	b    [1 << 15]bucket
	used []int32
}

// bucket is one 15-bit colour of snapPeaks: pixels, their channel sums and
// the peak they go to.
type bucket struct {
	n    int32
	sum  [3]int32
	peak uint8
}

func getBytes(n int) []uint8 {
	if b, ok := byteBufs.Get().(*[]uint8); ok && cap(*b) >= n {
		return (*b)[:n]
	}
	return make([]uint8, n)
}

func putBytes(b []uint8) { byteBufs.Put(&b) }
