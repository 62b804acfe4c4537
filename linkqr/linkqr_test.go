package linkqr

import (
	"bytes"
	"fmt"
	"image"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/wechat"
)

// scan decodes the one QR code in img with zbarimg, byte for byte.
func scan(t *testing.T, _ string, img []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "code")
	require.NoError(t, os.WriteFile(f, img, 0o600))
	return testenv.Zbar(t, f, true)
}

// randURL is an http(s) URL of n bytes of printable ASCII.
func randURL(r *rand.Rand, n int) string {
	const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/?#"
	prefix := []string{"https://example.com/", "http://wx.qq.com/a/", "https://shop.example.cn/p?id="}[r.IntN(3)]
	var b strings.Builder
	b.WriteString(prefix)
	for b.Len() < n {
		if r.IntN(20) == 0 {
			fmt.Fprintf(&b, "%%%02X", r.IntN(256))
			continue
		}
		b.WriteByte(chars[r.IntN(len(chars))])
	}
	s := b.String()[:max(n, len(prefix))]
	if i := strings.LastIndexByte(s, '%'); i >= len(s)-2 && i >= 0 {
		s = s[:i] + strings.Repeat("a", len(s)-i) // no escape cut short
	}
	return s
}

// Every level decodes to exactly the URL: short and long URLs, up to the
// most each level holds, PNG and JPEG, coloured and not.
func TestDecodesToExactlyTheURL(t *testing.T) {
	zbar := testenv.Tool(t, "zbarimg", "zbar-tools")
	r := rand.New(rand.NewPCG(16, 2026))
	red, cream := wechat.Color{R: 150, G: 20, B: 20}, wechat.Color{R: 255, G: 250, B: 230}
	for _, ec := range wechat.ECLevels {
		urls := []string{
			"https://example.com/",
			"https://wx.qq.com/mp?id=123&from=poster",
			"http://www.qq.com/a/123456?q=%E4%B8%AD&x=1#frag",
			randURL(r, 300),
			randURL(r, wechat.LinkQRCapacity(ec)), // the most the level holds
		}
		for i, u := range urls {
			for _, f := range []wechat.Format{wechat.FormatPNG, wechat.FormatJPEG} {
				t.Run(fmt.Sprintf("%s/%d/%s", ec, i, f), func(t *testing.T) {
					req := wechat.LinkQR{URL: u, EC: ec, Width: 1000}
					if len(u) > 1000 {
						req.Width = 1400 // a version 40 symbol needs 185 modules at 2 px and more
					}
					if i == 2 {
						req.Line, req.Background = &red, &cream
					}
					img, err := Encode(req, f)
					require.NoError(t, err)
					assert.Equal(t, ec, img.EC)
					got, format, err := image.DecodeConfig(bytes.NewReader(img.Bytes))
					require.NoError(t, err)
					assert.Equal(t, string(f), format)
					assert.Equal(t, req.Width, got.Width)
					assert.Equal(t, req.Width, got.Height)
					assert.Equal(t, u, scan(t, zbar, img.Bytes))
				})
			}
		}
	}
}

// The level is the one asked for, never raised, so a bigger --ec makes a
// bigger symbol for the same URL.
func TestLevelIsExact(t *testing.T) {
	u := "https://example.com/shop/item?id=1234567890&channel=poster"
	var sizes []int
	for _, ec := range wechat.ECLevels {
		img, err := Encode(wechat.LinkQR{URL: u, EC: ec}, wechat.FormatPNG)
		require.NoError(t, err)
		assert.Equal(t, ec, img.EC)
		sizes = append(sizes, img.Modules)
	}
	assert.IsNonDecreasing(t, sizes)
	assert.Less(t, sizes[0], sizes[3])
}

func TestEncodeRefuses(t *testing.T) {
	long := "https://example.com/" + strings.Repeat("a", 1500)
	for _, tc := range []struct {
		name string
		req  wechat.LinkQR
		want string
	}{
		{"too small for the symbol", wechat.LinkQR{URL: long, EC: wechat.ECLow, Width: 200}, "use --width"},
		{"too long for H", wechat.LinkQR{URL: long, EC: wechat.ECHigh}, "use --ec Q (holds 1663 bytes)"},
		{"ftp", wechat.LinkQR{URL: "ftp://example.com/a"}, "http and https only"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Encode(tc.req, wechat.FormatPNG)
			var ve *wechat.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// The quiet zone is at least the margin asked for, in the background colour.
func TestQuietZone(t *testing.T) {
	m := 6
	img, err := Encode(wechat.LinkQR{URL: "https://example.com/", Width: 500, Margin: &m}, wechat.FormatPNG)
	require.NoError(t, err)
	dec, _, err := image.Decode(bytes.NewReader(img.Bytes))
	require.NoError(t, err)
	edge := (500 - img.Modules*img.Scale) / 2
	assert.GreaterOrEqual(t, edge, m*img.Scale)
	for i := 0; i < edge; i++ {
		r, g, b, _ := dec.At(i, i).RGBA()
		assert.Equal(t, [3]uint32{0xffff, 0xffff, 0xffff}, [3]uint32{r, g, b})
	}
}
