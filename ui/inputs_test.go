package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/wechat"
)

// lineWith is the first line of the view holding s.
func lineWith(t *testing.T, m *Model, s string) string {
	t.Helper()
	for line := range strings.SplitSeq(viewOf(m), "\n") {
		if strings.Contains(line, s) {
			return line
		}
	}
	t.Fatalf("no line holds %q:\n%s", s, viewOf(m))
	return ""
}

// A scene too long for the field scrolls: the end being typed and the
// counter stay on screen at both sizes.
func TestTextFieldScrollsWithCursor(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		m := sized(t, New(testDeps(t, newFake())), size[0], size[1])
		long := strings.Repeat("a", 29) + "wxyz" // 33 characters
		m = typeScene(t, m, long)
		line := lineWith(t, m, "33/32")
		assert.Contains(t, line, "wxyz", "the end typed is in view")
		assert.NotContains(t, line, "…", "a focused field scrolls instead of being cut")
		m = press(t, m, "tab") // blurred: the start, cut
		assert.Contains(t, lineWith(t, m, "33/32"), "aaaa")
	}
}

func TestPasteTrimsLineEnds(t *testing.T) {
	for _, in := range []string{"id=42\n", "id=42\r\n", "id=42\r\n\r\n"} {
		m := newTest(t, newFake())
		m = focusField(t, m, "scene")
		m = send(t, m, tea.PasteMsg{Content: in})
		assert.Equal(t, "id=42", m.form.params().Scene, "%q", in)
	}
	// The save prompt too.
	m := newTest(t, newFake())
	m = press(t, typeScene(t, m, "id=1"), "ctrl+g", "ctrl+s")
	m.prompt.input.SetValue("")
	m = send(t, m, tea.PasteMsg{Content: "x.png\n"})
	assert.Equal(t, "x.png", m.prompt.input.Value())
}

func TestChoiceTakesTypedValues(t *testing.T) {
	cases := []struct {
		field, typed, want string
	}{
		{"env_version", "t", "trial"},
		{"env_version", "dev", "develop"},
		{"env_version", "r", "release"},
		{"env_version", "def", ""},
		{"env_version", "rt", "trial"}, // no option starts "rt": start again from t
		{"env_version", "x", ""},       // nothing matches: unchanged
		{"kind", "q", "qrcode"},
		{"kind", "l", "limited"},
		{"kind", "lu", "unlimited"},
	}
	for _, c := range cases {
		t.Run(c.field+" "+c.typed, func(t *testing.T) {
			m := focusField(t, newTest(t, newFake()), c.field)
			m = typeText(t, m, c.typed)
			assert.Equal(t, c.want, m.form.focused().Value())
		})
	}
	m := focusField(t, newTest(t, newFake()), "env_version")
	assert.Contains(t, lineWith(t, m, "env"), "←/→", "a focused choice says how it changes")
}

// "red" is not hexadecimal, and the message says so about what was typed.
func TestLineColorMessageQuotesWhatWasTyped(t *testing.T) {
	m := focusField(t, newTest(t, newFake()), "line_color")
	m = typeText(t, m, "red")
	require.NotEmpty(t, m.form.problems["line_color"])
	assert.Contains(t, m.form.problems["line_color"][0], `"red" is not hexadecimal`)
	v := viewOf(m)
	assert.Contains(t, v, `"red" is not`)
	assert.NotContains(t, v, "rreedd")
	assert.Equal(t, "red", m.form.lineColor.Value())
}

func TestEscClosesHelpAndPrompts(t *testing.T) {
	m := newTest(t, newFake())
	m = press(t, m, "?")
	require.True(t, m.help.ShowAll)
	m = press(t, m, "esc")
	assert.False(t, m.help.ShowAll)

	m = press(t, typeScene(t, m, "id=1"), "ctrl+g", "ctrl+s")
	require.Equal(t, modeSaveName, m.prompt.mode)
	m = press(t, m, "esc")
	assert.Equal(t, modeEdit, m.prompt.mode)

	m = press(t, m, "right") // a limited endpoint asks first
	m.form.setParams(wechat.Params{Kind: wechat.KindLimited, Path: "pages/index/index"})
	m = press(t, m, "ctrl+g")
	require.Equal(t, modeConfirmLimited, m.prompt.mode)
	m = press(t, m, "esc")
	assert.Equal(t, modeEdit, m.prompt.mode)
}

// The full help lists every key the designer has, working now or not.
func TestFullHelpListsEveryKey(t *testing.T) {
	m := sized(t, New(testDeps(t, newFake())), 80, 24)
	m = press(t, m, "?")
	v := viewOf(m)
	for _, k := range []string{"alt+1…", "alt+m", "pgup", "pgdn", "←", "→/space", "space/←/→", "↑", "↓", "alt+b",
		"alt+c", "alt+l", "alt+x", "alt+y", "enter", "esc/?", "ctrl+c"} {
		assert.Contains(t, v, k)
	}
	assert.NotContains(t, v, "…\n", "no column is cut at 80 cells")
}

// Keys are matched through the KeyMap only: no handler compares a key's
// text with a literal.
func TestNoKeyMatchedAsRawString(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	raw := regexp.MustCompile(`\.String\(\) == "`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.False(t, raw.Match(src), "%s matches a key as a raw string", f)
	}
}

// The footer offers as many fix keys as there are fixes.
func TestFooterCountsFixes(t *testing.T) {
	d := testDeps(t, newFake())
	d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/new/new", Scene: "id=7"}
	m := sized(t, New(d), 120, 40)
	m = press(t, m, "ctrl+g")
	require.Len(t, m.diag.Actions, 3)
	assert.Contains(t, viewOf(m), "alt+1…3 apply fix")

	d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/new/new", Scene: "id=7", EnvVersion: "develop"}
	m = sized(t, New(d), 120, 40)
	m = press(t, m, "ctrl+g")
	require.Len(t, m.diag.Actions, 1)
	v := viewOf(m)
	assert.Contains(t, v, "alt+1 apply the fix")
	assert.NotContains(t, v, "alt+1…")
}

// 41030 on the released version: the fix that turns check_path off also
// comes with env_version trial or develop, where the unreleased page is.
func TestFix41030OffersTrialAndDevelop(t *testing.T) {
	d := testDeps(t, newFake())
	d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/new/new", Scene: "id=7"}
	m := sized(t, New(d), 120, 40)
	m = press(t, m, "ctrl+g")
	v := viewOf(m)
	assert.Contains(t, v, "release the page before it is scanned")
	assert.Contains(t, v, "alt+2  send check_path:false, env_version trial")
	m = press(t, m, "alt+2")
	require.NotNil(t, m.shown, m.status.text)
	assert.Equal(t, "trial", m.shown.params.EnvVersion)
	assert.False(t, m.form.checkPath.On())
	assert.Equal(t, "trial", m.form.env.Value())
}

// Switching endpoints keeps what was typed: page and scene become path,
// and path becomes page and scene again.
func TestKindSwitchCarriesPageSceneAndPath(t *testing.T) {
	d := testDeps(t, newFake())
	d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/detail/detail", Scene: "id=42"}
	m := sized(t, New(d), 120, 40)
	m = press(t, m, "right")
	require.Equal(t, wechat.KindLimited, m.form.kindValue())
	assert.Equal(t, "pages/detail/detail?id=42", m.form.params().Path)
	m = press(t, m, "right") // qrcode shares path
	assert.Equal(t, "pages/detail/detail?id=42", m.form.params().Path)

	m = focusField(t, m, "path")
	m = typeText(t, m, "&from=qr")
	m = focusField(t, m, "kind")
	m = press(t, m, "right") // trial shares path too
	assert.Equal(t, "pages/detail/detail?id=42&from=qr", m.form.params().Path)
	m = press(t, m, "right") // linkqr: its own url, the rest waits
	require.Equal(t, wechat.KindLinkQR, m.form.kindValue())
	m = press(t, m, "right") // back to unlimited
	p := m.form.params()
	assert.Equal(t, wechat.KindUnlimited, p.Kind)
	assert.Equal(t, "pages/detail/detail", p.Page)
	assert.Equal(t, "id=42&from=qr", p.Scene)
}
