package preview

import (
	"image"
	"image/color"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testimage"
)

// convertFirst is the path resampleYCbCr replaces: every source pixel
// converted (fancy chroma upsampling) and then averaged.
func convertFirst(s *image.YCbCr, dw, dh int) *image.RGBA {
	b := s.Bounds()
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		readYCbCr(s, b.Min.X, b.Min.Y+y, b.Dx(), rgba.Pix[y*rgba.Stride:])
	}
	return resample(rgba, dw, dh)
}

// TestResampleYCbCr: averaging the planes and converting the result is at
// least as close to the picture a JPEG was made from as converting first
// (fancy chroma upsampling, then averaging), for each subsampling and for
// odd sizes (whose last chroma sample is half outside the picture); on a
// real code the two agree.
func TestResampleYCbCr(t *testing.T) {
	tests := []struct {
		name         string
		w, h, dw, dh int
		ratio        image.YCbCrSubsampleRatio
	}{
		{"4:2:0 to a third", 300, 300, 100, 100, image.YCbCrSubsampleRatio420},
		{"4:2:0 odd to a third", 301, 299, 100, 99, image.YCbCrSubsampleRatio420},
		{"4:2:2 odd", 301, 299, 100, 99, image.YCbCrSubsampleRatio422},
		{"4:2:0 chroma shrunk by a little", 860, 860, 400, 400, image.YCbCrSubsampleRatio420},
		{"4:2:0 chroma grown (430 → 400)", 430, 430, 400, 400, image.YCbCrSubsampleRatio420},
		{"4:2:0 odd, chroma grown", 301, 299, 250, 240, image.YCbCrSubsampleRatio420},
		{"4:2:0 1:1, chroma doubled", 200, 200, 200, 200, image.YCbCrSubsampleRatio420},
		{"4:4:0 odd", 301, 299, 100, 99, image.YCbCrSubsampleRatio440},
		{"4:4:4", 200, 200, 130, 130, image.YCbCrSubsampleRatio444},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, truth := colourYCbCrAndSource(t, tt.w, tt.h, tt.ratio)
			got := resampleYCbCr(src, tt.dw, tt.dh)
			require.NotNil(t, got)
			assert.Equal(t, image.Rect(0, 0, tt.dw, tt.dh), got.Rect)
			for i := 3; i < len(got.Pix); i += 4 {
				require.Equal(t, uint8(0xff), got.Pix[i], "opaque")
			}
			want := resample(truth, tt.dw, tt.dh)
			planes, first := psnr(t, want, got), psnr(t, want, convertFirst(src, tt.dw, tt.dh))
			t.Logf("against the source: planes %.1f dB, convert first %.1f dB", planes, first)
			// Above 45 dB no difference is visible: 4:4:4 differs only in rounding.
			assert.GreaterOrEqual(t, planes, min(first-0.5, 45))
		})
	}
	for _, name := range []string{"wxacode-Mr-Pao-Cat-Atlas-1.jpg", "wxacode-TalkingData-iview-weapp-1.jpg"} {
		t.Run("real code "+name, func(t *testing.T) {
			real := decodeFileT(t, filepath.Join("..", "codeimage", "testdata", "realcodes", name))
			require.IsType(t, &image.YCbCr{}, real)
			got := resampleYCbCr(real.(*image.YCbCr), 400, 400)
			require.NotNil(t, got)
			p := psnr(t, convertFirst(real.(*image.YCbCr), 400, 400), got)
			t.Logf("against converting first: %.1f dB", p)
			assert.Greater(t, p, 40.0)
		})
	}
}

// TestResampleYCbCrDeclines: where the planes cannot be averaged on their
// own, the caller's convert-first path is taken.
func TestResampleYCbCrDeclines(t *testing.T) {
	src := colourYCbCr(t, 200, 200, image.YCbCrSubsampleRatio420)
	tests := []struct {
		name   string
		src    *image.YCbCr
		dw, dh int
	}{
		{"chroma grown by less than 4/3", src, 120, 120},
		{"luma grown", src, 300, 300},
		{"chroma 1:1", src, 100, 100},
		{"cut inside a chroma sample", src.SubImage(image.Rect(1, 0, 200, 200)).(*image.YCbCr), 50, 50},
		{"4:1:1", colourYCbCr(t, 200, 200, image.YCbCrSubsampleRatio411), 20, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Nil(t, resampleYCbCr(tt.src, tt.dw, tt.dh))
		})
	}
}

// colourYCbCr is a colourful picture (a QR in one colour on another, over
// a colour gradient) as a YCbCr image of the given subsampling, each chroma
// sample the mean of the pixels it covers, as an encoder makes it.
func colourYCbCrAndSource(t *testing.T, w, h int, ratio image.YCbCrSubsampleRatio) (*image.YCbCr, *image.RGBA) {
	t.Helper()
	src := testimage.QRSized(testURL, max(w, h), color.NRGBA{0xe0, 0x40, 0x20, 0xff}, color.NRGBA{0x20, 0x60, 0xd0, 0xff})
	m := image.NewYCbCr(image.Rect(0, 0, w, h), ratio)
	truth := image.NewRGBA(m.Rect)
	sums := make([][3]int, len(m.Cb))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			r, g, b, _ := src.At(x, y).RGBA()
			r8, g8, b8 := uint8(r>>8), uint8(g>>8)/2+uint8(x*127/w), uint8(b>>8)/2+uint8(y*127/h)
			truth.SetRGBA(x, y, color.RGBA{r8, g8, b8, 0xff})
			yy, cb, cr := color.RGBToYCbCr(r8, g8, b8)
			m.Y[m.YOffset(x, y)] = yy
			s := &sums[m.COffset(x, y)]
			s[0] += int(cb)
			s[1] += int(cr)
			s[2]++
		}
	}
	for i, s := range sums {
		m.Cb[i], m.Cr[i] = uint8((s[0]+s[2]/2)/s[2]), uint8((s[1]+s[2]/2)/s[2])
	}
	return m, truth
}

func colourYCbCr(t *testing.T, w, h int, ratio image.YCbCrSubsampleRatio) *image.YCbCr {
	m, _ := colourYCbCrAndSource(t, w, h, ratio)
	return m
}
