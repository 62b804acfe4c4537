package ui

import (
	"bytes"
	"encoding/json"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
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

// observed wraps the designer so a test can read the latest model: the
// renderer only writes changed cells, so the byte stream cannot be searched
// for whole phrases.
type observed struct {
	*Model
	last *atomic.Pointer[Model]
}

// Update stores a copy of the model for the test goroutine to read: the
// program goes on changing the model itself.
func (o observed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := o.Model.Update(msg)
	snap := *o.Model
	o.last.Store(&snap)
	return o, cmd
}

type flow struct {
	*teatest.TestModel
	last *atomic.Pointer[Model]
}

func startFlow(t *testing.T, d Deps) flow {
	t.Helper()
	last := &atomic.Pointer[Model]{}
	m := New(d)
	snap := *m
	last.Store(&snap)
	tm := teatest.NewTestModel(t, observed{m, last}, teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ASCII)))
	return flow{tm, last}
}

// waitScreen waits until the latest view (colours stripped) contains s.
func waitScreen(t *testing.T, f flow, s string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(viewOf(f.last.Load()), s) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the screen never showed %q; last view:\n%s", s, viewOf(f.last.Load()))
}

func (f flow) final(t *testing.T) *Model {
	t.Helper()
	// Let the history write that follows each code finish before the temp dirs go.
	m := f.last.Load()
	if m.deps.StateDir != "" && len(m.hist) > 0 {
		require.Eventually(t, func() bool {
			list, _ := loadHistory(m.historyDir())
			return len(list) == len(m.hist)
		}, 5*time.Second, 10*time.Millisecond)
	}
	require.NoError(t, f.Quit())
	return f.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(observed).Model
}

func keys(tm flow, ks ...string) {
	for _, k := range ks {
		tm.Send(keypress(k))
	}
}

func TestFlowSceneGenerateSave(t *testing.T) {
	d := simDeps(t)
	d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/detail/detail"}
	tm := startFlow(t, d)
	keys(tm, "tab", "tab") // endpoint → page → scene
	tm.Type("id=42&from=qr")
	waitScreen(t, tm, "13/32")
	keys(tm, "ctrl+g")
	waitScreen(t, tm, "JPEG 430×430")
	keys(tm, "ctrl+s")
	waitScreen(t, tm, "save as:")
	keys(tm, "enter")
	waitScreen(t, tm, "✓ saved ")
	fm := tm.final(t)

	path := filepath.Join(d.SaveDir, "pages-detail-detail_id=42_from=qr_430.jpg")
	data, err := os.ReadFile(path)
	require.NoError(t, err, "status: %s", fm.status.text)
	img, format, err := image.Decode(bytes.NewReader(data))
	require.NoError(t, err)
	assert.Equal(t, "jpeg", format)
	assert.Equal(t, 430, img.Bounds().Dx())

	var sc codefile.Sidecar
	raw, err := os.ReadFile(path + ".json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &sc))
	assert.Equal(t, codefile.ContentSHA256(data), sc.SHA256)
	assert.Equal(t, len(data), sc.Bytes)
	assert.Equal(t, wechat.FormatJPEG, sc.Format)
	assert.Equal(t, "/wxa/getwxacodeunlimit", sc.Endpoint)
	assert.JSONEq(t, `{"scene":"id=42&from=qr","page":"pages/detail/detail"}`, string(sc.Request))
	assert.NotContains(t, string(raw), "token")

	// The code scans to what the simulator promised, when zbarimg is here.
	if zbar := testenv.Tool(t, "zbarimg", "zbar-tools"); zbar != "" {
		out, err := exec.Command(zbar, "-q", "--raw", path).Output()
		require.NoError(t, err)
		assert.Equal(t, sim.LaunchURL("release", "pages/detail/detail", "id=42&from=qr"), strings.TrimSpace(string(out)))
	}
}

func TestFlow41030HintAndFix(t *testing.T) {
	d := simDeps(t)
	d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/not/released", Scene: "id=7"}
	tm := startFlow(t, d)
	keys(tm, "ctrl+g")
	waitScreen(t, tm, "errcode 41030")
	waitScreen(t, tm, "send check_path:false")
	keys(tm, "alt+1")
	waitScreen(t, tm, "JPEG 430×430")
	fm := tm.final(t)
	require.NotNil(t, fm.code)
	assert.Nil(t, fm.lastErr)
	require.NotNil(t, fm.codeParams.CheckPath)
	assert.False(t, *fm.codeParams.CheckPath)
	assert.Equal(t, "id=7", fm.codeParams.Scene, "nothing typed is lost")
}

// A value pasted with its line end (as copied from a terminal or an
// editor) arrives without it, and the code is made from it.
func TestFlowPaste(t *testing.T) {
	d := simDeps(t)
	d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index"}
	tm := startFlow(t, d)
	keys(tm, "tab", "tab") // endpoint → page → scene
	tm.Send(tea.PasteMsg{Content: "id=42&from=qr\r\n"})
	waitScreen(t, tm, "13/32")
	keys(tm, "ctrl+g")
	waitScreen(t, tm, "JPEG 430×430")
	fm := tm.final(t)
	assert.Equal(t, "id=42&from=qr", fm.codeParams.Scene)
}

// Switching unlimited → limited carries page and scene into path, the
// confirmation spends nothing on n, and back on unlimited they return.
func TestFlowKindSwitchCarries(t *testing.T) {
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
	assert.Nil(t, fm.code)
}
