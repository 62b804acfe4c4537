package codeimage

import (
	"bytes"
	"image"
	"image/color"
	stdjpeg "image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseBackground(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want color.RGBA
		err  string
	}{
		{"white", color.RGBA{255, 255, 255, 255}, ""},
		{"White", color.RGBA{255, 255, 255, 255}, ""},
		{"#fff8e7", color.RGBA{0xff, 0xf8, 0xe7, 255}, ""},
		{"1AAD19", color.RGBA{0x1a, 0xad, 0x19, 255}, ""},
		{"", color.RGBA{}, "give white or #rrggbb"},
		{"#fff", color.RGBA{}, "give white or #rrggbb"},
		{"red", color.RGBA{}, "give white or #rrggbb"},
		{"#gggggg", color.RGBA{}, "not hexadecimal"},
		{"#-12345", color.RGBA{}, "not hexadecimal"},
	} {
		got, err := ParseBackground(tc.in)
		if tc.err != "" {
			assert.ErrorContains(t, err, tc.err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
		assert.Equal(t, tc.want, must(ParseBackground(Hex(got))), "Hex round-trips")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestFlattenRealHyaline flattens a real transparent code (getwxacodeunlimit's
// is_hyaline PNG, saved under .jpg by its server) onto white and onto a
// colour, as PNG and as JPEG: the result has no alpha at all, the background
// is the colour asked for, and the strokes stay dark on it.
func TestFlattenRealHyaline(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "realcodes", "wxacode-15711270182-gitqinjia-1-hyaline.jpg"))
	require.NoError(t, err)
	src, f, err := Decode(data, File)
	require.NoError(t, err)
	require.Equal(t, PNG, f, "the .jpg is a PNG")
	require.True(t, HasAlpha(src), "the code is transparent")

	for _, bgName := range []string{"white", "#fff8e7", "#d0e8ff"} {
		bg := must(ParseBackground(bgName))
		for _, format := range []Format{PNG, JPEG} {
			t.Run(bgName+"/"+string(format), func(t *testing.T) {
				out, err := Flatten(src, bg, format)
				require.NoError(t, err)
				got, gotF, err := Decode(out, File)
				require.NoError(t, err)
				require.Equal(t, format, gotF)
				assert.Equal(t, src.Bounds().Size(), got.Bounds().Size())
				assert.False(t, HasAlpha(got))
				if format == PNG {
					// IHDR colour type 2: truecolour, no alpha channel in the file.
					require.Greater(t, len(out), 26)
					assert.Equal(t, byte(2), out[25], "PNG colour type")
					cfg, err := png.DecodeConfig(bytes.NewReader(out))
					require.NoError(t, err)
					assert.Equal(t, color.RGBAModel, cfg.ColorModel)
				}
				tol := 0.0
				if format == JPEG {
					tol = 12 // a few levels of JPEG error, never a stroke's contrast
					_, err := stdjpeg.Decode(bytes.NewReader(out))
					require.NoError(t, err, "the standard decoder reads it too")
				}
				var clear, strokes, clearOff, strokesLight int
				r := src.Bounds()
				for y := r.Min.Y; y < r.Max.Y; y++ {
					for x := r.Min.X; x < r.Max.X; x++ {
						n := color.NRGBAModel.Convert(src.At(x, y)).(color.NRGBA)
						o := color.RGBAModel.Convert(got.At(x-r.Min.X, y-r.Min.Y)).(color.RGBA)
						switch {
						case n.A == 0:
							clear++
							if dist(o, bg) > tol {
								clearOff++
							}
						case n.A == 255 && luma(color.RGBA{n.R, n.G, n.B, 255}) < 60:
							strokes++
							if luma(o) > 60+tol {
								strokesLight++
							}
						}
					}
				}
				require.Greater(t, clear, r.Dx()*r.Dy()/3, "most of the code is transparent")
				require.Greater(t, strokes, r.Dx()*r.Dy()/20, "and it has dark strokes")
				// Where the source is transparent the result is the colour;
				// JPEG's 8×8 blocks blur the pixels right next to a stroke.
				maxOff := 0
				if format == JPEG {
					maxOff = clear / 10
				}
				assert.LessOrEqual(t, clearOff, maxOff, "transparent pixels not on %s", bgName)
				assert.LessOrEqual(t, strokesLight, strokes/100, "strokes that are no longer dark")
				assert.Greater(t, luma(bg)-meanLuma(got, src), 150.0, "strokes far darker than the background")
			})
		}
	}
}

// TestFlattenBlendsEdges: a half-transparent black pixel over white is grey,
// not black (what dropping the alpha of a premultiplied pixel gives) and not
// white (what dropping it from straight alpha gives).
func TestFlattenBlendsEdges(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 2, 1))
	img.SetNRGBA(0, 0, color.NRGBA{0, 0, 0, 128})
	img.SetNRGBA(1, 0, color.NRGBA{255, 255, 255, 0})
	out, err := Flatten(img, color.RGBA{255, 255, 255, 255}, PNG)
	require.NoError(t, err)
	got, err := png.Decode(bytes.NewReader(out))
	require.NoError(t, err)
	c := color.RGBAModel.Convert(got.At(0, 0)).(color.RGBA)
	assert.InDelta(t, 127, int(c.R), 1)
	assert.Equal(t, color.RGBA{255, 255, 255, 255}, color.RGBAModel.Convert(got.At(1, 0)))

	_, err = Flatten(img, color.RGBA{255, 255, 255, 255}, GIF)
	assert.ErrorContains(t, err, "PNG or JPEG")
}

func luma(c color.RGBA) float64 { return 0.299*float64(c.R) + 0.587*float64(c.G) + 0.114*float64(c.B) }

func dist(a, b color.RGBA) float64 {
	d := func(x, y uint8) float64 {
		if x > y {
			return float64(x - y)
		}
		return float64(y - x)
	}
	return max(d(a.R, b.R), d(a.G, b.G), d(a.B, b.B))
}

// meanLuma is the mean luma of got where src is an opaque dark stroke.
func meanLuma(got, src image.Image) float64 {
	var sum float64
	var n int
	r := src.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			s := color.NRGBAModel.Convert(src.At(x, y)).(color.NRGBA)
			if s.A == 255 && luma(color.RGBA{s.R, s.G, s.B, 255}) < 60 {
				sum += luma(color.RGBAModel.Convert(got.At(x-r.Min.X, y-r.Min.Y)).(color.RGBA))
				n++
			}
		}
	}
	return sum / float64(n)
}
