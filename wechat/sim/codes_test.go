package sim

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Item 2: the error envelope.
func TestEnvelope(t *testing.T) {
	s := newSim(t)
	a := do(t, s, "POST", "/wxa/getwxacodeunlimit", `{"scene":"a"}`)
	require.Equal(t, 200, a.status)
	assert.Equal(t, "application/json; encoding=utf-8", a.header.Get("Content-Type"))
	assert.Equal(t, strconv.Itoa(len(a.body)), a.header.Get("Content-Length"))
	m := ridRE.FindStringSubmatch(a.errmsg)
	require.NotNil(t, m, a.errmsg)
	assert.Equal(t, "access_token missing", m[1])
	assert.Equal(t, "663b1af7", m[2], "first rid group is the sim clock's Unix time")
	assert.Regexp(t, `^\{"errcode":41001,"errmsg":"access_token missing rid: [0-9a-f-]{26}"\}$`, string(a.body))

	s.Clock().Advance(16 * time.Second)
	m = ridRE.FindStringSubmatch(do(t, s, "GET", "/x", "").errmsg)
	require.NotNil(t, m)
	assert.Equal(t, "663b1b07", m[2])

	other := newSim(t, func(c *Config) { c.ErrorContentType = "application/json; charset=UTF-8" })
	assert.Equal(t, "application/json; charset=UTF-8", do(t, other, "GET", "/x", "").header.Get("Content-Type"))
}

// Item 3: the request Content-Type is ignored.
func TestContentTypeIgnored(t *testing.T) {
	s := newSim(t)
	tok := classic(t, s)
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-8", "image/png"} {
		req := httptest.NewRequest("POST", pathB+"?access_token="+tok, strings.NewReader(`{"scene":"id=1"}`))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		assert.Equal(t, "image/jpeg", rec.Header().Get("Content-Type"), ct)
	}
}

// Items 18, 21, 22: success headers and image formats.
func TestSuccessHeadersAndImages(t *testing.T) {
	s := newSim(t)
	tok := classic(t, s)
	tests := []struct {
		name, path, body string
		format           string
		width            int
		disposition      string
		numUsed          string
	}{
		{"B default", pathB, `{"scene":"id=1&x=2"}`, "jpeg", 430, `attachment; filename="_id=1&x=2"`, ""},
		{"B hyaline is PNG", pathB, `{"scene":"a","is_hyaline":true}`, "png", 430, `attachment; filename="_a"`, ""},
		{"B narrow clamped", pathB, `{"scene":"a","width":100}`, "jpeg", 280, "", ""},
		{"B wide clamped", pathB, `{"scene":"a","width":5000}`, "jpeg", 1280, "", ""},
		{"B fractional width", pathB, `{"scene":"a","width":500.7}`, "jpeg", 500, "", ""},
		{"A", pathA, `{"path":"pages/index/index?id=1","width":300}`, "jpeg", 300, "", "1"},
		{"A hyaline", pathA, `{"path":"pages/index/index?id=2","is_hyaline":true,"auto_color":true}`, "png", 430, "", "2"},
		{"A repeat is free", pathA, `{"path":"pages/index/index?id=1","width":300}`, "jpeg", 300, "", "2"},
		{"C square", pathC, `{"path":"pages/index/index?id=1","width":1280}`, "jpeg", 1280, "", "3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := code(t, s, tc.path, tok, tc.body)
			requireImage(t, a)
			assert.Equal(t, "no-cache, must-revalidate", a.header.Get("Cache-Control"))
			assert.Equal(t, strconv.Itoa(len(a.body)), a.header.Get("Content-Length"))
			if tc.disposition != "" {
				assert.Equal(t, tc.disposition, a.header.Get("Content-Disposition"))
			}
			assert.Equal(t, tc.numUsed, a.header.Get("Num-Used"))
			img, format, err := image.Decode(bytes.NewReader(a.body))
			require.NoError(t, err)
			assert.Equal(t, tc.format, format)
			assert.Equal(t, image.Rect(0, 0, tc.width, tc.width), img.Bounds())
			if format == "png" {
				_, _, _, alpha := img.At(0, 0).RGBA()
				assert.Zero(t, alpha, "hyaline corners are transparent")
			}
		})
	}
}

// Item 17: 5000 calls a minute on getwxacodeunlimit (failed calls count too).
func TestUnlimitedPerMinute(t *testing.T) {
	s := newSim(t, func(c *Config) { c.Limits.UnlimitedPerMinute = 3 })
	s.Clock().Set(time.Unix(60*1000000, 0)) // start of a minute
	tok := classic(t, s)
	requireImage(t, code(t, s, pathB, tok, `{"scene":"a"}`))
	requireErr(t, code(t, s, pathB, tok, `{"scene":""}`), 40169)
	requireImage(t, code(t, s, pathB, tok, `{"scene":"a"}`))
	a := code(t, s, pathB, tok, `{"scene":"a"}`)
	requireErr(t, a, 45009)
	assert.Contains(t, a.errmsg, "reach max api daily quota limit")
	// Parameter errors still come first.
	requireErr(t, code(t, s, pathB, tok, `{"scene":"a b"}`), 40129)
	// A and C are not throttled by B's minute.
	requireImage(t, code(t, s, pathA, tok, `{"path":"a"}`))
	s.Clock().Advance(59 * time.Second)
	requireErr(t, code(t, s, pathB, tok, `{"scene":"a"}`), 45009)
	s.Clock().Advance(time.Second)
	requireImage(t, code(t, s, pathB, tok, `{"scene":"a"}`))
}

// Item 20: the 100,000 lifetime pool shared by A and C, repeats free, 10,000 new a day.
func TestPool(t *testing.T) {
	s := newSim(t, func(c *Config) { c.Limits.PoolLifetime = 3; c.Limits.PoolNewPerDay = 2 })
	tok := classic(t, s)
	numUsed := func(a answer) string { requireImage(t, a); return a.header.Get("Num-Used") }
	assert.Equal(t, "1", numUsed(code(t, s, pathA, tok, `{"path":"p?id=1"}`)))
	assert.Equal(t, "1", numUsed(code(t, s, pathA, tok, `{"path":"p?id=1"}`)))
	assert.Equal(t, "2", numUsed(code(t, s, pathC, tok, `{"path":"p?id=2"}`)))
	a := code(t, s, pathA, tok, `{"path":"p?id=3"}`)
	requireErr(t, a, 45009) // 3rd new code today
	assert.Equal(t, "2", numUsed(code(t, s, pathC, tok, `{"path":"p?id=2"}`)), "repeats still served")
	s.Clock().Advance(24 * time.Hour)
	tok = classic(t, s)
	assert.Equal(t, "3", numUsed(code(t, s, pathA, tok, `{"path":"p?id=3"}`)))
	a = code(t, s, pathA, tok, `{"path":"p?id=4"}`)
	requireErr(t, a, 45029)
	assert.Contains(t, a.errmsg, "qrcode count out of limit")
	assert.Equal(t, "3", numUsed(code(t, s, pathA, tok, `{"path":"p?id=1"}`)))
	// Unlimited codes never touch the pool.
	requireImage(t, code(t, s, pathB, tok, `{"scene":"x"}`))
	assert.Empty(t, code(t, s, pathB, tok, `{"scene":"x"}`).header.Get("Num-Used"))
}

// Item 16: the 60,000-page cap on unreleased pages with check_path false.
func TestUncheckedPageCap(t *testing.T) {
	s := newSim(t, func(c *Config) { c.Limits.UncheckedPages = 2 })
	tok := classic(t, s)
	req := func(page string) answer {
		return code(t, s, pathB, tok, fmt.Sprintf(`{"scene":"a","page":%q,"check_path":false}`, page))
	}
	requireImage(t, req("pages/n1/n1"))
	requireImage(t, req("pages/n2/n2"))
	requireImage(t, req("pages/n1/n1"))
	requireImage(t, req("pages/index/index")) // released pages do not count
	requireErr(t, req("pages/n3/n3"), 41030)
}

// Colours: auto_color, low-contrast warning, C ignores colours.
func TestColours(t *testing.T) {
	s := newSim(t)
	tok := classic(t, s)
	a := code(t, s, pathB, tok, `{"scene":"a","line_color":{"r":230,"g":230,"b":0}}`)
	requireImage(t, a)
	assert.Contains(t, a.header.Get(WarningHeader), "low contrast")
	a = code(t, s, pathB, tok, `{"scene":"a","line_color":{"r":0,"g":0,"b":128}}`)
	assert.Empty(t, a.header.Get(WarningHeader))
	a = code(t, s, pathB, tok, `{"scene":"a","auto_color":true,"line_color":{"r":255,"g":255,"b":255}}`)
	assert.Empty(t, a.header.Get(WarningHeader), "auto_color overrides line_color with a scannable theme colour")
	assert.GreaterOrEqual(t, contrast(rgbOf(s.auto), white), 4.5)
	a = code(t, s, pathC, tok, `{"path":"a","line_color":{"r":255,"g":255,"b":255}}`)
	assert.Empty(t, a.header.Get(WarningHeader))
}

// Dense content at a small width is flagged rather than silently unreadable.
func TestDenseWarning(t *testing.T) {
	s := newSim(t)
	tok := classic(t, s)
	a := code(t, s, pathA, tok, `{"path":"`+strings.Repeat("p", 1024)+`","width":280}`)
	requireImage(t, a)
	assert.Regexp(t, regexp.MustCompile(`modules are [0-9.]+ px`), a.header.Get(WarningHeader))
}
