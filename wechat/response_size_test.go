package wechat

import (
	"errors"
	"path"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testimage"
)

// TestClassifyRefusesSizes: an answer is refused from its header when no code
// endpoint returns that size (class 2 of issue 14), and real sizes pass.
func TestClassifyRefusesSizes(t *testing.T) {
	for _, tc := range []struct {
		name string
		body []byte
		ok   bool
	}{
		{"65535² bomb", testimage.BombPNG(65535, 65535), false},
		{"wider than 1280", testimage.PNG(testimage.Checker(1281, 1281)), false},
		{"narrower than 280", testimage.JPEG(testimage.Checker(279, 279)), false},
		{"flat", testimage.PNG(testimage.Checker(430, 300)), false},
		{"280 square", testimage.JPEG(testimage.Checker(280, 280)), true},
		{"1280 square", testimage.PNG(testimage.Checker(1280, 1280)), true},
		{"QR with its caption strip, 860×980 as seen", testimage.JPEG(testimage.Checker(860, 980)), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, err := Classify(KindUnlimited.Path(), "image/jpeg", tc.body)
			if tc.ok {
				require.NoError(t, err)
				assert.Positive(t, code.Width)
				return
			}
			require.ErrorIs(t, err, ErrImageSize)
			assert.False(t, errors.Is(err, ErrBadImage), "a size is not damage")
			var re *RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, KindUnlimited.Path(), re.Endpoint)
			assert.Contains(t, err.Error(), "image is not a code: getwxacodeunlimit returns 280 to 1280 px wide")
		})
	}
	bomb := testimage.BombPNG(65535, 65535)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Classify(KindUnlimited.Path(), "image/png", bomb)
	runtime.ReadMemStats(&after)
	assert.Contains(t, err.Error(), "a 65535×65535 png image is not a code: getwxacodeunlimit returns 280 to 1280 px")
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(16<<20), "refused from the header (decoding would take 17 GB)")
}

// TestCodeLimits: the bounds follow the validator's width range and name the endpoint.
func TestCodeLimits(t *testing.T) {
	for _, k := range []Kind{KindUnlimited, KindLimited, KindQRCode} {
		l := CodeLimits(k.Path())
		assert.Equal(t, MinWidth, l.MinWidth)
		assert.Equal(t, MaxWidth, l.MaxWidth)
		assert.Equal(t, 1600, l.MaxHeight)
		assert.Contains(t, l.Says, path.Base(k.Path())+" returns 280 to 1280 px wide")
	}
	assert.Contains(t, CodeLimits("/cgi-bin/wxaapp/createwxaqrcode").Says, "createwxaqrcode returns 280 to 1280 px")
}
