package preview

import (
	"image"
	"image/color"
	"image/draw"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"wxacode/internal/testimage"
)

// The grey fast paths must give exactly what the four-channel path gives.

// greyInputs are images of every type the grey paths read, grey (opaque or
// not) and not, as a code and as noise.
func greyInputs(t *testing.T) map[string]image.Image {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	qr := testimage.QRSized(testURL, 301, color.NRGBA{30, 30, 30, 255}, color.NRGBA{240, 240, 240, 255})
	qrT := testimage.QRSized(testURL, 301, black, transparent)
	ins := map[string]image.Image{"nrgba grey": qr, "nrgba grey transparent": qrT}

	gray := image.NewGray(qr.Rect)
	draw.Draw(gray, gray.Rect, qr, image.Point{}, draw.Src)
	ins["gray"] = gray
	rgba := image.NewRGBA(qr.Rect)
	draw.Draw(rgba, rgba.Rect, qrT, image.Point{}, draw.Src)
	ins["rgba grey transparent"] = rgba
	// Grey but for one pixel of the last row: read as grey until then.
	late := image.NewRGBA(qr.Rect)
	draw.Draw(late, late.Rect, qr, image.Point{}, draw.Src)
	late.SetRGBA(150, 300, color.RGBA{200, 10, 10, 255})
	ins["rgba colour late"] = late
	// Grey and opaque but for one half-transparent pixel.
	semi := image.NewNRGBA(qr.Rect)
	copy(semi.Pix, qr.Pix)
	semi.SetNRGBA(7, 200, color.NRGBA{90, 90, 90, 100})
	ins["nrgba one semi-transparent"] = semi
	noise := image.NewNRGBA(image.Rect(0, 0, 123, 77))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(rng.IntN(256))
	}
	ins["nrgba colour noise"] = noise
	greyNoise := image.NewNRGBA(image.Rect(0, 0, 123, 77))
	for i := 0; i < len(greyNoise.Pix); i += 4 {
		v, a := uint8(rng.IntN(256)), uint8(rng.IntN(256))
		greyNoise.Pix[i], greyNoise.Pix[i+1], greyNoise.Pix[i+2], greyNoise.Pix[i+3] = v, v, v, a
	}
	ins["nrgba grey noise"] = greyNoise

	for name, pal := range map[string]color.Palette{
		"paletted grey":             {color.Gray{0}, color.Gray{255}, color.Gray{128}},
		"paletted grey transparent": {color.NRGBA{255, 255, 255, 0}, color.NRGBA{0, 0, 0, 255}, color.NRGBA{166, 166, 166, 255}},
		"paletted colour":           {color.Gray{0}, color.Gray{255}, color.RGBA{200, 0, 0, 255}},
	} {
		p := image.NewPaletted(qr.Rect, pal)
		for i := range p.Pix {
			p.Pix[i] = uint8(rng.IntN(len(pal)))
		}
		ins[name] = p
	}
	// An index past the palette reads as transparent black.
	short := image.NewPaletted(qr.Rect, color.Palette{color.Gray{0}, color.Gray{255}})
	short.Pix[5] = 7
	ins["paletted index past palette"] = short

	for name, grey := range map[string]bool{"ycbcr grey": true, "ycbcr colour": false} {
		m := image.NewYCbCr(image.Rect(0, 0, 211, 133), image.YCbCrSubsampleRatio420)
		for i := range m.Y {
			m.Y[i] = uint8(rng.IntN(256))
		}
		for i := range m.Cb {
			m.Cb[i], m.Cr[i] = 128, 128
			if !grey {
				m.Cb[i] = uint8(rng.IntN(256))
			}
		}
		ins[name] = m
	}
	// Sub-images, with odd origins.
	for name, img := range ins {
		b := img.Bounds()
		ins[name+" sub"] = img.(interface {
			SubImage(image.Rectangle) image.Image
		}).SubImage(image.Rect(b.Min.X+5, b.Min.Y+3, b.Max.X-2, b.Max.Y-7))
	}
	// Big enough to be scaled in parallel bands.
	big := testimage.QRSized(testURL, 1000, black, white)
	ins["nrgba big"] = big
	bigLate := image.NewNRGBA(big.Rect)
	copy(bigLate.Pix, big.Pix)
	bigLate.SetNRGBA(999, 999, color.NRGBA{0, 0, 255, 255})
	ins["nrgba big colour late"] = bigLate
	return ins
}

// rgbaReference is resample through the four-channel path only.
func rgbaReference(img image.Image, w, h int) *image.RGBA {
	conv := newRowReader(img)
	b := img.Bounds()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	require.Zero(nil, resampleInto(conv, m.Pix, 4, false, b.Dx(), b.Dy(), w, h))
	return m
}

func TestResampleGreyMatchesRGBA(t *testing.T) {
	for name, img := range greyInputs(t) {
		b := img.Bounds()
		sizes := [][2]int{{b.Dx(), b.Dy()}, {b.Dx() * 2 / 5, b.Dy() * 2 / 5}, {b.Dx() * 2, b.Dy() * 2}, {b.Dx() - 1, b.Dy() / 3}}
		if b.Dx() >= 1000 {
			sizes = [][2]int{{480, 480}}
		}
		for _, sz := range sizes {
			w, h := sz[0], sz[1]
			if y, ok := img.(*image.YCbCr); ok && resampleYCbCr(y, w, h) != nil {
				continue // a colour JPEG's planes are averaged before conversion: TestResampleYCbCr
			}
			want := rgbaReference(img, w, h)
			require.Equal(t, want.Pix, resample(img, w, h).Pix, "%s %v", name, sz)
			white := image.NewRGBA(want.Rect)
			copy(white.Pix, want.Pix)
			flatten(white, BackgroundWhite)
			m, grey := resampleGrey(img, w, h, true)
			if grey == nil { // colour: left for Prepare to flatten
				require.Equal(t, want.Pix, m.Pix, "%s %v on white", name, sz)
				continue
			}
			require.Equal(t, white.Pix, expandGrey(grey, w, h).Pix, "%s %v on white", name, sz)
		}
	}
}

// Prepare on a grey plane gives what it gives on the same pixels in RGBA,
// whichever step takes the image.
func TestPrepareGreyMatchesRGBA(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	badge := func(noise int, colours ...uint8) []uint8 {
		g := make([]uint8, 200*150)
		for i := range g {
			x, y := i%200, i/200
			v := int(colours[(x/23+y/17)%len(colours)]) + rng.IntN(2*noise+1) - noise
			g[i] = uint8(min(max(v, 0), 255))
		}
		return g
	}
	many := make([]uint8, 200*150)
	for i := range many {
		many[i] = uint8(i)
	}
	for name, grey := range map[string][]uint8{
		"two-tone":           badge(0, 20, 235),
		"two-tone noisy":     badge(6, 20, 235),
		"badge":              badge(0, 0, 255, 166),
		"badge noisy":        badge(4, 0, 255, 166, 90),
		"256 greys":          many,
		"one grey":           badge(0, 77),
		"low contrast noisy": badge(3, 100, 130),
	} {
		want := prepareOpaque(expandGrey(grey, 200, 150), forSixel)
		got := prepareGrey(grey, 200, 150, forSixel)
		require.IsType(t, want, got, name)
		if p, ok := want.(*image.Paletted); ok {
			require.Equal(t, p.Palette, got.(*image.Paletted).Palette, name)
			require.Equal(t, p.Pix, got.(*image.Paletted).Pix, name)
		} else {
			require.Equal(t, want.(*image.RGBA).Pix, got.(*image.RGBA).Pix, name)
		}
	}
}

// The word-at-a-time band builders give what the per-pixel one gives.
func TestSixelBandsMatchPerPixel(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for n := 2; n <= 8; n++ {
		for _, size := range [][2]int{{37, 23}, {64, 12}, {8, 5}, {3, 7}} {
			w, h := size[0], size[1]
			pal := make(color.Palette, n)
			for i := range pal {
				pal[i] = color.Gray{uint8(i * 30)}
			}
			p := image.NewPaletted(image.Rect(0, 0, w, h), pal)
			for i := range p.Pix {
				p.Pix[i] = uint8(rng.IntN(n))
				if rng.IntN(4) > 0 && i > 0 {
					p.Pix[i] = p.Pix[i-1] // runs, as in a code
				}
			}
			for top := 0; top < h; top += 6 {
				rows := min(6, h-top)
				want, wantCount := make([]byte, w*8), make([]int, 8)
				bandBits(p, top, rows, want, wantCount, make([][2]int, 8))
				got, count := make([]byte, w*8), make([]int, 8)
				if n == 2 {
					require.True(t, twoColourBand(p, top, rows, got[w:], count))
					for x, b := range got[w : 2*w] {
						got[x] = ^b & byte(1<<rows-1)
					}
				} else {
					require.True(t, bandPlanes(p, top, rows, 3, got, count))
				}
				require.Equal(t, want[:n*w], got[:n*w], "%d colours %v band %d", n, size, top)
				require.Equal(t, wantCount[:n], count[:n], "%d colours %v band %d", n, size, top)
			}
		}
	}
	// An index past the palette is refused.
	p := image.NewPaletted(image.Rect(0, 0, 16, 6), color.Palette{color.Black, color.White, color.Gray{128}})
	p.Pix[9] = 3
	require.False(t, bandPlanes(p, 0, 6, 2, make([]byte, 16*4), make([]int, 8)))
	p.Palette = p.Palette[:2]
	require.False(t, twoColourBand(p, 0, 6, make([]byte, 16), make([]int, 8)))
}
