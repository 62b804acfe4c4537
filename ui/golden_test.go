package ui

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

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
		setup func(t *testing.T, m Model) Model
	}{
		{"start", func(t *testing.T, m Model) Model { return m }},
		{"typing", func(t *testing.T, m Model) Model {
			return typeScene(t, m, "id 42")
		}},
		{"preview", func(t *testing.T, m Model) Model {
			return press(t, typeScene(t, m, "id=42"), "ctrl+g")
		}},
		{"hint", func(t *testing.T, m Model) Model {
			m.form.setParams(wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/new/new", Scene: "id=7"})
			return press(t, m, "ctrl+g")
		}},
		{"scene", func(t *testing.T, m Model) Model {
			return press(t, typeScene(t, m, "a=1&b=2"), "alt+s")
		}},
		{"scene-end", func(t *testing.T, m Model) Model {
			return press(t, typeScene(t, m, "a=1&b=2"), "alt+s", "pgdown", "pgdown", "pgdown", "pgdown", "pgdown", "pgdown")
		}},
		{"scene-limited", func(t *testing.T, m Model) Model {
			m.form.setParams(wechat.Params{Kind: wechat.KindLimited, Path: "pages/a/a?id=1&name=%E4%B8%AD"})
			return press(t, m, "alt+s")
		}},
		{"request", func(t *testing.T, m Model) Model {
			return press(t, typeScene(t, m, "a=1&b=2"), "alt+r")
		}},
		{"confirm-limited", func(t *testing.T, m Model) Model {
			m.form.setParams(wechat.Params{Kind: wechat.KindLimited, Path: "pages/index/index?id=1"})
			return press(t, m, "ctrl+g")
		}},
		{"history", func(t *testing.T, m Model) Model {
			m = typeScene(t, m, "id=1")
			m = press(t, m, "ctrl+g")
			m = typeText(t, m, "2")
			return press(t, m, "ctrl+g", "alt+y", "alt+m", "down")
		}},
		{"save-prompt", func(t *testing.T, m Model) Model {
			m = typeScene(t, m, "id=42")
			m = press(t, m, "ctrl+g", "ctrl+s")
			m.saveInput.SetValue("pages-index-index_id=42_430.png")
			return m
		}},
		{"full-help", func(t *testing.T, m Model) Model { return press(t, m, "?") }},
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
