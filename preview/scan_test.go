package preview

import (
	"image"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/blockscan"
	"wxacode/internal/testimage"
)

// quiet is a QR of content, module px a module, with a quiet zone of q
// modules (testimage draws 4).
func quiet(content string, module, q int) image.Image {
	img := testimage.QR(content, module, black, white)
	return img.SubImage(img.Rect.Inset((4 - q) * module))
}

// TestScanNeed: the smallest box that draws a code scannable, for several
// module counts, quiet zones and cell shapes. A box of exactly that size is
// exact; one column or one row less is not, and neither is a small box.
func TestScanNeed(t *testing.T) {
	const url = testURL                                               // 33 modules
	long := testURL + "&from=share&campaign=spring-2026&utm=abcdefgh" // 41 modules
	cases := []struct {
		name   string
		img    image.Image
		cw, ch int
		grid   bool
		need   Box
	}{
		{"21 modules, quiet zone 4: cut to 1", quiet("wxa", 4, 4), 10, 20, true, Box{23, 12}},
		{"21 modules, quiet zone 2", quiet("wxa", 4, 2), 10, 20, true, Box{23, 12}},
		{"21 modules, quiet zone 1", quiet("wxa", 4, 1), 10, 20, true, Box{23, 12}},
		{"21 modules, no quiet zone", quiet("wxa", 4, 0), 10, 20, true, Box{21, 11}},
		{"33 modules, uneven, quiet zone 4", testimage.QRSized(url, 430, black, white), 10, 20, true, Box{35, 18}},
		{"33 modules, 7×15 cells: a row a module", quiet(url, 3, 4), 7, 15, true, Box{35, 18}},
		{"33 modules, square cells: two rows a module", quiet(url, 3, 4), 10, 10, true, Box{35, 35}},
		{"41 modules, quiet zone 4", quiet(long, 3, 4), 10, 20, true, Box{43, 22}},
		{"41 modules, quiet zone 3 kept as 1", quiet(long, 5, 3), 10, 20, true, Box{43, 22}},
		{"round, 200 px", sunImage(200), 10, 20, false, Box{roundMinPx, roundMinPx / 2}},
		{"round, 200 px, square cells", sunImage(200), 10, 10, false, Box{roundMinPx, roundMinPx}},
		{"round, 80 px: no box is enough", sunImage(80), 10, 20, false, Box{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			caps := Caps{CellW: c.cw, CellH: c.ch}
			render := func(box Box) Output {
				t.Helper()
				out, err := Render(c.img, box, caps, Options{Mode: ModeBlocks})
				require.NoError(t, err)
				return out
			}
			small := render(Box{10, 5})
			assert.Equal(t, Scan{Grid: c.grid, Need: c.need}, small.Scan)
			if c.need == (Box{}) {
				assert.Equal(t, "too small to scan: the image has too few pixels for half blocks", small.ScanProblem())
				assert.False(t, render(Box{MaxCells, 0}).Scan.Exact, "not in the largest box either")
				return
			}
			assert.Equal(t, "too small to scan: needs "+itoa(c.need.Cols)+"×"+itoa(c.need.Rows)+" cells", small.ScanProblem())

			exact := render(c.need)
			assert.Equal(t, Scan{Exact: true, Grid: c.grid}, exact.Scan, "a box of exactly the size needed")
			assert.Empty(t, exact.ScanProblem())
			assert.Equal(t, c.need, Box{exact.Cols, exact.Rows}, "drawn in all of it")
			assert.True(t, render(Box{c.need.Cols, 0}).Scan.Exact, "the columns needed, rows unlimited")
			for _, less := range []Box{{c.need.Cols - 1, c.need.Rows}, {c.need.Cols, c.need.Rows - 1}, {c.need.Cols - 1, 0}} {
				out := render(less)
				assert.False(t, out.Scan.Exact, "box %v", less)
				assert.Equal(t, c.need, out.Scan.Need, "box %v", less)
			}
		})
	}
}

// TestScanOtherModes: only half blocks are judged; graphics draw the image
// itself and say nothing.
func TestScanOtherModes(t *testing.T) {
	img := quiet("wxa", 4, 4)
	for _, m := range []Mode{ModeSixel, ModeKitty, ModeITerm, ModeNone} {
		out, err := Render(img, Box{10, 5}, Caps{}, Options{Mode: m})
		require.NoError(t, err)
		assert.Zero(t, out.Scan, m)
		assert.Empty(t, out.ScanProblem(), m)
	}
}

// TestScanRealQR: the plain QR of the real codes (860×980, 20 px modules,
// a quiet zone of 3 modules and a caption strip) needs its symbol and one
// module around it: 39×20 cells. Drawn in exactly that box, the text rebuilt
// as a bitmap decodes with zbarimg; one column or row less, the drawing is
// not claimed exact, and zbar cannot read it either (rebuilt from its
// colours, as a camera would see it: too small, it is drawn in colour).
func TestScanRealQR(t *testing.T) {
	img := decodeFileT(t, filepath.Join("..", "codeimage", "testdata", "realcodes", "wxaqrcode-Linton-chen-wxHB5800-1.jpg"))
	const want = "https://mp.weixin.qq.com/a/~03ygstYyVqdoHOK-ZGPm1A~~"
	out, err := Render(img, Box{20, 10}, Caps{}, Options{Mode: ModeBlocks})
	require.NoError(t, err)
	require.Equal(t, Scan{Grid: true, Need: Box{39, 20}}, out.Scan)

	out, err = Render(img, out.Scan.Need, Caps{}, Options{Mode: ModeBlocks})
	require.NoError(t, err)
	require.True(t, out.Scan.Exact)
	assert.Equal(t, want, zbar(t, blockscan.Text(out.Text)), "decodes at the size reported")
	seen, err := blockscan.Capture(out.Text, 0)
	require.NoError(t, err)
	assert.Equal(t, want, zbar(t, seen), "and from its colours")

	for _, box := range []Box{{38, 20}, {39, 19}, {30, 0}} {
		out, err = Render(img, box, Caps{}, Options{Mode: ModeBlocks})
		require.NoError(t, err)
		assert.False(t, out.Scan.Exact, "box %v", box)
		seen, err := blockscan.Capture(out.Text, 0)
		require.NoError(t, err)
		got := zbar(t, seen)
		t.Logf("box %v: drawn %d×%d, not exact; zbar reads %q", box, out.Cols, out.Rows, got)
		assert.NotEqual(t, want, got, "box %v: zbar reads a drawing reported too small, so the size reported is not the smallest", box)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
