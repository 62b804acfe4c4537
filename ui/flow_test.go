package ui

import (
	"bytes"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/codefile"
	"wxacode/internal/testenv"
	"wxacode/internal/wechattest"
	"wxacode/wechat"
	"wxacode/wechat/sim"
)

// simDeps is a designer on a fresh in-process simulator.
func simDeps(t testing.TB) Deps {
	t.Helper()
	env := wechattest.New(t)
	d := testDeps(t, env.Client)
	d.AppID, d.TokenSource, d.BaseURL = env.Sim.AppID(), "stable_token", env.BaseURL
	return d
}

// flow is the designer in a real Bubble Tea program, as teatest runs one
// (no terminal, no signals), inside a testing/synctest bubble: the program's
// timers, the designer's (Deps.After nil: time.After) and the in-process
// simulator all run on the bubble's clock. synctest.Wait lets everything that
// can run finish before the test looks, so no wait depends on real time.
// (teatest itself cannot run in a bubble: its SIGINT watcher never exits.)
type flow struct {
	t    *testing.T
	m    *Model // the program's; read only after synctest.Wait
	p    *tea.Program
	done chan error
}

// startFlow runs the designer of d in a program of 120×40 cells. It must be
// called inside synctest.Test.
func startFlow(t *testing.T, d Deps) *flow {
	t.Helper()
	d.After = nil
	f := &flow{t: t, m: New(d), done: make(chan error, 1)}
	f.p = tea.NewProgram(f.m, tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithoutSignalHandler(),
		tea.WithEnvironment([]string{}), tea.WithWindowSize(120, 40), tea.WithColorProfile(colorprofile.ASCII))
	go func() {
		_, err := f.p.Run()
		f.done <- err
	}()
	return f
}

// Send gives msg to the program.
func (f *flow) Send(msg tea.Msg) { f.p.Send(msg) }

// Type types s, a key at a time.
func (f *flow) Type(s string) {
	for _, r := range s {
		f.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// model is the designer once everything that can run has run.
func (f *flow) model() *Model {
	synctest.Wait()
	return f.m
}

// flowPatience is how long a flow waits, on the bubble's clock, for what it
// expects: longer than any timer the designer sets in these tests (the
// longest, a call's expiry from the calls/min, is a minute).
const flowPatience = 2 * time.Minute

// waitFor lets the program run until ok holds: first everything that can
// run without time passing; then, while ok does not hold, the bubble's clock
// moves on 10 ms at a time (timers fire: a debounce, a draw after a frame)
// for at most flowPatience of virtual time. No real time passes.
func (f *flow) waitFor(what string, ok func(m *Model) bool) {
	f.t.Helper()
	for waited := time.Duration(0); ; waited += 10 * time.Millisecond {
		if ok(f.model()) {
			return
		}
		if waited >= flowPatience {
			f.t.Fatalf("never %s; last view:\n%s", what, viewOf(f.m))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitScreen waits (waitFor) until the view, colours stripped, contains s.
func waitScreen(t *testing.T, f *flow, s string) {
	t.Helper()
	f.waitFor(fmt.Sprintf("showed %q", s), func(m *Model) bool { return strings.Contains(viewOf(m), s) })
}

// final quits once everything has settled (the history's write after each
// code included) and returns the model as the program left it.
func (f *flow) final(t *testing.T) *Model {
	t.Helper()
	synctest.Wait()
	f.p.Quit()
	require.NoError(t, <-f.done)
	// Commands still waiting on a timer end when it fires; the bubble ends
	// only once they have.
	time.Sleep(flowPatience)
	return f.m
}

// generated starts the flow of d and generates its code (ctrl+g), until
// the screen shows shows.
func generated(t *testing.T, d Deps, shows string) *flow {
	t.Helper()
	tm := startFlow(t, d)
	keys(tm, "ctrl+g")
	waitScreen(t, tm, shows)
	return tm
}

func keys(f *flow, ks ...string) {
	for _, k := range ks {
		f.Send(keypress(k))
	}
}

func TestFlowSceneGenerateSave(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := simDeps(t)
		d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/detail/detail"}
		tm := startFlow(t, d)
		keys(tm, "tab", "tab") // endpoint → page → scene
		tm.Type("id=42&from=qr")
		waitScreen(t, tm, "13/32")
		keys(tm, "ctrl+g")
		waitScreen(t, tm, "JPEG 430×430")
		path := filepath.Join(d.SaveDir, "pages-detail-detail_id=42_from=qr_430.jpg")
		saveOffered(t, tm, path)
		fm := tm.final(t)

		data, err := os.ReadFile(path)
		require.NoError(t, err, "status: %s", fm.status.text)
		img, format, err := image.Decode(bytes.NewReader(data))
		require.NoError(t, err)
		assert.Equal(t, "jpeg", format)
		assert.Equal(t, 430, img.Bounds().Dx())

		sc := readSidecar(t, path)
		assert.Equal(t, codefile.ContentSHA256(data), sc.SHA256)
		assert.Equal(t, len(data), sc.Bytes)
		assert.Equal(t, wechat.FormatJPEG, sc.Format)
		assert.Equal(t, "/wxa/getwxacodeunlimit", sc.Endpoint)
		assert.JSONEq(t, `{"scene":"id=42&from=qr","page":"pages/detail/detail"}`, string(sc.Request))

		// The code scans to what the simulator promised.
		assert.Equal(t, sim.LaunchURL("release", "pages/detail/detail", "id=42&from=qr"), testenv.Zbar(t, path, false))
	})
}

func TestFlow41030HintAndFix(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := simDeps(t)
		d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/not/released", Scene: "id=7"}
		tm := generated(t, d, "errcode 41030")
		waitScreen(t, tm, "send check_path:false")
		keys(tm, "alt+1")
		waitScreen(t, tm, "JPEG 430×430")
		fm := tm.final(t)
		require.NotNil(t, fm.shown)
		assert.Nil(t, fm.lastErr)
		require.NotNil(t, fm.shown.params.CheckPath)
		assert.False(t, *fm.shown.params.CheckPath)
		assert.Equal(t, "id=7", fm.shown.params.Scene, "nothing typed is lost")
	})
}

// A value pasted with its line end (as copied from a terminal or an
// editor) arrives without it, and the code is made from it.
func TestFlowPaste(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := simDeps(t)
		d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index"}
		tm := startFlow(t, d)
		keys(tm, "tab", "tab") // endpoint → page → scene
		tm.Send(tea.PasteMsg{Content: "id=42&from=qr\r\n"})
		waitScreen(t, tm, "13/32")
		keys(tm, "ctrl+g")
		waitScreen(t, tm, "JPEG 430×430")
		fm := tm.final(t)
		assert.Equal(t, "id=42&from=qr", fm.shown.params.Scene)
	})
}

// Switching unlimited → limited carries page and scene into path, the
// confirmation spends nothing on n, and back on unlimited they return.
func TestFlowKindSwitchCarries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := simDeps(t)
		d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/detail/detail", Scene: "id=42"}
		tm := startFlow(t, d)
		keys(tm, "right")
		waitScreen(t, tm, "path       pages/detail/detail?id=42")
		keys(tm, "ctrl+g")
		waitScreen(t, tm, "lifetime pool")
		keys(tm, "n")
		waitScreen(t, tm, "not generated: no quota spent")
		keys(tm, "left")
		waitScreen(t, tm, "scene      id=42")
		fm := tm.final(t)
		p := fm.form.params()
		assert.Equal(t, wechat.KindUnlimited, p.Kind)
		assert.Equal(t, "pages/detail/detail", p.Page)
		assert.Equal(t, "id=42", p.Scene)
		assert.Nil(t, fm.shown)
	})
}
