package preview

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
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

// The inlined JPEG conversion matches the standard library's, for every
// chroma subsampling and for sub-images.
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
					wr, wg, wb := color.YCbCrToRGB(c.Y, c.Cb, c.Cr)
					require.Equal(t, []uint8{wr, wg, wb, 255}, row[x*4:x*4+4], "ratio %v at %d,%d", r, x, y)
				}
			}
		}
	}
}
