package ui

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/codefile"
	"wxacode/preview"
	"wxacode/wechat"
)

func newTest(t *testing.T, g Generator) *Model {
	t.Helper()
	return sized(t, New(testDeps(t, g)), 120, 40)
}

// focusField tabs until the field with id has focus.
func focusField(t *testing.T, m *Model, id string) *Model {
	t.Helper()
	for range fieldCount {
		if m.form.focused().ID() == id {
			return m
		}
		m = press(t, m, "tab")
	}
	t.Fatalf("field %s never got focus", id)
	return m
}

func TestValidationAsYouType(t *testing.T) {
	m := newTest(t, newFake())
	m = typeScene(t, m, "a b")
	v := viewOf(m)
	assert.Contains(t, v, "scene (character 2): a space is not")
	assert.Contains(t, v, "3/32")
	m = press(t, m, "backspace", "backspace")
	assert.NotContains(t, viewOf(m), "not allowed")

	m = focusField(t, m, "width")
	m = typeText(t, m, "99")
	assert.Contains(t, viewOf(m), "width: 99 is outside 280–1280")
	m = typeText(t, m, "x")
	assert.Contains(t, viewOf(m), `"99x" is not a whole number`)
}

func TestFieldsHiddenByEndpoint(t *testing.T) {
	m := newTest(t, newFake())
	require.Equal(t, "kind", m.form.focused().ID())
	v := viewOf(m)
	assert.Contains(t, v, "scene")
	assert.Contains(t, v, "not used by unlimited: path")
	m = press(t, m, "right", "right") // qrcode
	assert.Equal(t, wechat.KindQRCode, m.form.kindValue())
	v = viewOf(m)
	assert.Contains(t, v, "not used by qrcode: page, scene, env,")
	// Tab only visits visible fields.
	seen := map[string]bool{}
	for range 4 {
		m = press(t, m, "tab")
		seen[m.form.focused().ID()] = true
	}
	assert.Equal(t, map[string]bool{"kind": true, "path": true, "width": true}, seen)
}

func TestGenerateShowsPreviewAndRecordsHistory(t *testing.T) {
	fake := newFake()
	m := newTest(t, fake)
	m = typeScene(t, m, "id=42")
	m = press(t, m, "ctrl+g")
	require.NotNil(t, m.shown, "status: %s", m.status.text)
	assert.Equal(t, preview.ModeBlocks, m.place.out.Mode)
	v := viewOf(m)
	assert.Contains(t, v, "PNG 430×430")
	assert.Contains(t, v, "Num-Used –")
	assert.Contains(t, v, "▀")
	require.Len(t, m.hist, 1)
	assert.Equal(t, "id=42", m.hist[0].Params.Scene)
	// Persisted: a new model in the same state dir loads it.
	d := m.deps
	m2 := New(d)
	msg := loadHistoryCmd(m2.historyDir())()
	m2 = send(t, m2, msg)
	require.Len(t, m2.hist, 1)
	assert.Equal(t, m.hist[0].SHA256, m2.hist[0].SHA256)
	assert.NotEmpty(t, m2.hist[0].Data)
}

func TestStaleResultIgnored(t *testing.T) {
	m := newTest(t, newFake())
	m.gen = 5
	code, err := newFake().Get(t.Context(), wechat.Params{Kind: wechat.KindUnlimited, Scene: "x"}.Request())
	require.NoError(t, err)
	m = send(t, m, codeMsg{gen: 4, code: code})
	assert.Nil(t, m.shown, "an answer for an older generation must not show")
	m = send(t, m, codeMsg{gen: 5, code: code, params: wechat.Params{Kind: wechat.KindUnlimited, Scene: "x"}})
	assert.NotNil(t, m.shown)
}

func TestNewGenerateCancelsInFlight(t *testing.T) {
	m := newTest(t, newFake())
	m = typeScene(t, m, "a")
	tm, _ := m.Update(keypress("ctrl+g"))
	m = tm.(*Model)
	require.NotNil(t, m.cancel)
	first := m.cancel
	tm, _ = m.Update(keypress("ctrl+g"))
	m = tm.(*Model)
	assert.Equal(t, 2, m.gen)
	_ = first // the first context is cancelled: checked through the fake below
	fake := newFake()
	fake.hang = true
	m.deps.Generator = fake
	cmd := m.startGenerate(m.form.params())
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	m.cancel()
	msg := (<-done).(codeMsg)
	assert.ErrorIs(t, msg.err, context.Canceled)
	m = send(t, m, msg)
	assert.Nil(t, m.lastErr, "a cancelled request is not an error to show")
}

func TestLimitedNeedsConfirmation(t *testing.T) {
	fake := newFake()
	m := newTest(t, fake)
	m = press(t, m, "right") // limited: the page is carried into path
	m = focusField(t, m, "path")
	require.Equal(t, "pages/index/index", m.form.params().Path)
	m = typeText(t, m, "?id=1")
	m = press(t, m, "ctrl+g")
	assert.Equal(t, modeConfirmLimited, m.prompt.mode)
	assert.Contains(t, viewOf(m), "100,000 lifetime pool")
	assert.Equal(t, 0, fake.count())
	m = press(t, m, "n")
	assert.Equal(t, modeEdit, m.prompt.mode)
	assert.Equal(t, 0, fake.count())
	assert.Equal(t, "pages/index/index?id=1", m.form.params().Path, "n must not be typed into the form")
	m = press(t, m, "ctrl+g", "y")
	assert.Equal(t, 1, fake.count())
	assert.NotNil(t, m.shown)
}

func TestHintAndOneKeyFix(t *testing.T) {
	fake := newFake()
	m := newTest(t, fake)
	m = focusField(t, m, "page")
	m = press(t, m, "ctrl+a")
	for range 20 {
		m = press(t, m, "ctrl+k")
	}
	m = typeText(t, m, "pages/new/new")
	m = typeScene(t, m, "id=7")
	m = press(t, m, "ctrl+g")
	require.Equal(t, paneHint, m.pane)
	v := viewOf(m)
	assert.Contains(t, v, "errcode 41030")
	assert.Contains(t, v, "invalid page")
	assert.Contains(t, v, "2024-05-08") // time decoded from the rid
	assert.Contains(t, v, "alt+1  send check_path:false")
	assert.Nil(t, m.shown)
	assert.Equal(t, "id=7", m.form.params().Scene, "the form keeps what was typed")

	m = press(t, m, "alt+1")
	require.NotNil(t, m.shown, "the fix re-runs the request: %s", m.status.text)
	assert.Equal(t, 2, fake.count())
	assert.Equal(t, panePreview, m.pane)
	assert.False(t, m.form.checkPath.On())
	assert.Equal(t, "id=7", m.form.params().Scene)
}

func TestInvalidFormShowsFixesWithoutCalling(t *testing.T) {
	fake := newFake()
	d := testDeps(t, fake)
	d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "/pages/index/index?id=1"}
	m := sized(t, New(d), 120, 40)
	m = press(t, m, "ctrl+g")
	assert.Equal(t, 0, fake.count())
	assert.Equal(t, paneHint, m.pane)
	v := viewOf(m)
	assert.Contains(t, v, "refused before sending")
	assert.Contains(t, v, "alt+1  move ?id=1 from page into scene (id=1)")
	m = press(t, m, "alt+1") // query-to-scene, which also strips the slash
	p := m.form.params()
	assert.Equal(t, "pages/index/index", p.Page)
	assert.Equal(t, "id=1", p.Scene)
}

// The fit-scene fix comes from troubleshoot.Diagnose, like every other fix.
func TestOverlongSceneOffersTheFitFix(t *testing.T) {
	fake := newFake()
	d := testDeps(t, fake)
	d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "productId=123456&category=shoes&color=red"}
	m := sized(t, New(d), 120, 40)
	m = press(t, m, "ctrl+g")
	assert.Equal(t, 0, fake.count())
	require.Equal(t, paneHint, m.pane)
	assert.Contains(t, viewOf(m), "alt+1  fit the scene into 32 characters: ")
	m = press(t, m, "alt+1")
	p := m.form.params()
	assert.Empty(t, wechat.SceneProblems(p.Scene), "the form now holds a scene that fits: %q", p.Scene)
	assert.Equal(t, "pages/index/index", p.Page)
	require.NotNil(t, m.shown, "the fix re-runs the request: %s", m.status.text)
	assert.Equal(t, 1, fake.count())
}

func TestSaveWritesImageAndSidecar(t *testing.T) {
	m := newTest(t, newFake())
	m = typeScene(t, m, "id=42&from=qr")
	m = press(t, m, "ctrl+g", "ctrl+s")
	require.Equal(t, modeSaveName, m.prompt.mode)
	want := filepath.Join(m.deps.SaveDir, "pages-index-index_id=42_from=qr_430.png")
	assert.Equal(t, want, m.prompt.input.Value())
	m = press(t, m, "enter")
	require.Equal(t, modeEdit, m.prompt.mode, m.status.text)
	assert.Equal(t, "saved "+filepath.Base(want)+" (+ "+filepath.Base(want)+".json) in "+filepath.Dir(want), m.status.text)

	data, err := os.ReadFile(want)
	require.NoError(t, err)
	_, format, err := image.Decode(strings.NewReader(string(data)))
	require.NoError(t, err)
	assert.Equal(t, "png", format)
	sc := readSidecar(t, want)
	assert.Equal(t, codefile.ContentSHA256(data), sc.SHA256)
	assert.Equal(t, len(data), sc.Bytes)
	assert.JSONEq(t, `{"scene":"id=42&from=qr","page":"pages/index/index"}`, string(sc.Request))

	// Again: the file exists, so it asks; n goes back to the prompt, y overwrites.
	m = press(t, m, "ctrl+s", "enter")
	assert.Equal(t, modeConfirmOverwrite, m.prompt.mode)
	assert.Contains(t, viewOf(m), "exists. Overwrite it")
	m = press(t, m, "n")
	assert.Equal(t, modeSaveName, m.prompt.mode)
	m = press(t, m, "enter", "y")
	assert.Equal(t, modeEdit, m.prompt.mode)
	assert.Contains(t, m.status.text, "saved ")
}

func TestCtrlCInterrupts(t *testing.T) {
	m := newTest(t, newFake())
	_, cmd := m.Update(keypress("ctrl+c"))
	require.NotNil(t, cmd)
	assert.IsType(t, tea.InterruptMsg{}, cmd())
}

func TestHelpToggle(t *testing.T) {
	m := newTest(t, newFake())
	assert.False(t, m.help.ShowAll)
	m = press(t, m, "?")
	assert.True(t, m.help.ShowAll)
	assert.Contains(t, viewOf(m), "copy DevTools param")
	// In a text field "?" is a character; f1 still toggles.
	m = focusField(t, m, "scene")
	m = press(t, m, "?")
	assert.Equal(t, "?", m.form.params().Scene)
	m = press(t, m, "f1")
	assert.False(t, m.help.ShowAll)
}

func TestTooSmall(t *testing.T) {
	m := sized(t, New(testDeps(t, newFake())), 60, 15)
	assert.Contains(t, viewOf(m), "needs at least 76×20 cells; this terminal is\n60×15")
}

func TestAutoRegenerateOnSim(t *testing.T) {
	fake := newFake()
	d := testDeps(t, fake)
	d.AutoRegenerate = true
	m := sized(t, New(d), 120, 40)
	m = typeScene(t, m, "k=v")
	assert.GreaterOrEqual(t, fake.count(), 1)
	require.NotNil(t, m.shown)
	assert.Equal(t, "k=v", m.shown.params.Scene)
}

func TestPanes(t *testing.T) {
	m := newTest(t, newFake())
	m = typeScene(t, m, "a=1&b=2")
	m = press(t, m, "alt+s")
	v := viewOf(m)
	assert.Contains(t, v, "query.scene  a%3D1%26b%3D2")
	assert.Contains(t, v, "a = 1")
	assert.Contains(t, v, "scene=a%3D1%26b%3D2")
	m = press(t, m, "alt+r")
	v = viewOf(m)
	assert.Contains(t, v, "POST https://api.weixin.qq.com/wxa/getwxacodeunlimit?access_token=REDACT")
	assert.Contains(t, v, `{"scene":"a=1&b=2","page":"pages/index/index"}`)
	assert.Contains(t, v, "$ACCESS_TOKEN")
	assert.NotContains(t, v, "\\u0026")

	m = press(t, m, "ctrl+g", "alt+y")
	assert.Contains(t, viewOf(m), "unlimited pages/index/index a=1&b=2")
	m = press(t, m, "alt+p")
	assert.Equal(t, panePreview, m.pane)
}

func TestFocusedFieldStaysInViewWithManyProblems(t *testing.T) {
	d := testDeps(t, newFake())
	d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "/a?b scancode_time", Scene: "a b c d e f g h i j k l m n o p q r s t", Width: 9}
	m := sized(t, New(d), 80, 20)
	m = focusField(t, m, "is_hyaline")
	assert.Contains(t, viewOf(m), "› is_hyaline")
}

func TestHintScrolls(t *testing.T) {
	d := testDeps(t, newFake())
	d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/new/new", Scene: "id=7"}
	m := sized(t, New(d), 80, 24)
	m = press(t, m, "ctrl+g")
	assert.Contains(t, viewOf(m), "pgdn for more")
	assert.NotContains(t, viewOf(m), "usual causes")
	m = send(t, m, tea.KeyPressMsg{Code: tea.KeyPgDown})
	assert.Contains(t, viewOf(m), "usual causes")
	for range 4 {
		m = send(t, m, tea.KeyPressMsg{Code: tea.KeyPgDown})
	}
	assert.Contains(t, viewOf(m), "usual fixes", "the hint table's fixes close the pane, as in wxacode hint")
	assert.Contains(t, viewOf(m), "check_path:false")
	m = send(t, m, tea.KeyPressMsg{Code: tea.KeyPgUp})
	for range 4 {
		m = send(t, m, tea.KeyPressMsg{Code: tea.KeyPgUp})
	}
	assert.Contains(t, viewOf(m), "errcode 41030")
}
