package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/wechattest"
	"wxacode/wechat"
	"wxacode/wechat/sim"
)

// A 503 gateway page from the simulator is its title, shown once (in the
// Hint pane), with no escaped CR LF; the status line says HTTP 503.
func TestGatewayPageShownOnce(t *testing.T) {
	env := wechattest.New(t)
	d := testDeps(t, env.NewClient(wechat.WithRetry(1, 0)))
	d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "a"}
	env.Sim.Inject(sim.Fault{Kind: sim.FaultUnavailable})
	m := sized(t, New(d), 120, 40)
	m = press(t, m, "ctrl+g")
	require.Equal(t, paneHint, m.pane)
	v := viewOf(m)
	assert.Equal(t, 1, strings.Count(v, "503 Service Temporarily Unavailable"), v)
	assert.Contains(t, m.lastErr.Error(), `(HTML page "503 Service Temporarily Unavailable")`)
	assert.NotContains(t, v, `\r\n`)
	assert.NotContains(t, v, "<title>")
	assert.Contains(t, v, "✗ HTTP 503 Service Unavailable (alt+h for the hint)")
}

func TestStatusLine(t *testing.T) {
	s := NewStyles(true)
	facts := []statusPart{{"SIMULATOR wxsim0000000000000", 2}, {"token stable_token, expires 21:30", 0}, {"0/min", 1}, {"pool 0/100000", 3}}
	long := "not saved: cannot create a file in the folder /srv/codes (permission denied): choose a folder you can write to"
	for _, tc := range []struct {
		name  string
		width int
		msg   string
		l     level
		want  string
	}{
		{"no message: every fact", 120, "", levelInfo,
			"SIMULATOR wxsim0000000000000 · token stable_token, expires 21:30 · 0/min · pool 0/100000"},
		{"a message that fits with all", 120, "copied the scene (OSC 52)", levelOK,
			"✓ copied the scene (OSC 52)  SIMULATOR wxsim0000000000000 · token stable_token, expires 21:30 · 0/min · pool 0/100000"},
		{"the token goes first, then the rate", 80, "applied: send check_path:false", levelOK,
			"✓ applied: send check_path:false  SIMULATOR wxsim0000000000000 · pool 0/100000"},
		{"then the target", 80, "errcode 41030: invalid page (alt+h for the hint)", levelErr,
			"✗ errcode 41030: invalid page (alt+h for the hint)  pool 0/100000"},
		{"a long message is cut at its end, the pool stays", 80, long, levelErr,
			"✗ not saved: cannot create a file in the folder /srv/codes (perm…  pool 0/100000"},
		{"narrow: the pool still fits", 40, long, levelErr,
			"✗ not saved: cannot crea…  pool 0/100000"},
		{"narrower: the message takes the line", 36, long, levelErr,
			"✗ not saved: cannot create a file i…"},
		{"warn", 80, "config: key x is deprecated", levelWarn,
			"! config: key x is deprecated  SIMULATOR wxsim0000000000000 · pool 0/100000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ansi.Strip(fitStatus(s, tc.width, tc.msg, tc.l, facts))
			assert.Equal(t, tc.want, got)
			assert.LessOrEqual(t, ansi.StringWidth(got), tc.width)
		})
	}
}

// Messages about the form go when the form changes; others stay until they expire.
func TestStatusClearsWhenItNoLongerApplies(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, m *Model) *Model
		msg   string
		gone  bool
	}{
		{"an applied fix, then qrcode", func(t *testing.T, m *Model) *Model {
			m.form.setParams(wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/new/new", Scene: "id=7"})
			m = press(t, m, "ctrl+g")
			m = press(t, m, "alt+1") // check_path off, generated
			require.Contains(t, m.status.text, "applied: ")
			return press(t, focusField(t, m, "kind"), "right", "right") // → qrcode
		}, "applied: ", true},
		{"not sent, then typing", func(t *testing.T, m *Model) *Model {
			m.form.setParams(wechat.Params{Kind: wechat.KindUnlimited, Scene: "a b"})
			m = press(t, m, "ctrl+g")
			require.Contains(t, m.status.text, "not sent")
			return typeText(t, focusField(t, m, "scene"), "c")
		}, "not sent", true},
		{"an errcode, then typing", func(t *testing.T, m *Model) *Model {
			m.form.setParams(wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/new/new", Scene: "id=7"})
			m = press(t, m, "ctrl+g")
			require.Contains(t, m.status.text, "errcode 41030")
			return typeText(t, focusField(t, m, "scene"), "8")
		}, "errcode 41030", true},
		{"a copy stays while typing", func(t *testing.T, m *Model) *Model {
			m = press(t, typeScene(t, m, "id=1"), "alt+x")
			require.Contains(t, m.status.text, "copied")
			return typeText(t, m, "2")
		}, "copied the scene", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := sized(t, New(testDeps(t, newFake())), 120, 40)
			m = tc.setup(t, m)
			line := ansi.Strip(m.statusView())
			if tc.gone {
				assert.NotContains(t, m.status.text, tc.msg)
				assert.NotContains(t, line, tc.msg)
			} else {
				assert.Contains(t, line, tc.msg)
			}
		})
	}
}

// The first screen states what the empty scene needs, quietly: no ✗, no
// error colour, until something was typed or sent.
func TestFirstScreenHasNoError(t *testing.T) {
	m := sized(t, New(testDeps(t, newFake())), 80, 24)
	v := viewOf(m)
	assert.NotContains(t, v, "✗")
	assert.Contains(t, v, "· scene: is empty")
	lines := m.form.problemLines(m.form.fields()[fScene], 36)
	require.NotEmpty(t, lines)
	assert.Equal(t, m.styles.Muted.Render(ansi.Strip(lines[0])), lines[0])
	m = press(t, m, "ctrl+g")
	assert.Contains(t, viewOf(m), "✗ scene: is empty", "after ctrl+g it is an error")
}

// Every problem is under its field in full, whatever the width.
func TestFieldProblemsWrapInFull(t *testing.T) {
	m := sized(t, New(testDeps(t, newFake())), 80, 24)
	m = typeScene(t, m, "productId=1234567&channel=wechat&campaign=spring x")
	f := m.form.fields()[fScene]
	probs := m.form.problems["scene"]
	require.Len(t, probs, 2, "too long, and a space")
	for _, w := range []int{36, 46, 20} {
		var joined []string
		for _, line := range m.form.problemLines(f, w) {
			plain := ansi.Strip(line)
			assert.LessOrEqual(t, ansi.StringWidth(plain), w, plain)
			joined = append(joined, strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(plain), "✗")))
		}
		// Lines break at spaces and after hyphens: compare without white space.
		squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
		all := strings.Join(joined, " ")
		for _, p := range probs {
			assert.Contains(t, squash(all), squash(p), "width %d", w)
		}
		assert.NotContains(t, all, "…")
	}
}
