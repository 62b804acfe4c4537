package cli

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/config"
	"wxacode/internal/testenv"
	"wxacode/wechat"
)

func TestConsumersShareTheSession(t *testing.T) {
	home := testenv.Isolate(t)
	cfg := config.Default()
	cfg.SaveDir, cfg.Graphics = "/tmp/codes", "blocks"
	s, err := openClient(cfg, true)
	require.NoError(t, err)
	defer s.Close()
	require.True(t, s.OnSim)
	assert.Contains(t, s.Notice, "on the simulator (--sim")

	p := wechat.Params{Kind: wechat.KindUnlimited, Scene: "a"}
	d := uiDeps(t.Context(), s, cfg, p)
	assert.Same(t, s.Client, d.Generator)
	assert.True(t, d.OnSim)
	assert.Equal(t, s.BaseURL, d.BaseURL)
	assert.Equal(t, "/tmp/codes", d.SaveDir)
	assert.Equal(t, "blocks", d.Graphics)
	assert.Equal(t, cfg.NameTemplate, d.NameTemplate)
	assert.Equal(t, filepath.Join(home, "state", "wxacode"), d.StateDir)
	assert.Equal(t, p, d.Initial)
	assert.NotNil(t, d.Ledger)

	g, q := batchDeps(s)
	assert.Same(t, s.Client, g)
	assert.NotNil(t, q)
	code, err := g.Get(t.Context(), p.Request())
	require.NoError(t, err)
	assert.Equal(t, wechat.FormatJPEG, code.Format)
}
