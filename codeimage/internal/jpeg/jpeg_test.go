package jpeg

import (
	"bytes"
	"image"
	stdjpeg "image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testimage"
)

// inputs are the real JPEG codes, two of them re-encoded by ImageMagick in
// every JPEG flavour of testimage.ConvertFormats (progressive, CMYK, ...),
// and a JPEG from image/jpeg's own encoder.
func inputs(t *testing.T) map[string][]byte {
	t.Helper()
	dir := filepath.Join("..", "..", "testdata", "realcodes")
	paths, err := filepath.Glob(filepath.Join(dir, "*.jpg"))
	require.NoError(t, err)
	ins := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		if bytes.HasPrefix(b, []byte("\xff\xd8")) { // some real ".jpg" are PNGs
			ins[filepath.Base(p)] = b
		}
	}
	require.GreaterOrEqual(t, len(ins), 7)
	srcs := []string{filepath.Join(dir, "wxacode-Mr-Pao-Cat-Atlas-1.jpg"), filepath.Join(dir, "wxacode-shoringnie-PublicSelective-1.jpg")}
	for _, c := range testimage.ConvertAll(t, t.TempDir(), srcs) {
		b, err := os.ReadFile(c.Path)
		require.NoError(t, err)
		if bytes.HasPrefix(b, []byte("\xff\xd8")) {
			ins[filepath.Base(c.Source)+" "+c.Format] = b
		}
	}
	ins["image/jpeg's own"] = testimage.JPEG(testimage.Checker(301, 203))
	return ins
}

// TestSameAsImageJPEG: the fork decodes every input exactly as image/jpeg
// does (type, bounds, every sample).
func TestSameAsImageJPEG(t *testing.T) {
	for name, data := range inputs(t) {
		t.Run(name, func(t *testing.T) {
			want, err := stdjpeg.Decode(bytes.NewReader(data))
			require.NoError(t, err)
			got, err := Decode(bytes.NewReader(data))
			require.NoError(t, err)
			assert.Equal(t, want, got)
			wantCfg, _ := stdjpeg.DecodeConfig(bytes.NewReader(data))
			gotCfg, err := DecodeConfig(bytes.NewReader(data))
			require.NoError(t, err)
			assert.Equal(t, wantCfg, gotCfg)
		})
	}
}

// TestSameErrors: truncated and corrupted inputs fail (or decode to
// garbage) as they do with image/jpeg.
func TestSameErrors(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "realcodes", "wxacode-Kahen-GarbageClassification-1.jpg"))
	require.NoError(t, err)
	flipped := bytes.Clone(data)
	for i := len(flipped) / 2; i < len(flipped)/2+64; i++ {
		flipped[i] ^= 0x5a
	}
	for name, b := range map[string][]byte{"truncated": data[:len(data)/2], "corrupted": flipped, "empty": nil} {
		t.Run(name, func(t *testing.T) {
			want, wantErr := stdjpeg.Decode(bytes.NewReader(b))
			got, err := Decode(bytes.NewReader(b))
			if wantErr != nil {
				require.Error(t, err)
				assert.Equal(t, wantErr.Error(), err.Error()) // the same words, in the fork's own error types
				return
			}
			require.NoError(t, err)
			assert.Equal(t, want, got) // garbage, but the same garbage
		})
	}
}

// BenchmarkDecode is a real 1280 px code decoded by image/jpeg and by the fork.
func BenchmarkDecode(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "realcodes", "wxacode-Mr-Pao-Cat-Atlas-1.jpg"))
	if err != nil {
		b.Fatal(err)
	}
	for name, decode := range map[string]func(r *bytes.Reader) (image.Image, error){
		"image-jpeg": func(r *bytes.Reader) (image.Image, error) { return stdjpeg.Decode(r) },
		"fork":       func(r *bytes.Reader) (image.Image, error) { return Decode(r) },
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := decode(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
