package cli

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testimage"
)

// TestPreviewAnyFormat: `wxacode preview --graphics none` reads a real code
// in every format of issue 12's table by its content (each file is named
// .jpg), prints its size and draws it. Three real codes (a PNG, a hyaline one, a QR
// with its caption) keep this quick; codeimage's TestDecodeAnyFormat takes
// all twelve.
func TestPreviewAnyFormat(t *testing.T) {
	dir := filepath.Join("..", "..", "codeimage", "testdata", "realcodes")
	var paths []string
	sizes := map[string]string{}
	for _, name := range []string{"wxacode-Mr-Pao-MaoPu-2.png", "wxacode-15711270182-gitqinjia-1-hyaline.jpg", "wxaqrcode-Linton-chen-wxHB5800-1.jpg"} {
		p := filepath.Join(dir, name)
		code, out, errs := previewRun(t, "--graphics", "none", p)
		require.Equal(t, exitOK, code, errs)
		var w, h int
		_, err := fmt.Sscanf(out[len(p)+2:], "%d×%d px", &w, &h)
		require.NoError(t, err, out)
		sizes[p] = fmt.Sprintf("%d×%d px", w, h)
		paths = append(paths, p)
	}
	for _, c := range testimage.ConvertAll(t, t.TempDir(), paths) {
		t.Run(filepath.Base(c.Source)+"/"+c.Format, func(t *testing.T) {
			code, out, errs := previewRun(t, "--graphics", "none", c.Path)
			require.Equal(t, exitOK, code, errs)
			assert.Equal(t, c.Path+": "+sizes[c.Source]+"\n", out)
			assert.Empty(t, errs)
			// And drawn: every pixel type (paletted, 16-bit, CMYK) reaches the encoder.
			code, out, errs = previewRun(t, "--graphics", "blocks", "--cols", "40", c.Path)
			require.Equal(t, exitOK, code, errs)
			assert.NotEmpty(t, out)
		})
	}
}
