package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/wechat"
)

func TestMain(m *testing.M) {
	time.Local = time.UTC // history times in golden views
	os.Exit(m.Run())
}

// TestGoldenViews snapshots the screen (colours stripped) in the states that
// matter, at 80×24 and 120×40. go test ./ui -run Golden -update rewrites them.
func TestGoldenViews(t *testing.T) {
	states := []struct {
		name  string
		setup func(t *testing.T, m *Model) *Model
	}{
		{"start", func(t *testing.T, m *Model) *Model { return m }},
		{"typing", func(t *testing.T, m *Model) *Model {
			return typeScene(t, m, "id 42")
		}},
		{"preview", func(t *testing.T, m *Model) *Model {
			return press(t, typeScene(t, m, "id=42"), "ctrl+g")
		}},
		{"hint", func(t *testing.T, m *Model) *Model {
			m.form.setParams(wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/new/new", Scene: "id=7"})
			return press(t, m, "ctrl+g")
		}},
		{"scene", func(t *testing.T, m *Model) *Model {
			return press(t, typeScene(t, m, "a=1&b=2"), "alt+s")
		}},
		{"scene-end", func(t *testing.T, m *Model) *Model {
			return press(t, typeScene(t, m, "a=1&b=2"), "alt+s", "pgdown", "pgdown", "pgdown", "pgdown", "pgdown", "pgdown")
		}},
		{"scene-limited", func(t *testing.T, m *Model) *Model {
			m.form.setParams(wechat.Params{Kind: wechat.KindLimited, Path: "pages/a/a?id=1&name=%E4%B8%AD"})
			return press(t, m, "alt+s")
		}},
		{"request", func(t *testing.T, m *Model) *Model {
			return press(t, typeScene(t, m, "a=1&b=2"), "alt+r")
		}},
		{"confirm-limited", func(t *testing.T, m *Model) *Model {
			m.form.setParams(wechat.Params{Kind: wechat.KindLimited, Path: "pages/index/index?id=1"})
			return press(t, m, "ctrl+g")
		}},
		{"history", func(t *testing.T, m *Model) *Model {
			m = typeScene(t, m, "id=1")
			m = press(t, m, "ctrl+g")
			m = typeText(t, m, "2")
			return press(t, m, "ctrl+g", "alt+y", "alt+m", "down")
		}},
		{"save-prompt", func(t *testing.T, m *Model) *Model {
			m = typeScene(t, m, "id=42")
			m = press(t, m, "ctrl+g", "ctrl+s")
			m.prompt.input.SetValue("pages-index-index_id=42_430.png")
			return m
		}},
		{"full-help", func(t *testing.T, m *Model) *Model { return press(t, m, "?") }},
		{"linkqr", func(t *testing.T, m *Model) *Model {
			return typeText(t, chooseLinkQR(t, m), "https://example.com/shop id=42")
		}},
		{"linkqr-preview", func(t *testing.T, m *Model) *Model {
			return press(t, typeText(t, chooseLinkQR(t, m), goldenLink), "ctrl+g")
		}},
		{"linkqr-scene", func(t *testing.T, m *Model) *Model {
			return press(t, typeText(t, chooseLinkQR(t, m), goldenLink), "alt+s")
		}},
		{"linkqr-request", func(t *testing.T, m *Model) *Model {
			return press(t, typeText(t, chooseLinkQR(t, m), goldenLink), "alt+r")
		}},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, st := range states {
			t.Run(fmt.Sprintf("%s_%dx%d", st.name, size[0], size[1]), func(t *testing.T) {
				d := testDeps(t, newFake())
				d.SaveDir = ""
				m := sized(t, New(d), size[0], size[1])
				m = st.setup(t, m)
				golden.RequireEqual(t, viewOf(m))
			})
		}
	}
	t.Run("too-small", func(t *testing.T) {
		m := sized(t, New(testDeps(t, newFake())), 60, 15)
		golden.RequireEqual(t, viewOf(m))
	})
}

// goldenLink is the link QR of the golden views.
const goldenLink = "https://example.com/shop?id=42&name=%E4%B8%AD"

// chooseLinkQR picks the linkqr endpoint and focuses its url field.
func chooseLinkQR(t *testing.T, m *Model) *Model {
	t.Helper()
	m = focusField(t, m, "kind")
	m = press(t, m, "right", "right", "right", "right")
	require.Equal(t, wechat.KindLinkQR, m.form.kindValue())
	return focusField(t, m, "url")
}

// roundCode answers every request with a real round mini program code
// (codeimage/testdata/realcodes), which has no module grid.
type roundCode struct{ data []byte }

func (r roundCode) Get(ctx context.Context, req wechat.Request) (*wechat.Code, error) {
	return &wechat.Code{Bytes: r.data, Format: wechat.FormatPNG, Width: 430, Height: 430, ContentType: "image/png",
		NumUsed: -1, Received: time.Date(2026, 11, 23, 21, 0, 0, 0, time.UTC), Elapsed: 12 * time.Millisecond}, nil
}

// TestGoldenTooSmallToScan: half blocks of a round code in the designer's
// preview pane are too small at both sizes, and say what they need instead
// of passing a blur off as a code (the QR's case is preview_80x24).
func TestGoldenTooSmallToScan(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "codeimage", "testdata", "realcodes", "wxacode-Mr-Pao-MaoPu-2.png"))
	require.NoError(t, err)
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("round_%dx%d", size[0], size[1]), func(t *testing.T) {
			d := testDeps(t, roundCode{data})
			d.SaveDir = ""
			m := sized(t, New(d), size[0], size[1])
			m = press(t, typeScene(t, m, "id=42"), "ctrl+g")
			golden.RequireEqual(t, viewOf(m))
		})
	}
}

// TestGoldenThemes snapshots the main screens (form and preview, history,
// the full help) at 80×24 and 120×40 on a light and on a dark background,
// escape sequences kept: the same text, in the colours of each palette
// (go test ./ui -run GoldenThemes -update).
func TestGoldenThemes(t *testing.T) {
	states := []struct {
		name  string
		setup func(t *testing.T, m *Model) *Model
	}{
		{"preview", func(t *testing.T, m *Model) *Model {
			return press(t, typeScene(t, m, "id=42"), "ctrl+g")
		}},
		{"history", func(t *testing.T, m *Model) *Model {
			m = press(t, typeScene(t, m, "id=1"), "ctrl+g")
			m = focusField(t, m, "env_version")
			m = typeText(t, m, "t")
			return press(t, m, "ctrl+g", "alt+y", "alt+m", "down")
		}},
		{"full-help", func(t *testing.T, m *Model) *Model { return press(t, m, "?") }},
	}
	backgrounds := []struct {
		name string
		bg   string
	}{{"light", "#ffffff"}, {"dark", "#000000"}}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, st := range states {
			views := map[string]string{}
			for _, bg := range backgrounds {
				t.Run(fmt.Sprintf("%s_%s_%dx%d", st.name, bg.name, size[0], size[1]), func(t *testing.T) {
					d := testDeps(t, newFake())
					d.SaveDir = ""
					m := sized(t, New(d), size[0], size[1])
					m = send(t, m, tea.BackgroundColorMsg{Color: lipgloss.Color(bg.bg)})
					m = st.setup(t, m)
					views[bg.name] = m.View().Content
					golden.RequireEqual(t, views[bg.name])
				})
			}
			if len(views) == 2 {
				assert.NotEqual(t, views["light"], views["dark"], "%s: each background its colours", st.name)
				assert.Equal(t, ansi.Strip(views["light"]), ansi.Strip(views["dark"]), "%s: the same text", st.name)
			}
		}
	}
}
