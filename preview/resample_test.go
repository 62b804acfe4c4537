package preview

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testimage"
)

func TestMul255(t *testing.T) {
	for v := 0; v < 256; v++ {
		for a := 0; a < 256; a++ {
			if got, want := mul255(uint8(v), uint32(a)), uint8((v*a+127)/255); got != want {
				t.Fatalf("mul255(%d, %d) = %d, want %d", v, a, got, want)
			}
		}
	}
}

// The inlined JPEG conversion matches the standard library's colour
// conversion for every chroma subsampling and for sub-images, with the chroma
// of 2× subsampled images upsampled as libjpeg's "fancy" upsampling does
// (fancyChroma), and nearest-sample chroma for the others.
func TestReadYCbCr(t *testing.T) {
	ratios := []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422,
		image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, r := range ratios {
		m := image.NewYCbCr(image.Rect(0, 0, 37, 23), r)
		for _, p := range [][]uint8{m.Y, m.Cb, m.Cr} {
			for i := range p {
				p[i] = uint8(rng.IntN(256))
			}
		}
		for _, img := range []*image.YCbCr{m, m.SubImage(image.Rect(3, 5, 30, 21)).(*image.YCbCr)} {
			b := img.Bounds()
			rr := newRowReader(img)
			row := make([]uint8, b.Dx()*4)
			for y := 0; y < b.Dy(); y++ {
				rr.read(y, row)
				for x := 0; x < b.Dx(); x++ {
					c := img.YCbCrAt(b.Min.X+x, b.Min.Y+y)
					cb, cr := fancyChroma(img, b.Min.X+x, b.Min.Y+y)
					wr, wg, wb := color.YCbCrToRGB(c.Y, cb, cr)
					require.Equal(t, []uint8{wr, wg, wb, 255}, row[x*4:x*4+4], "ratio %v at %d,%d", r, x, y)
				}
			}
		}
	}
}

// fancyChroma is the chroma of pixel (x, y) as libjpeg's fancy upsampling
// gives it, written out plainly: for a 2× subsampled axis, 3/4 of the
// nearest chroma sample and 1/4 of the next one on the pixel's side (the
// edge sample repeated at the borders); other ratios take the nearest sample.
func fancyChroma(m *image.YCbCr, x, y int) (uint8, uint8) {
	hs, vs := 0, 0
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		hs = 1
	case image.YCbCrSubsampleRatio420:
		hs, vs = 1, 1
	case image.YCbCrSubsampleRatio440:
		vs = 1
	default:
		c := m.YCbCrAt(x, y)
		return c.Cb, c.Cr
	}
	type tap struct {
		c int
		w float64
	}
	taps := func(p, shift, lo, hi int) []tap {
		if shift == 0 {
			return []tap{{p, 1}}
		}
		c := p >> 1
		o := c + 1
		if p%2 == 0 {
			o = c - 1
		}
		o = max(lo>>1, min(o, (hi-1)>>1))
		return []tap{{c, 0.75}, {o, 0.25}}
	}
	var cb, cr float64
	for _, tx := range taps(x, hs, m.Rect.Min.X, m.Rect.Max.X) {
		for _, ty := range taps(y, vs, m.Rect.Min.Y, m.Rect.Max.Y) {
			i := (ty.c-m.Rect.Min.Y>>vs)*m.CStride + tx.c - m.Rect.Min.X>>hs
			cb += tx.w * ty.w * float64(m.Cb[i])
			cr += tx.w * ty.w * float64(m.Cr[i])
		}
	}
	return uint8(math.Floor(cb + 0.5)), uint8(math.Floor(cr + 0.5))
}

// TestUpscaleSmooth: an integer upscale interpolates between pixel centres
// (a flat image stays flat, a step becomes a ramp), and Render uses it for
// images that are not QR symbols only: a QR's modules stay replicated.
func TestUpscaleSmooth(t *testing.T) {
	flat := image.NewRGBA(image.Rect(0, 0, 3, 3))
	for i := range flat.Pix {
		flat.Pix[i] = 0x80
	}
	up := upscaleSmooth(flat, 9, 9)
	for _, v := range up.Pix {
		require.Equal(t, uint8(0x80), v)
	}
	step := image.NewGray(image.Rect(0, 0, 2, 1))
	step.Pix[1] = 255
	row := upscaleSmooth(step, 8, 4).Pix[:8*4]
	var reds []uint8
	for x := 0; x < 8; x++ {
		reds = append(reds, row[x*4])
	}
	assert.Equal(t, []uint8{0, 0, 32, 96, 159, 223, 255, 255}, reds, "a ramp between the centres, edges held")

	qr := testimage.QR(testURL, 2, black, white)
	out, err := Render(qr, Box{Cols: qr.Rect.Dx() * 3 / DefaultCellW}, Caps{Kitty: true}, Options{})
	require.NoError(t, err)
	require.GreaterOrEqual(t, out.Width, 2*qr.Rect.Dx())
	_, img := kittyPayload(t, out.Raw)
	for y := 0; y < img.Bounds().Dy(); y++ {
		for x := 0; x < img.Bounds().Dx(); x++ {
			r, _, _, _ := img.At(x, y).RGBA()
			require.True(t, r == 0 || r == 0xffff, "a QR upscaled stays two-tone at %d,%d", x, y)
		}
	}
}

// areaAverage is resampling written plainly: each output pixel is the
// weighted sum, per channel, of the source pixels its axes list.
func areaAverage(src *image.RGBA, dw, dh int) *image.RGBA {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	ax, ay := newAxis(sw, dw), newAxis(sh, dh)
	out := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for oy := 0; oy < dh; oy++ {
		for ox := 0; ox < dw; ox++ {
			var sum [4]uint64
			for j, wy := range ay.w[ay.off[oy]:ay.off[oy+1]] {
				for i, wx := range ax.w[ax.off[ox]:ax.off[ox+1]] {
					p := src.PixOffset(int(ax.start[ox])+i, int(ay.start[oy])+j)
					for c := range 4 {
						sum[c] += uint64(wy) * uint64(wx) * uint64(src.Pix[p+c])
					}
				}
			}
			for c := range 4 {
				out.Pix[out.PixOffset(ox, oy)+c] = uint8((sum[c] + 1<<(2*weightBits-1)) >> (2 * weightBits))
			}
		}
	}
	return out
}

// TestResampleColourMatchesPlainSum: the four-channel path (two channels
// to a word, four taps at a time or the general loop) gives exactly the
// plain weighted sums, on noise with alpha, for shrinking by little and by
// much, and for sizes that are not multiples of each other.
func TestResampleColourMatchesPlainSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	noise := func(w, h int) *image.RGBA {
		m := image.NewRGBA(image.Rect(0, 0, w, h))
		for i := 0; i < len(m.Pix); i += 4 {
			a := uint8(rng.IntN(256))
			m.Pix[i+3] = a
			for c := range 3 {
				m.Pix[i+c] = uint8(rng.IntN(int(a) + 1)) // premultiplied
			}
		}
		return m
	}
	small, big := noise(431, 297), noise(1001, 700) // big: scaled in parallel bands
	for _, c := range []struct {
		src    *image.RGBA
		dw, dh int
	}{
		{small, 400, 276}, {small, 200, 138}, {small, 131, 90}, {small, 43, 29}, {small, 431, 100}, {small, 7, 297},
		{big, 400, 280}, {big, 999, 699},
	} {
		got := resample(c.src, c.dw, c.dh)
		want := areaAverage(c.src, c.dw, c.dh)
		require.Equal(t, want.Pix, got.Pix[:len(want.Pix)], "%v to %dx%d", c.src.Rect.Size(), c.dw, c.dh)
	}
}
