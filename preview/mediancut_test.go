package preview

import (
	"image"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// medianCut keeps to its limit, and each pixel's register is close to it:
// within its 15-bit cell when the cells fit the limit, and near on average
// when they do not.
func TestMedianCut(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, c := range []struct {
		name     string
		colours  int // distinct random colours in the image
		limit    int
		meanDiff float64 // bound on the mean error per channel
	}{
		{"few cells", 40, 255, 4},
		{"many colours", 5000, 255, 12},
		{"tiny limit", 5000, 2, 128},
	} {
		t.Run(c.name, func(t *testing.T) {
			cols := make([][3]uint8, c.colours)
			for i := range cols {
				cols[i] = [3]uint8{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256))}
			}
			m := image.NewRGBA(image.Rect(0, 0, 120, 90))
			for i := 0; i < len(m.Pix); i += 4 {
				p := cols[rng.IntN(len(cols))]
				m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = p[0], p[1], p[2], 0xff
			}
			out := image.NewPaletted(m.Rect, nil)
			medianCut(m.Pix, out, c.limit)
			require.LessOrEqual(t, len(out.Palette), c.limit)
			var sum float64
			for j, idx := range out.Pix {
				require.Less(t, int(idx), len(out.Palette))
				r, g, b, _ := out.Palette[idx].RGBA()
				for k, v := range []uint32{r >> 8, g >> 8, b >> 8} {
					d := float64(v) - float64(m.Pix[j*4+k])
					if c.colours <= c.limit {
						require.LessOrEqual(t, max(d, -d), 7.0, "a cell spans 8 levels")
					}
					sum += max(d, -d)
				}
			}
			require.Less(t, sum/float64(len(out.Pix)*3), c.meanDiff)
		})
	}
}
