package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/wechat"
	"wxacode/wechat/sim"
)

// The link QR (普通链接二维码) endpoint: drawn here, no WeChat call.

// The url field is checked by wechat.LinkQR's validator at every key, and
// the EC level and width are checked with it.
func TestLinkQRValidatesAsYouType(t *testing.T) {
	m := sized(t, New(testDeps(t, newFake())), 120, 40)
	m = chooseLinkQR(t, m)
	assert.NotEmpty(t, m.form.problems["url"], "empty: a link is needed")

	m = typeText(t, m, "ftp://example.com/a")
	assert.Contains(t, strings.Join(m.form.problems["url"], " "), `scheme "ftp"`)
	assert.Contains(t, viewOf(m), `✗ url (character 1): scheme "ftp": link`)

	m.form.url.SetValue("")
	m = typeText(t, m, "https://example.com/shop?id=42")
	assert.Empty(t, m.form.problems, "a valid link")
	assert.True(t, m.form.valid())

	m = typeText(t, m, " x")
	assert.Contains(t, strings.Join(m.form.problems["url"], " "), "a space is not allowed in a URL")
	m = press(t, m, "backspace", "backspace")
	assert.Empty(t, m.form.problems)

	// The width is the link QR's range (21–4096), not WeChat's (280–1280).
	m = focusField(t, m, "width")
	m = typeText(t, m, "100")
	assert.Empty(t, m.form.problems, "100 px is a fine link QR")
	m = typeText(t, m, "00")
	assert.Contains(t, strings.Join(m.form.problems["width"], " "), "outside 21–4096")
	m.form.width.SetValue("")
	m.form.validate()

	// A link as long as level M holds is too long at H.
	m.form.url.SetValue("https://example.com/?" + strings.Repeat("a", wechat.LinkQRCapacity(wechat.ECMedium)-21))
	m.form.validate()
	assert.Empty(t, m.form.problems)
	m = focusField(t, m, "ec")
	m = typeText(t, m, "H")
	assert.Equal(t, wechat.ECHigh, m.form.params().EC)
	assert.Contains(t, strings.Join(m.form.problems["url"], " "), "more than the 1273 a QR code holds at level H")

	// The line colour is checked for contrast, as wxacode linkqr does.
	m = typeText(t, focusField(t, m, "ec"), "L")
	m = typeText(t, focusField(t, m, "line_color"), "#eeeeee")
	assert.Contains(t, strings.Join(m.form.problems["line_color"], " "), "cameras may not read it")
}

// Choosing link QR, typing a link and pressing ctrl+g draws the code here:
// the generator is never called, the half blocks are module-exact, and the
// saved file has a sidecar of kind linkqr with no endpoint and what was
// drawn as its request.
func TestFlowLinkQR(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := newFake()
		d := testDeps(t, fake)
		d.OnSim, d.AutoRegenerate = false, false // as on WeChat: nothing is sent as one types
		const link = "https://example.com/shop?id=42&from=qr"
		tm := startFlow(t, d)
		keys(tm, "right", "right", "right", "right") // unlimited → limited → qrcode → trial → linkqr
		waitScreen(t, tm, "普通链接二维码")
		keys(tm, "tab") // url
		tm.Type(link)
		waitScreen(t, tm, "from=qr")
		keys(tm, "alt+s")
		waitScreen(t, tm, "query.q      https%3A%2F%2Fexample.com%2Fshop%3Fid%3D42%26from%3Dqr")
		keys(tm, "alt+r")
		waitScreen(t, tm, "No WeChat call")
		keys(tm, "alt+p", "ctrl+g")
		waitScreen(t, tm, "PNG 430×430")
		waitScreen(t, tm, "drawn here, no WeChat call")
		waitScreen(t, tm, "█▀▀▀▀▀█")
		out := tm.model().place.out
		assert.True(t, out.Scan.Grid, "a QR: its module grid is found")
		assert.True(t, out.Scan.Exact, "half blocks module-exact at 120×40")
		assert.Empty(t, out.ScanProblem())

		// Named from the link: host and path, then the query.
		name := filepath.Join(d.SaveDir, "example.com-shop_id=42_from=qr_430.png")
		saveOffered(t, tm, name)
		fm := tm.final(t)
		assert.Zero(t, fake.count(), "no WeChat call")
		assert.Zero(t, fm.calls.count(), "nothing counted against the rate")

		data, err := os.ReadFile(name)
		require.NoError(t, err)
		sc := readSidecar(t, name)
		assert.Equal(t, wechat.KindLinkQR, sc.Kind)
		assert.Empty(t, sc.Endpoint)
		assert.JSONEq(t, `{"url":"`+link+`","ec":"M"}`, string(sc.Request))
		assert.Equal(t, wechat.FormatPNG, sc.Format)
		assert.Equal(t, 430, sc.Width)
		assert.Equal(t, len(data), sc.Bytes)
		assert.Zero(t, sc.NumUsed)

		assert.Equal(t, link, testenv.Zbar(t, name, false))
	})
}

// The trial version's QR (get_qrcode) in the designer: typing t picks it,
// path is its one field, ctrl+g sends the GET through the same Generator
// (here the in-process simulator), the Request pane shows the GET, and the
// code saves with a sidecar naming get_qrcode.
func TestFlowTrialQR(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := simDeps(t)
		d.AutoRegenerate = false
		const path = "pages/index/index?action=1&b=2"
		tm := startFlow(t, d)
		keys(tm, "t")
		waitScreen(t, tm, "‹ trial ›")
		waitScreen(t, tm, "not used by trial: page, scene, env,")
		keys(tm, "tab") // path, carried from page
		waitScreen(t, tm, "path       pages/index/index")
		tm.Type("?action=1&b=2")
		waitScreen(t, tm, "b=2")
		keys(tm, "alt+r")
		waitScreen(t, tm, "GET "+d.BaseURL+"/wxa/get_qrcode?access_token=REDACTED&path=pages%2F")
		waitScreen(t, tm, "index%2Findex%3Faction%3D1%26b%3D2") // wrapped: the path encoded once
		waitScreen(t, tm, "no body: a GET")
		keys(tm, "alt+s")
		waitScreen(t, tm, "opens the trial version")
		keys(tm, "alt+p", "ctrl+g")
		waitScreen(t, tm, "JPEG 430×430")
		waitScreen(t, tm, "History(1)")
		// The drawing, a command of its own after the code's arrival, is in too.
		out := tm.model().place.out
		assert.True(t, out.Scan.Grid && out.Scan.Exact, "a QR, module-exact in half blocks")

		name := filepath.Join(d.SaveDir, "pages-index-index_action=1_b=2_430.jpg")
		saveOffered(t, tm, name)
		fm := tm.final(t)
		assert.Equal(t, wechat.KindTrial, fm.shown.params.Kind)
		assert.Equal(t, 1, fm.calls.count())

		sc := readSidecar(t, name)
		assert.Equal(t, wechat.KindTrial, sc.Kind)
		assert.Equal(t, "/wxa/get_qrcode", sc.Endpoint)
		assert.JSONEq(t, `{"path":"`+path+`"}`, string(sc.Request))
		assert.Equal(t, sim.TrialURL(sim.ExamplePages[0], path), testenv.Zbar(t, name, false))
	})
}

// A first request of kind linkqr (wxacode --url URL --ec H) opens the form
// on the link QR kind with that link and level, valid.
func TestStartsOnLinkQR(t *testing.T) {
	const link = "https://example.com/shop?id=42"
	d := testDeps(t, newFake())
	d.Initial = wechat.Params{Kind: wechat.KindLinkQR, URL: link, EC: wechat.ECHigh}
	m := sized(t, New(d), 120, 40)
	assert.Equal(t, wechat.KindLinkQR, m.form.kindValue())
	assert.Equal(t, link, m.form.url.Value())
	assert.Equal(t, wechat.ECHigh, m.form.params().EC)
	assert.Equal(t, link, m.form.params().URL)
	assert.True(t, m.form.valid(), "%v", m.form.problems)
	v := viewOf(m)
	for _, w := range []string{"普通链接二维码", link, "H 30%"} {
		assert.Contains(t, v, w)
	}
}
