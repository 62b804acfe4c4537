package png

import (
	"bytes"
	stdpng "image/png"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/hugebuf"
	"wxacode/internal/testimage"
)

// inputs are the real PNG codes (some named .jpg), every real code
// re-encoded by ImageMagick as each PNG flavour of testimage.ConvertFormats
// (paletted, 8-bit RGB, 16-bit with alpha), and the standard library's own
// test images (PngSuite: every bit depth and colour type, interlaced, and
// the invalid ones) from the Go installation that runs the test.
func inputs(t *testing.T) map[string][]byte {
	t.Helper()
	dir := filepath.Join("..", "..", "testdata", "realcodes")
	paths, err := filepath.Glob(filepath.Join(dir, "*.*g"))
	require.NoError(t, err)
	ins := map[string][]byte{}
	isPNG := func(b []byte) bool { return bytes.HasPrefix(b, []byte(pngHeader)) }
	for _, p := range paths {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		if isPNG(b) {
			ins[filepath.Base(p)] = b
		}
	}
	require.GreaterOrEqual(t, len(ins), 2)
	// Converting all twelve takes long: the PNGs, a 1280 px JPEG and a
	// 430 px one cover the colour types and sizes.
	srcs := []string{filepath.Join(dir, "wxacode-Mr-Pao-MaoPu-2.png"), filepath.Join(dir, "wxacode-Mr-Pao-Cat-Atlas-1.jpg"),
		filepath.Join(dir, "wxacode-TalkingData-iview-weapp-1.jpg"), filepath.Join(dir, "wxacode-15711270182-gitqinjia-1-hyaline.jpg")}
	for _, c := range testimage.ConvertAll(t, t.TempDir(), srcs) {
		b, err := os.ReadFile(c.Path)
		require.NoError(t, err)
		if isPNG(b) {
			ins[filepath.Base(c.Source)+" "+c.Format] = b
		}
	}
	std := filepath.Join(runtime.GOROOT(), "src", "image", "png", "testdata")
	suite, _ := filepath.Glob(filepath.Join(std, "pngsuite", "*.png"))
	own, _ := filepath.Glob(filepath.Join(std, "*.png"))
	require.NotEmpty(t, suite, "image/png's test images in %s", std)
	for _, p := range append(suite, own...) {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		ins["go "+filepath.Base(p)] = b
	}
	return ins
}

// TestSameAsImagePNG: the fork decodes every input exactly as image/png
// does (type, bounds, palette, every sample), and fails where it fails with
// the same words; also with its pixels from a hugebuf region.
func TestSameAsImagePNG(t *testing.T) {
	ins := inputs(t)
	for _, region := range []bool{false, true} {
		if region {
			require.True(t, hugebuf.Use(1<<30) || runtime.GOOS != "linux") // room for every input
			t.Cleanup(func() { hugebuf.Use(0) })
		}
		for name, data := range ins {
			t.Run(name, func(t *testing.T) {
				want, wantErr := stdpng.Decode(bytes.NewReader(data))
				got, err := Decode(bytes.NewReader(data))
				if wantErr != nil {
					require.Error(t, err)
					assert.Equal(t, wantErr.Error(), err.Error())
					return
				}
				require.NoError(t, err)
				assert.Equal(t, want, got)
				wantCfg, wantErr := stdpng.DecodeConfig(bytes.NewReader(data))
				gotCfg, err := DecodeConfig(bytes.NewReader(data))
				assert.Equal(t, wantErr, err)
				assert.Equal(t, wantCfg, gotCfg)
			})
		}
	}
}

// TestSameErrorsOnBrokenCodes: a real code cut short or corrupted fails as
// it does with image/png.
func TestSameErrorsOnBrokenCodes(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "realcodes", "wxacode-Mr-Pao-MaoPu-2.png"))
	require.NoError(t, err)
	flipped := bytes.Clone(data)
	for i := len(flipped) / 2; i < len(flipped)/2+64; i++ {
		flipped[i] ^= 0x5a
	}
	for name, b := range map[string][]byte{"truncated": data[:len(data)/2], "corrupted": flipped, "empty": nil, "header only": data[:8]} {
		t.Run(name, func(t *testing.T) {
			_, wantErr := stdpng.Decode(bytes.NewReader(b))
			_, err := Decode(bytes.NewReader(b))
			require.Error(t, wantErr)
			require.Error(t, err)
			assert.Equal(t, wantErr.Error(), err.Error())
		})
	}
}
