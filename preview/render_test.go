package preview

import (
	"encoding/base64"
	"image"
	"image/png"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testimage"
)

func TestRenderSizes(t *testing.T) {
	img := testimage.QRSized(testURL, 430, black, white)
	cases := []struct {
		name         string
		box          Box
		caps         Caps
		w, h, cs, rs int
	}{
		{"fits 1:1", Box{80, 24}, Caps{}, 430, 430, 43, 22},
		{"integer upscale in a big box", Box{100, 50}, Caps{}, 860, 860, 86, 43},
		{"downscaled to the rows", Box{80, 10}, Caps{}, 200, 200, 20, 10},
		{"downscaled to the columns", Box{30, 0}, Caps{}, 300, 300, 30, 15},
		{"measured cells", Box{80, 24}, Caps{CellW: 7, CellH: 15}, 360, 360, 52, 24},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := Render(img, c.box, c.caps, Options{Mode: ModeSixel})
			require.NoError(t, err)
			assert.Equal(t, [4]int{c.w, c.h, c.cs, c.rs}, [4]int{out.Width, out.Height, out.Cols, out.Rows})
			assert.True(t, strings.HasPrefix(out.Raw, "\x1bP0;1;0q\"1;1;"), "square pixels declared, nothing unpainted filled")
			assert.True(t, strings.HasSuffix(out.Raw, "\x1b\\"))
			assert.LessOrEqual(t, out.Cols, c.box.Cols)
			if c.box.Rows > 0 {
				assert.LessOrEqual(t, out.Rows, c.box.Rows)
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	_, err := Render(nil, Box{10, 10}, Caps{}, Options{})
	assert.ErrorContains(t, err, "empty")
	_, err = Render(image.NewGray(image.Rect(0, 0, 0, 5)), Box{10, 10}, Caps{}, Options{})
	assert.ErrorContains(t, err, "empty")
	_, err = Render(testimage.QR("x", 2, black, white), Box{0, 10}, Caps{}, Options{})
	assert.ErrorContains(t, err, "at least 1")
	out, err := Render(testimage.QR("x", 2, black, white), Box{10, 10}, Caps{}, Options{Mode: ModeNone})
	require.NoError(t, err)
	assert.Equal(t, Output{Mode: ModeNone}, out)
	// A box of one cell still renders.
	out, err = Render(testimage.QR("x", 2, black, white), Box{1, 1}, Caps{}, Options{Mode: ModeSixel})
	require.NoError(t, err)
	assert.Equal(t, [2]int{1, 1}, [2]int{out.Cols, out.Rows})
}

// kittyPayload reassembles the base64 PNG from kitty graphics chunks.
func kittyPayload(t *testing.T, raw string) (first string, img image.Image) {
	t.Helper()
	var b64 strings.Builder
	for i, cmd := range strings.Split(raw, "\x1b\\") {
		if cmd == "" {
			continue
		}
		require.True(t, strings.HasPrefix(cmd, "\x1b_G"), "command %d: %q", i, cmd[:min(20, len(cmd))])
		ctrl, payload, _ := strings.Cut(cmd[3:], ";")
		if strings.HasPrefix(ctrl, "a=T") {
			first = ctrl
		}
		require.LessOrEqual(t, len(payload), kittyChunk)
		b64.WriteString(payload)
	}
	data, err := base64.StdEncoding.DecodeString(b64.String())
	require.NoError(t, err)
	img, err = png.Decode(strings.NewReader(string(data)))
	require.NoError(t, err)
	return first, img
}

func TestKitty(t *testing.T) {
	src := sunImage(430) // many colours: a PNG of tens of kilobytes, so several chunks
	out, err := Render(src, Box{80, 24}, Caps{Kitty: true}, Options{ImageID: 7})
	require.NoError(t, err)
	assert.Equal(t, ModeKitty, out.Mode)
	assert.True(t, strings.HasPrefix(out.Raw, "\x1b_Ga=d,d=I,q=2,i=7\x1b\\"), "the previous image with this id goes first")
	assert.Greater(t, strings.Count(out.Raw, "\x1b_G"), 3, "chunked")
	first, img := kittyPayload(t, out.Raw)
	assert.Equal(t, "a=T,f=100,q=2,i=7,c=43,r=22,m=1", first)
	assert.Equal(t, image.Pt(430, 430), img.Bounds().Size())
	assert.True(t, strings.HasSuffix(out.Raw, "m=0;"+out.Raw[strings.LastIndex(out.Raw, ";")+1:]))

	// Alpha is kept with BackgroundNone.
	out, err = Render(testimage.QR("x", 4, black, transparent), Box{40, 20}, Caps{}, Options{Mode: ModeKitty, Background: BackgroundNone})
	require.NoError(t, err)
	_, img = kittyPayload(t, out.Raw)
	_, _, _, a := img.At(0, 0).RGBA()
	assert.Zero(t, a)
}

func TestITerm(t *testing.T) {
	out, err := Render(testimage.QR(testURL, 5, black, white), Box{80, 24}, Caps{ITerm2: true}, Options{})
	require.NoError(t, err)
	assert.Equal(t, ModeITerm, out.Mode)
	require.True(t, strings.HasPrefix(out.Raw, "\x1b]1337;File=inline=1;size="))
	require.True(t, strings.HasSuffix(out.Raw, "\x07"))
	assert.Contains(t, out.Raw, ";width=41;height=21;preserveAspectRatio=1:")
	_, b64, _ := strings.Cut(out.Raw, ":")
	data, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(b64, "\x07"))
	require.NoError(t, err)
	img, err := png.Decode(strings.NewReader(string(data)))
	require.NoError(t, err)
	assert.Equal(t, image.Pt(410, 410), img.Bounds().Size())
}

func TestPlace(t *testing.T) {
	assert.Equal(t, "\x1b7\x1b[3;5HIMG\x1b8", Place("IMG", 2, 4))
}

func TestPrepareTwoTone(t *testing.T) {
	// JPEG noise snaps back to the exact two colours.
	img := decodeT(t, testimage.JPEG(testimage.QRSized(testURL, 430, green, white)))
	p, ok := Prepare(img, 430, 430, BackgroundWhite).(*image.Paletted)
	require.True(t, ok)
	require.Len(t, p.Palette, 2)
	d, l := rgb(p.Palette[0]), rgb(p.Palette[1])
	assert.InDelta(t, 7, int(d[0]), 6)
	assert.InDelta(t, 193, int(d[1]), 6)
	assert.InDelta(t, 96, int(d[2]), 6)
	assert.Equal(t, [3]uint8{255, 255, 255}, l)
	// A logo in the middle keeps its colours.
	p, ok = Prepare(sunImage(200), 200, 200, BackgroundWhite).(*image.Paletted)
	require.True(t, ok)
	assert.Greater(t, len(p.Palette), 2)
	// Checker shows what is transparent.
	p, ok = Prepare(testimage.QR("x", 4, black, transparent), 40, 40, BackgroundChecker).(*image.Paletted)
	require.True(t, ok)
	assert.Len(t, p.Palette, 4, "black, white and the checkerboard's two")
}

func TestRendererCache(t *testing.T) {
	r := NewRenderer(2)
	a := testimage.PNG(testimage.QR("a", 4, black, white))
	b := testimage.PNG(testimage.QR("b", 4, black, white))
	c := testimage.PNG(testimage.QR("c", 4, black, white))
	box := Box{40, 20}
	o1, err := r.RenderBytes(a, box, Caps{}, Options{Mode: ModeSixel})
	require.NoError(t, err)
	o2, err := r.RenderBytes(a, box, Caps{}, Options{Mode: ModeSixel})
	require.NoError(t, err)
	assert.Equal(t, o1, o2)
	assert.Equal(t, 1, r.Len())
	_, err = r.RenderBytes(a, Box{20, 10}, Caps{}, Options{Mode: ModeSixel})
	require.NoError(t, err)
	_, err = r.RenderBytes(b, box, Caps{}, Options{Mode: ModeSixel})
	require.NoError(t, err)
	_, err = r.RenderBytes(c, box, Caps{}, Options{Mode: ModeBlocks})
	require.NoError(t, err)
	assert.Equal(t, 2, r.Len(), "bounded")
	_, err = r.RenderBytes([]byte("not an image"), box, Caps{}, Options{})
	assert.ErrorContains(t, err, "not a PNG, JPEG, GIF, BMP or WebP")

	img := testimage.QR("d", 4, black, white)
	o3, err := r.Render(img, box, Caps{}, Options{Mode: ModeBlocks})
	require.NoError(t, err)
	o4, err := r.Render(img, box, Caps{}, Options{Mode: ModeBlocks})
	require.NoError(t, err)
	assert.Equal(t, o3, o4)

	// Concurrent use (run with -race).
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			data := [][]byte{a, b, c}[i%3]
			out, err := r.RenderBytes(data, Box{20 + i%2, 10}, Caps{}, Options{Mode: Mode(1 + i%4)})
			assert.NoError(t, err)
			assert.NotEmpty(t, out.Raw+out.Text)
		}(i)
	}
	wg.Wait()
	assert.LessOrEqual(t, r.Len(), 2)
}
