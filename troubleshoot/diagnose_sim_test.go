package troubleshoot_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/wechattest"
	"wxacode/troubleshoot"
	"wxacode/wechat"
	"wxacode/wechat/sim"
)

// startSim runs the simulator in-process and returns a real client for it.
func startSim(t *testing.T, cfg sim.Config) *wechat.Client {
	t.Helper()
	cfg.Limits.UnlimitedPerMinute = -1
	env := wechattest.New(t, wechattest.WithSim(cfg), wechattest.WithClient(wechat.WithRetry(1, 0)))
	env.Sim.Clock().Set(time.Date(2024, 5, 8, 6, 25, 59, 0, time.UTC))
	return env.Client
}

// A page that is not released, with check_path on: the simulator answers
// 41030, Diagnose proposes check-path-off, and the fixed request succeeds.
func TestDiagnoseAgainstSimulatorCheckPathOff(t *testing.T) {
	client := startSim(t, sim.DefaultConfig())
	ctx := context.Background()

	req := &wechat.UnlimitedRequest{Scene: "id=42", Page: "pages/new/new", CheckPath: wechat.Bool(true), EnvVersion: "develop"}
	_, err := client.Get(ctx, req)
	var api *wechat.APIError
	require.ErrorAs(t, err, &api)
	require.Equal(t, 41030, api.Code)

	d := troubleshoot.Diagnose(req, err)
	assert.Equal(t, 41030, d.Hint.Code)
	assert.Contains(t, d.String(), `env_version "develop" does not relax the page check`)
	require.Len(t, d.Actions, 1)
	a := d.Actions[0]
	require.Equal(t, troubleshoot.ActionCheckPathOff, a.ID)
	require.NoError(t, a.Params.Validate())

	code, err := client.Get(ctx, a.Params.Request())
	require.NoError(t, err)
	assert.Equal(t, wechat.FormatJPEG, code.Format)
}

// A page with a leading slash never reaches WeChat: the client's validation
// refuses it, Diagnose turns that into strip-slash, and the fix succeeds.
func TestDiagnoseAgainstSimulatorStripSlash(t *testing.T) {
	client := startSim(t, sim.DefaultConfig())
	ctx := context.Background()

	req := &wechat.UnlimitedRequest{Scene: "id=42", Page: "/pages/index/index"}
	_, err := client.Get(ctx, req)
	var ve *wechat.ValidationError
	require.ErrorAs(t, err, &ve)

	d := troubleshoot.Diagnose(req, err)
	assert.Equal(t, 41030, d.Hint.Code)
	require.Len(t, d.Actions, 1)
	require.Equal(t, troubleshoot.ActionStripSlash, d.Actions[0].ID)
	_, err = client.Get(ctx, d.Actions[0].Params.Request())
	require.NoError(t, err)
}

// The pool runs out: 45029, use-unlimited, and the unlimited code succeeds.
func TestDiagnoseAgainstSimulatorUseUnlimited(t *testing.T) {
	cfg := sim.DefaultConfig()
	cfg.Limits.PoolLifetime = 1
	client := startSim(t, cfg)
	ctx := context.Background()

	_, err := client.Get(ctx, &wechat.LimitedRequest{Path: "pages/detail/detail?id=1765"})
	require.NoError(t, err)
	req := &wechat.LimitedRequest{Path: "pages/detail/detail?id=1766"}
	_, err = client.Get(ctx, req)
	var api *wechat.APIError
	require.ErrorAs(t, err, &api)
	require.Equal(t, 45029, api.Code)

	d := troubleshoot.Diagnose(req, err)
	require.Len(t, d.Actions, 1)
	a := d.Actions[0]
	require.Equal(t, troubleshoot.ActionUseUnlimited, a.ID)
	assert.Equal(t, "id=1766", a.Params.Scene)
	_, err = client.Get(ctx, a.Params.Request())
	require.NoError(t, err)
}

// The token endpoint refuses this machine: Diagnose names the IP WeChat saw.
func TestDiagnoseAgainstSimulatorIPWhitelist(t *testing.T) {
	cfg := sim.DefaultConfig()
	cfg.IPWhitelist = []string{"203.0.113.0/24"}
	client := startSim(t, cfg)

	req := &wechat.UnlimitedRequest{Scene: "id=42"}
	_, err := client.Get(context.Background(), req)
	var api *wechat.APIError
	require.ErrorAs(t, err, &api)
	require.Equal(t, 40164, api.Code)

	d := troubleshoot.Diagnose(req, err)
	assert.Equal(t, 40164, d.Hint.Code)
	assert.Contains(t, d.String(), "add 127.0.0.1 to mp.weixin.qq.com → 开发管理 → 开发设置 → IP白名单")
}
