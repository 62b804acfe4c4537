package preview

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os/exec"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/blockscan"
	"wxacode/internal/testenv"
	"wxacode/internal/testimage"
)

func TestBlocksGolden(t *testing.T) {
	tiny := image.NewNRGBA(image.Rect(0, 0, 6, 5))
	for y := 0; y < 5; y++ {
		for x := 0; x < 6; x++ {
			tiny.SetNRGBA(x, y, color.NRGBA{uint8(40 * x), uint8(50 * y), 128, 255})
		}
	}
	cases := []struct {
		name string
		img  image.Image
		box  Box
		bg   Background
	}{
		{"qr_1x", testimage.QR("wxa", 4, black, white), Box{40, 0}, BackgroundWhite},
		{"qr_2x", testimage.QR("wxa", 4, black, white), Box{60, 0}, BackgroundWhite},
		{"qr_green_transparent", testimage.QR("wxa", 3, green, transparent), Box{30, 20}, BackgroundWhite},
		{"colour", tiny, Box{6, 3}, BackgroundWhite},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := Render(c.img, c.box, Caps{}, Options{Mode: ModeBlocks, Background: c.bg})
			require.NoError(t, err)
			assert.Equal(t, ModeBlocks, out.Mode)
			assert.Empty(t, out.Raw)
			lines := strings.Split(out.Text, "\n")
			assert.Len(t, lines, out.Rows)
			for _, l := range lines {
				assert.Equal(t, out.Cols, ansi.StringWidth(l), "every line is exactly Cols wide")
				assert.True(t, strings.HasSuffix(l, "\x1b[0m"), "every line resets its colours")
			}
			golden.RequireEqual(t, out.Text)
		})
	}
}

func TestBlocksColumnsFollowModules(t *testing.T) {
	img := testimage.QRSized(testURL, 430, black, white) // uneven modules: 430 px over 41+8 modules
	q := testimage.QR(testURL, 1, black, white)
	n := q.Rect.Dx() // modules including the quiet zone
	g, ok := moduleGrid(img)
	require.True(t, ok)
	assert.InDelta(t, 430.0/float64(n), g.module, 0.6)
	for _, cols := range []int{n, n + 5, 2*n + 3, 3*n - 1} {
		out, err := Render(img, Box{cols, 0}, Caps{}, Options{Mode: ModeBlocks})
		require.NoError(t, err)
		assert.Zero(t, out.Cols%n, "box %d: %d columns is not a multiple of %d modules", cols, out.Cols, n)
	}
	_, ok = moduleGrid(sunImage(200))
	assert.False(t, ok, "no finder pattern in a round code")
}

// zbar decodes img with zbarimg and returns the symbols' data.
func zbar(t *testing.T, img image.Image) string {
	t.Helper()
	bin := testenv.Tool(t, "zbarimg", "zbar-tools")
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	path := writeTemp(t, "scan.png", b.Bytes())
	out, err := exec.Command(bin, "-q", "--raw", path).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func TestBlocksScan(t *testing.T) {
	for _, c := range []struct {
		name string
		img  image.Image
		cols int
	}{
		{"even modules 1x", testimage.QR(testURL, 10, black, white), 60},
		{"even modules 2x", testimage.QR(testURL, 10, black, white), 110},
		{"uneven modules jpeg", decodeT(t, testimage.JPEG(testimage.QRSized(testURL, 430, black, white))), 100},
		{"transparent green", testimage.QRSized(testURL, 430, green, transparent), 70},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := Render(c.img, Box{c.cols, 0}, Caps{}, Options{Mode: ModeBlocks})
			require.NoError(t, err)
			assert.Equal(t, testURL, zbar(t, blockscan.Text(out.Text)))
		})
	}
}

func FuzzEncodeBlocks(f *testing.F) {
	f.Add(uint8(3), uint8(5), []byte{0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1}, false)
	f.Add(uint8(1), uint8(1), []byte{200, 10, 30}, true)
	f.Add(uint8(4), uint8(2), []byte{}, true)
	f.Fuzz(func(t *testing.T, w, h uint8, pix []byte, colourful bool) {
		if w == 0 || h == 0 || int(w)*int(h) > 4096 {
			return
		}
		var img image.Image
		if colourful {
			m := image.NewNRGBA(image.Rect(0, 0, int(w), int(h)))
			copy(m.Pix, pix)
			img = m
		} else {
			m := image.NewPaletted(image.Rect(0, 0, int(w), int(h)), color.Palette{color.Black, color.White})
			for i := range m.Pix {
				if i < len(pix) {
					m.Pix[i] = pix[i] & 1
				}
			}
			img = m
		}
		s := EncodeBlocks(img)
		lines := strings.Split(s, "\n")
		if len(lines) != (int(h)+1)/2 {
			t.Fatalf("%d lines for %d pixel rows", len(lines), h)
		}
		for _, l := range lines {
			if got := ansi.StringWidth(l); got != int(w) {
				t.Fatalf("line width %d, want %d: %q", got, w, l)
			}
		}
		// Through Render as well: any box, any image, never a panic.
		out, err := Render(img, Box{int(w%40) + 1, int(h % 20)}, Caps{}, Options{Mode: ModeBlocks})
		if err != nil {
			t.Fatal(err)
		}
		if out.Cols > int(w%40)+1 {
			t.Fatalf("%d columns in a box of %d", out.Cols, int(w%40)+1)
		}
		// And the sixel encoder: a well-formed DCS whose raster is the prepared size.
		out, err = Render(img, Box{int(w%40) + 1, int(h%20) + 1}, Caps{}, Options{Mode: ModeSixel})
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("\"1;1;%d;%d", out.Width, out.Height)
		if !strings.HasPrefix(out.Raw, "\x1bP") || !strings.Contains(out.Raw[:min(40, len(out.Raw))], want) || !strings.HasSuffix(out.Raw, "\x1b\\") {
			t.Fatalf("malformed sixel %q", out.Raw[:min(60, len(out.Raw))])
		}
	})
}
