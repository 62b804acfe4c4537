package codeimage

import (
	"image/color"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testimage"
)

// apiLimits are the bounds wechat.CodeLimits gives (wechat imports this
// package, so its own test checks that they agree: TestCodeLimits).
var apiLimits = Limits{MinWidth: 280, MaxWidth: 1280, MinHeight: 280, MaxHeight: 1600, MaxPixels: 1280 * 1600, MaxTaller: 25,
	Says: "getwxacodeunlimit returns 280 to 1280 px wide"}

// TestDecodeRefusesBombs is class 2 of issue 14: a header declaring an absurd
// size is refused from the header alone, within a fixed memory bound, with a
// message that says what a code is.
func TestDecodeRefusesBombs(t *testing.T) {
	png := func(w, h uint32) []byte { return testimage.BombPNG(w, h) }
	for _, tc := range []struct {
		name   string
		bomb   []byte
		format Format
		lim    Limits
		want   string
	}{
		{"65535² as a code", png(65535, 65535), PNG, apiLimits, "a 65535×65535 png image is not a code: getwxacodeunlimit returns 280 to 1280 px wide"},
		{"65535² as a file", png(65535, 65535), PNG, File, "a 65535×65535 png image is not a code: a preview takes at most 8192×8192 px"},
		{"wide and flat", png(1280, 1), PNG, apiLimits, "a 1280×1 png"},
		{"too tall for a caption", png(1280, 1601), PNG, apiLimits, "a 1280×1601 png"},
		{"2³¹ wide", png(1<<31, 1), PNG, File, "png"}, // the png package refuses it itself
		{"8192×8193", png(8192, 8193), PNG, File, "a 8192×8193 png"},
		{"GIF 65535²", testimage.BombGIF(65535, 65535), GIF, File, "a 65535×65535 gif image is not a code"},
		{"GIF 8193×1", testimage.BombGIF(8193, 1), GIF, File, "a 8193×1 gif"},
		{"GIF as a code", testimage.BombGIF(300, 300), GIF, apiLimits, "a GIF image, not PNG or JPEG"},
		{"BMP 65535²", testimage.BombBMP(65535, 65535), BMP, File, "a 65535×65535 bmp image is not a code"},
		{"BMP top-down 65535²", testimage.BombBMP(65535, -65535), BMP, File, "a 65535×65535 bmp"},
		{"WebP 16384²", testimage.BombWebP(16384, 16384), WebP, File, "a 16384×16384 webp image is not a code"},
		{"WebP 2²⁴ wide", testimage.BombWebP(1<<24, 1), WebP, File, "a 16777216×1 webp"},
		{"BMP 2³¹-1 wide", testimage.BombBMP(1<<31-1, 1), BMP, File, "bmp"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			img, f, err := Decode(tc.bomb, tc.lim)
			runtime.ReadMemStats(&after)
			require.Error(t, err)
			assert.Nil(t, img)
			assert.Equal(t, tc.format, f)
			assert.Contains(t, err.Error(), tc.want)
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(16<<20), "refused from the header, not after allocating the pixels")
		})
	}
	bomb := testimage.BombPNG(65535, 65535)
	allocs := testing.AllocsPerRun(20, func() { _, _, _ = Decode(bomb, apiLimits) })
	assert.Less(t, allocs, 100.0, "a header read is a handful of allocations")
	_, _, err := Decode(bomb, apiLimits)
	assert.ErrorIs(t, err, ErrSize)
	var se *SizeError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 65535, se.Width)
}

// realCodes are the real codes of testdata/realcodes (copied from
// /work/shared/realcodes; SOURCES.md says where each comes from). Several
// extensions lie about the format.
func realCodes(t testing.TB) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "realcodes", "*.*g"))
	require.NoError(t, err)
	require.Len(t, paths, 12)
	out := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		out[filepath.Base(p)] = b
	}
	return out
}

// TestDecodeRealCodes: every real code is read (by its bytes, not its name)
// within the preview's bounds; within a code endpoint's bounds exactly those
// at least 280 px wide (two were scaled down to 200 and 258 px after download).
func TestDecodeRealCodes(t *testing.T) {
	lying := 0
	for name, b := range realCodes(t) {
		t.Run(name, func(t *testing.T) {
			img, f, err := Decode(b, File)
			require.NoError(t, err)
			ext := strings.TrimPrefix(filepath.Ext(name), ".")
			if (ext == "jpg") != (f == JPEG) {
				lying++
			}
			w, h := img.Bounds().Dx(), img.Bounds().Dy()
			_, _, err = Decode(b, apiLimits)
			if w >= 280 {
				assert.NoError(t, err, "%d×%d", w, h)
			} else {
				assert.ErrorIs(t, err, ErrSize, "%d×%d", w, h)
			}
		})
	}
	assert.Equal(t, 4, lying, "the four files whose extension lies (SOURCES.md) were sniffed")
}

func TestDecodeNotAnImage(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("GIF89a"), []byte("\x89PNG\r\n\x1a\n"), []byte{0xFF, 0xD8, 0xFF, 0xE0}} {
		img, _, err := Decode(b, File)
		assert.Error(t, err)
		assert.Nil(t, img)
	}
	_, _, err := Decode([]byte("<html>"), File)
	assert.ErrorIs(t, err, ErrFormat)
}

// FuzzReadImage: Decode never panics, and an image it returns is within the limits.
func FuzzReadImage(f *testing.F) {
	for _, b := range realCodes(f) {
		f.Add(b)
	}
	f.Add(testimage.BombPNG(65535, 65535))
	f.Add(testimage.BombPNG(300, 300))
	// The other formats File takes: small ones, and their bombs.
	small := testimage.QR("wxa", 2, color.NRGBA{A: 255}, color.NRGBA{R: 255, G: 255, B: 255, A: 255})
	f.Add(testimage.GIF(small))
	f.Add(testimage.BMP(small))
	f.Add(testimage.BombGIF(65535, 65535))
	f.Add(testimage.BombBMP(65535, -65535))
	f.Add(testimage.BombWebP(16384, 16384))
	webps, err := filepath.Glob(filepath.Join("testdata", "seeds", "*.webp"))
	require.NoError(f, err)
	require.NotEmpty(f, webps)
	for _, p := range webps {
		b, err := os.ReadFile(p)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, lim := range []Limits{apiLimits, File} {
			img, f, err := Decode(b, lim)
			if (img == nil) == (err == nil) {
				t.Fatalf("want exactly one of image and error, got %v, %v", img != nil, err)
			}
			if img != nil {
				r := img.Bounds()
				require.NoError(t, lim.Check(PNG, r.Dx(), r.Dy()))
				assert.True(t, lim.Accepts(f))
			}
		}
	})
}
