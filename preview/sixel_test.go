package preview

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"wxacode/internal/wechattest"

	"github.com/mattn/go-sixel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/internal/testimage"
	"wxacode/wechat"
)

// sixelRoundTrip decodes s with libsixel's sixel2png, a decoder nobody here wrote.
func sixelRoundTrip(t *testing.T, s string) image.Image {
	t.Helper()
	bin := testenv.Tool(t, "sixel2png", "libsixel-bin")
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.six"), filepath.Join(dir, "out.png")
	require.NoError(t, os.WriteFile(in, []byte(s), 0o644))
	b, err := exec.Command(bin, "-i", in, "-o", out).CombinedOutput()
	require.NoError(t, err, string(b))
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	img, err := Decode(data)
	require.NoError(t, err)
	return img
}

// sameColour allows the 0–100 % rounding of sixel colour registers.
func sameColour(a, b color.Color) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	d := func(x, y uint32) bool { x, y = x>>8, y>>8; return x+2 >= y && y+2 >= x }
	return d(ar, br) && d(ag, bg) && d(ab, bb)
}

func TestSixelRoundTripPixelExact(t *testing.T) {
	cases := []struct {
		name string
		img  image.Image
		box  Box
		bg   Background
	}{
		{"opaque 430 png", decodeT(t, testimage.PNG(testimage.QRSized(testURL, 430, black, white))), Box{80, 40}, BackgroundWhite},
		{"opaque 430 jpeg", decodeT(t, testimage.JPEG(testimage.QRSized(testURL, 430, black, white))), Box{80, 40}, BackgroundWhite},
		{"opaque 1280 png downscaled", decodeT(t, testimage.PNG(testimage.QRSized(testURL, 1280, black, white))), Box{100, 24}, BackgroundWhite},
		{"opaque 1280 png full size", decodeT(t, testimage.PNG(testimage.QRSized(testURL, 1280, black, white))), Box{128, 64}, BackgroundWhite},
		{"green 430 png", decodeT(t, testimage.PNG(testimage.QRSized(testURL, 430, green, white))), Box{80, 40}, BackgroundWhite},
		{"transparent 430 png", decodeT(t, testimage.PNG(testimage.QRSized(testURL, 430, black, transparent))), Box{80, 40}, BackgroundWhite},
		{"transparent 1280 png checker", decodeT(t, testimage.PNG(testimage.QRSized(testURL, 1280, black, transparent))), Box{100, 24}, BackgroundChecker},
		{"anti-aliased few colours with a logo", sunImage(430), Box{80, 40}, BackgroundWhite},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := Render(c.img, c.box, Caps{Sixel: true}, Options{Background: c.bg})
			require.NoError(t, err)
			require.Equal(t, ModeSixel, out.Mode)
			cw, ch := DefaultCellW, DefaultCellH
			assert.LessOrEqual(t, out.Width, c.box.Cols*cw)
			assert.LessOrEqual(t, out.Height, c.box.Rows*ch)
			prepared := Prepare(c.img, out.Width, out.Height, c.bg)
			got := sixelRoundTrip(t, out.Raw)
			require.Equal(t, prepared.Bounds().Size(), got.Bounds().Size())
			bad := 0
			b := prepared.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					if !sameColour(prepared.At(x, y), got.At(x, y)) {
						bad++
					}
				}
			}
			assert.Zero(t, bad, "pixels differing from the prepared image")
		})
	}
}

func decodeT(t testing.TB, data []byte) image.Image {
	t.Helper()
	img, err := Decode(data)
	require.NoError(t, err)
	return img
}

// sunImage is an anti-aliased green ring pattern with a red logo in the
// middle: not two-tone, but fewer than 256 colours (like a mini program code).
func sunImage(size int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	c := float64(size) / 2
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			dx, dy := float64(x)-c, float64(y)-c
			d := math.Sqrt(dx*dx + dy*dy)
			col := white
			switch {
			case d < float64(size)/10:
				col = color.NRGBA{220, 30, 30, 255}
			case d < float64(size)*0.45:
				// 16 blend levels between green and white, in rings
				k := uint8(int(d) % 16)
				mix := func(a, b uint8) uint8 { return uint8((int(a)*(15-int(k)) + int(b)*int(k)) / 15) }
				col = color.NRGBA{mix(green.R, 255), mix(green.G, 255), mix(green.B, 255), 255}
			}
			img.SetNRGBA(x, y, col)
		}
	}
	return img
}

func TestSixelManyColoursGoesThroughGoSixel(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for y := 0; y < 64; y++ {
		for x := 0; x < 64; x++ {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 4), uint8(y * 4), uint8(x * y), 255})
		}
	}
	out, err := Render(img, Box{7, 4}, Caps{Sixel: true}, Options{})
	require.NoError(t, err)
	got := sixelRoundTrip(t, out.Raw)
	require.Equal(t, image.Pt(64, 64), got.Bounds().Size())
	var sum float64
	for y := 0; y < 64; y++ {
		for x := 0; x < 64; x++ {
			a, b := img.NRGBAAt(x, y), color.NRGBAModel.Convert(got.At(x, y)).(color.NRGBA)
			sum += math.Abs(float64(a.R)-float64(b.R)) + math.Abs(float64(a.G)-float64(b.G)) + math.Abs(float64(a.B)-float64(b.B))
		}
	}
	assert.Less(t, sum/(64*64*3), 16.0, "mean error per channel after median cut")
}

// Our sixel of a two-tone code is never larger than go-sixel's on the image
// as decoded, at the same size (1:1 here), and usually much smaller: the base
// colour of each band is one run, and JPEG noise is snapped away. A code with
// a badge keeps every grey level its JPEG has (exact registers, for faithful
// colour), which costs bytes: at most 4× go-sixel's, whose registers are
// fewer and coarser.
func TestSixelNotLargerThanGoSixel(t *testing.T) {
	sim430, _ := wechattest.Code(t, wechat.UnlimitedRequest{Scene: "id=42"})
	sim1280, _ := wechattest.Code(t, wechat.UnlimitedRequest{Scene: "id=42", Width: 1280, IsHyaline: true})
	for _, c := range []struct {
		name   string
		data   []byte
		factor int
	}{
		{"qr 430 png", testimage.PNG(testimage.QRSized(testURL, 430, black, white)), 1},
		{"qr 430 jpeg", testimage.JPEG(testimage.QRSized(testURL, 430, black, white)), 1},
		{"qr 1280 png", testimage.PNG(testimage.QRSized(testURL, 1280, black, white)), 1},
		{"sim 430 jpeg", sim430, 4},
		{"sim 1280 png", sim1280, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			img := decodeT(t, c.data)
			var buf bytes.Buffer
			require.NoError(t, sixel.NewEncoder(&buf).Encode(img))
			b := img.Bounds()
			out, err := Render(img, Box{ceilDiv(b.Dx(), 10), ceilDiv(b.Dy(), 20)}, Caps{CellW: 10, CellH: 20}, Options{Mode: ModeSixel})
			require.NoError(t, err)
			require.Equal(t, img.Bounds().Dx(), out.Width, "1:1")
			t.Logf("ours %d bytes, go-sixel %d bytes", len(out.Raw), buf.Len())
			assert.LessOrEqual(t, len(out.Raw), c.factor*buf.Len())
		})
	}
}

// TestBandBitsSpan: bandBits gives each colour the columns [lo, hi) where
// the band has it, which the encoder scans instead of the whole width.
func TestBandBitsSpan(t *testing.T) {
	p := image.NewPaletted(image.Rect(0, 0, 10, 6), color.Palette{color.Black, color.White, color.Gray{128}})
	p.Pix[3] = 1      // row 0, x 3
	p.Pix[2*10+7] = 1 // row 2, x 7
	p.Pix[5*10+9] = 2 // row 5, x 9
	bits, count, span := make([]byte, 10*3), make([]int, 3), make([][2]int, 3)
	bandBits(p, 0, 6, bits, count, span)
	assert.Equal(t, [2]int{0, 10}, span[0])
	assert.Equal(t, [2]int{3, 8}, span[1])
	assert.Equal(t, [2]int{9, 10}, span[2])
	assert.Equal(t, []int{57, 2, 1}, count)
}
