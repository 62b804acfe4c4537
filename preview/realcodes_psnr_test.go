package preview

import (
	"encoding/base64"
	"fmt"
	"image"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
)

// TestRealCodesSixelPSNR draws every real code as sixel in 40 columns of
// 10×20 px cells, decodes it with libsixel's sixel2png and compares it, as
// PSNR, with the original flattened on white and resized by ImageMagick to
// the same size. img2sixel, run at the same pixel size, is the bar: ours
// must be no more than 1 dB below it.
func TestRealCodesSixelPSNR(t *testing.T) {
	convert := testenv.File(t, "/usr/bin/convert", "imagemagick")
	img2sixel := testenv.Tool(t, "img2sixel", "libsixel-bin")
	for _, path := range realCodePaths(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			img := decodeFileT(t, path)
			out, err := Render(img, Box{Cols: 40}, Caps{Sixel: true, CellW: 10, CellH: 20}, Options{})
			require.NoError(t, err)
			ours := sixelRoundTrip(t, out.Raw)
			require.Equal(t, image.Pt(out.Width, out.Height), ours.Bounds().Size())

			ref := convertRef(t, convert, path, out.Width, out.Height)
			theirs, err := exec.Command(img2sixel, "-w", strconv.Itoa(out.Width), "-h", strconv.Itoa(out.Height), path).Output()
			require.NoError(t, err)
			theirsImg := sixelRoundTrip(t, string(theirs))

			pOurs, pTheirs := psnr(t, ref, ours), psnr(t, ref, theirsImg)
			t.Logf("%s %dx%d: wxacode %.1f dB, img2sixel %.1f dB", name, out.Width, out.Height, pOurs, pTheirs)
			assert.GreaterOrEqual(t, pOurs, pTheirs-1, "PSNR against img2sixel's")
		})
	}
}

// convertRef is the reference a drawing of the file at path is measured
// against: the original flattened on white and resized to w×h by ImageMagick.
func convertRef(t *testing.T, convert, path string, w, h int) image.Image {
	t.Helper()
	refPath := filepath.Join(t.TempDir(), "ref.png")
	b, err := exec.Command(convert, path+"[0]", "-background", "white", "-alpha", "remove", "-alpha", "off",
		"-resize", fmt.Sprintf("%dx%d!", w, h), "-depth", "8", refPath).CombinedOutput()
	require.NoError(t, err, string(b))
	return decodeFileT(t, refPath)
}

// realCodePaths are the real codes of codeimage/testdata/realcodes (its
// SOURCES.md says where each comes from).
func realCodePaths(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "codeimage", "testdata", "realcodes", "*.*g"))
	require.NoError(t, err)
	require.Len(t, paths, 12)
	return paths
}

func decodeFileT(t *testing.T, path string) image.Image {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return decodeT(t, data)
}

// psnr is the peak signal-to-noise ratio of b against a over R, G and B
// (8 bits), in dB; both images the same size.
func psnr(t *testing.T, a, b image.Image) float64 {
	t.Helper()
	require.Equal(t, a.Bounds().Size(), b.Bounds().Size())
	var se float64
	ab, bb := a.Bounds(), b.Bounds()
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1, _ := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			for _, d := range []float64{float64(r1>>8) - float64(r2>>8), float64(g1>>8) - float64(g2>>8), float64(b1>>8) - float64(b2>>8)} {
				se += d * d
			}
		}
	}
	mse := se / float64(ab.Dx()*ab.Dy()*3)
	if mse == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/mse)
}

// TestRealCodesKittyITermLossless: kitty and iTerm2 carry a PNG, and on the
// real codes that PNG is the scaled image itself (flattened on white), with
// every colour it has: not down-converted to a palette. (The one real code
// shown larger than it is, 200 px at 2×, is interpolated, not replicated.)
func TestRealCodesKittyITermLossless(t *testing.T) {
	for _, path := range realCodePaths(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			img := decodeFileT(t, path)
			for _, mode := range []Mode{ModeKitty, ModeITerm} {
				out, err := Render(img, Box{Cols: 40}, Caps{CellW: 10, CellH: 20}, Options{Mode: mode})
				require.NoError(t, err)
				got := decodePayload(t, mode, out.Raw)
				var want *image.RGBA
				if out.Width >= 2*img.Bounds().Dx() { // a round code upscaled: interpolated
					want = upscaleSmooth(img, out.Width, out.Height)
				} else {
					want = resample(img, out.Width, out.Height)
				}
				flatten(want, BackgroundWhite)
				require.Equal(t, want.Bounds().Size(), got.Bounds().Size())
				for y := 0; y < out.Height; y++ {
					for x := 0; x < out.Width; x++ {
						r1, g1, b1, _ := want.At(x, y).RGBA()
						r2, g2, b2, _ := got.At(x, y).RGBA()
						require.Equal(t, [3]uint32{r1 >> 8, g1 >> 8, b1 >> 8}, [3]uint32{r2 >> 8, g2 >> 8, b2 >> 8}, "%s at %d,%d", mode, x, y)
					}
				}
			}
		})
	}
}

// decodePayload decodes the PNG that a kitty (chunks of ESC _ G …;DATA ESC \)
// or iTerm2 (OSC 1337 File=…:DATA BEL) sequence carries.
func decodePayload(t *testing.T, mode Mode, raw string) image.Image {
	t.Helper()
	var b64 strings.Builder
	switch mode {
	case ModeKitty:
		for _, cmd := range strings.Split(raw, "\x1b_G")[1:] {
			body, _, ok := strings.Cut(cmd, "\x1b\\")
			require.True(t, ok)
			if strings.HasPrefix(body, "a=d,") {
				continue
			}
			_, data, ok := strings.Cut(body, ";")
			require.True(t, ok)
			b64.WriteString(data)
		}
	case ModeITerm:
		_, data, ok := strings.Cut(raw, ":")
		require.True(t, ok)
		b64.WriteString(strings.TrimSuffix(data, "\x07"))
	}
	data, err := base64.StdEncoding.DecodeString(b64.String())
	require.NoError(t, err)
	return decodeT(t, data)
}
