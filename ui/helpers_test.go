package ui

import (
	"context"
	"image/color"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"

	"wxacode/internal/testimage"
	"wxacode/wechat"
)

// keypress builds the message for one key, as huh_test.go does.
func keypress(s string) tea.KeyPressMsg {
	switch s {
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "f1":
		return tea.KeyPressMsg{Code: tea.KeyF1}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	}
	if rest, ok := strings.CutPrefix(s, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: rune(rest[0]), Mod: tea.ModCtrl}
	}
	if rest, ok := strings.CutPrefix(s, "alt+"); ok {
		return tea.KeyPressMsg{Code: rune(rest[0]), Mod: tea.ModAlt}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// send feeds msgs to m, running the commands they return (see run).
func send(t *testing.T, m *Model, msgs ...tea.Msg) *Model {
	t.Helper()
	for _, msg := range msgs {
		var cmd tea.Cmd
		var tm tea.Model
		tm, cmd = m.Update(msg)
		m = tm.(*Model)
		m = run(t, m, cmd, 0)
	}
	return m
}

func press(t *testing.T, m *Model, keys ...string) *Model {
	t.Helper()
	for _, k := range keys {
		m = send(t, m, keypress(k))
	}
	return m
}

// typeScene focuses the scene field and types s into it.
func typeScene(t *testing.T, m *Model, s string) *Model {
	t.Helper()
	return typeText(t, focusField(t, m, "scene"), s)
}

func typeText(t *testing.T, m *Model, s string) *Model {
	t.Helper()
	for _, r := range s {
		m = send(t, m, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return m
}

// run executes cmd and feeds its messages back, like the program loop would.
// testDeps keeps every timer short (no status expiry, no cursor blink), so a
// command that does not answer within seconds is a bug, and is dropped.
func run(t *testing.T, m *Model, cmd tea.Cmd, depth int) *Model {
	t.Helper()
	if cmd == nil || depth > 8 {
		return m
	}
	for _, msg := range collect(cmd) {
		switch msg.(type) {
		case tea.BatchMsg, nil:
			continue
		}
		if reflect.TypeOf(msg).String() == "tea.sequenceMsg" {
			continue
		}
		tm, next := m.Update(msg)
		m = tm.(*Model)
		m = run(t, m, next, depth+1)
	}
	return m
}

func collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	var (
		mu  sync.Mutex
		out []tea.Msg
		wg  sync.WaitGroup
	)
	var exec func(c tea.Cmd)
	exec = func(c tea.Cmd) {
		defer wg.Done()
		ch := make(chan tea.Msg, 1)
		go func() { ch <- c() }()
		select {
		case msg := <-ch:
			if b, ok := msg.(tea.BatchMsg); ok {
				for _, c := range b {
					if c != nil {
						wg.Add(1)
						go exec(c)
					}
				}
				return
			}
			mu.Lock()
			out = append(out, msg)
			mu.Unlock()
		case <-time.After(3 * time.Second): // only timers get here; tests keep them short
		}
	}
	wg.Add(1)
	go exec(cmd)
	wg.Wait()
	return out
}

func viewOf(m *Model) string { return ansi.Strip(m.View().Content) }

// fakeWeChat behaves like the simulator for what these tests need: a QR
// image for valid requests, 41030 for unpublished pages with check_path on.
type fakeWeChat struct {
	mu       sync.Mutex
	released map[string]bool
	calls    []wechat.Request
	delay    time.Duration
}

func newFake() *fakeWeChat {
	return &fakeWeChat{released: map[string]bool{"": true, "pages/index/index": true}}
}

func (f *fakeWeChat) Get(ctx context.Context, req wechat.Request) (*wechat.Code, error) {
	f.mu.Lock()
	f.calls = append(f.calls, req)
	delay := f.delay
	f.mu.Unlock()
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	p := wechat.ParamsOf(req)
	content := "https://sim.wxacode.invalid/" + p.Path
	if p.Kind == wechat.KindUnlimited {
		if (p.CheckPath == nil || *p.CheckPath) && !f.released[p.Page] {
			return nil, &wechat.APIError{Code: 41030, Msg: "invalid page", RID: "663b1af7-1f2e3d4c-5b6a7988",
				Time: wechat.RIDTime("663b1af7-1f2e3d4c-5b6a7988"), Endpoint: p.Kind.Path()}
		}
		env := p.EnvVersion
		if env == "" {
			env = "release"
		}
		content = "https://sim.wxacode.invalid/" + env + "/" + p.Page + "?scene=" + p.Scene
	}
	w := p.Width
	if w == 0 {
		w = wechat.DefaultWidth
	}
	black, white := color.NRGBA{0, 0, 0, 255}, color.NRGBA{255, 255, 255, 255}
	data := testimage.PNG(testimage.QRSized(content, w, black, white))
	return &wechat.Code{Bytes: data, Format: wechat.FormatPNG, Width: w, Height: w, ContentType: "image/jpeg",
		NumUsed: -1, Received: time.Date(2026, 11, 23, 21, 0, 0, 0, time.UTC), Elapsed: 12 * time.Millisecond}, nil
}

func (f *fakeWeChat) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// testDeps is a designer on the fake, with a fixed clock and no environment.
func testDeps(t testing.TB, g Generator) Deps {
	t.Helper()
	return Deps{
		Generator:   g,
		OnSim:       true,
		AppID:       "wxsim0000000000000",
		TokenSource: "fixed",
		SaveDir:     t.TempDir(),
		StateDir:    t.TempDir(),
		Graphics:    "blocks",
		Debounce:    5 * time.Millisecond,
		StatusTTL:   -1,
		Initial:     wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index"},
		Now:         func() time.Time { return time.Date(2026, 11, 23, 21, 30, 0, 0, time.UTC) },
	}
}

func sized(t *testing.T, m *Model, w, h int) *Model {
	return send(t, m, tea.WindowSizeMsg{Width: w, Height: h})
}

// cellSizeReply is the terminal's answer to CSI 16 t as the designer gets it.
func cellSizeReply(w, h int) tea.Msg { return uv.CellSizeEvent{Width: w, Height: h} }
