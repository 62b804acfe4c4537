package sim

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/wechat"
	"wxacode/wechat/scene"
)

// scan decodes the one QR code in img.
func scan(t *testing.T, zbar string, img []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "code")
	require.NoError(t, os.WriteFile(f, img, 0o600))
	out, err := exec.Command(zbar, "-q", "--raw", f).Output()
	require.NoError(t, err, "zbarimg could not decode the code")
	return strings.TrimSuffix(string(out), "\n")
}

// Every simulated code decodes, at every width and colour with enough
// contrast, hyaline or not, to the launch the real code would cause.
func TestCodesScan(t *testing.T) {
	zbar := testenv.Tool(t, "zbarimg", "zbar-tools")
	s := newSim(t)
	tok := classic(t, s)
	scenes := []string{"id=42", "a=1&b=2", "!#$&'()*+,/:;=?@-._~", "Zz09" + strings.Repeat("=&", 14)}
	colours := []string{``, `"auto_color":true,`, `"line_color":{"r":255,"g":0,"b":0},`, `"line_color":{"r":"40","g":"60","b":"200"},`, `"line_color":{"r":136,"g":136,"b":136},`}
	i := 0
	for _, width := range []int{280, 430, 1280} {
		for ci, colour := range colours {
			for _, hyaline := range []bool{false, true} {
				sc := scenes[i%len(scenes)]
				i++
				name := fmt.Sprintf("w%d/c%d/hyaline=%v", width, ci, hyaline)
				t.Run(name, func(t *testing.T) {
					body := fmt.Sprintf(`{"scene":%q,"page":"pages/detail/detail",%s"width":%d,"is_hyaline":%v}`, sc, colour, width, hyaline)
					a := code(t, s, pathB, tok, body)
					requireImage(t, a)
					assert.Empty(t, a.header.Get(WarningHeader))
					got := scan(t, zbar, a.body)
					want := "https://sim.wxacode.invalid/release/pages/detail/detail?scene=" + scene.MustEncode(sc)
					assert.Equal(t, want, got)
					assert.Equal(t, want, a.header.Get(ContentHeader))
					_, raw, ok := strings.Cut(got, "?scene=")
					require.True(t, ok)
					back, err := scene.DecodeURIComponent(raw)
					require.NoError(t, err)
					assert.Equal(t, sc, back, "decodeURIComponent(query.scene) gives back the scene")
				})
			}
		}
	}
	t.Run("limited path as given", func(t *testing.T) {
		for _, width := range []int{280, 1280} {
			a := code(t, s, pathA, tok, fmt.Sprintf(`{"path":"pages/index/detail?id=133\u0026n=1","width":%d,"env_version":"trial"}`, width))
			requireImage(t, a)
			assert.Equal(t, "pages/index/detail?id=133u0026n=1", scan(t, zbar, a.body))
		}
	})
	t.Run("qrcode square", func(t *testing.T) {
		for _, width := range []int{280, 430, 1280} {
			path := "pages/shop/item?id=" + strings.Repeat("9", 100)
			a := code(t, s, pathC, tok, fmt.Sprintf(`{"path":%q,"width":%d}`, path, width))
			requireImage(t, a)
			assert.Equal(t, path, scan(t, zbar, a.body))
		}
	})
	t.Run("widths between", func(t *testing.T) {
		for width := wechat.MinWidth + 1; width < wechat.MaxWidth; width += 111 {
			a := code(t, s, pathB, tok, fmt.Sprintf(`{"scene":"w=%d","width":%d}`, width, width))
			requireImage(t, a)
			assert.Equal(t, a.header.Get(ContentHeader), scan(t, zbar, a.body), "width %d", width)
		}
	})
	t.Run("longest unlimited launch at 280", func(t *testing.T) {
		// 32 characters that all need %XX: the densest unlimited code.
		sc := strings.Repeat("/", 32)
		a := code(t, s, pathB, tok, fmt.Sprintf(`{"scene":%q,"page":"pages/user/profile","width":280}`, sc))
		requireImage(t, a)
		assert.Empty(t, a.header.Get(WarningHeader))
		assert.Equal(t, LaunchURL("release", "pages/user/profile", sc), scan(t, zbar, a.body))
	})
}
