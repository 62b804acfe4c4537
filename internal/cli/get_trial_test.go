package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/internal/wechattest"
	"wxacode/wechat"
	"wxacode/wechat/sim"
)

func TestGetTrial(t *testing.T) {
	testenv.Isolate(t)
	testenv.Tool(t, "zbarimg", "zbar-tools")
	dir := t.TempDir()
	out := filepath.Join(dir, "trial.jpg")
	code, stdout, stderr := runCLI(t, nil, "get", "--sim", "--kind", "trial", "--path", "page/index?action=1&b=2", "-o", out)
	require.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasPrefix(stdout, out+": jpeg 430x430, "), stdout)
	assert.NotContains(t, stderr, "quota:", "get_qrcode spends no pool")
	assert.Equal(t, sim.TrialURL(sim.ExamplePages[0], "page/index?action=1&b=2"), testenv.Zbar(t, out, false))

	code, _, stderr = runCLI(t, nil, "get", "--sim", "--kind", "trial", "-o", filepath.Join(dir, "home.jpg"))
	require.Equal(t, 0, code, stderr)

	code, stdout, _ = runCLI(t, nil, "get", "--kind", "trial", "--path", "a?b=1", "--print", "curl")
	require.Equal(t, 0, code)
	assert.Equal(t, `curl -sS "https://api.weixin.qq.com/wxa/get_qrcode?access_token=$ACCESS_TOKEN&path=a%3Fb%3D1" -o QRCode.jpg`+"\n", stdout)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"get", "--kind", "trial", "--print", "body"}, "get_qrcode (trial) is a GET and sends no body"},
		{[]string{"get", "--kind", "trial", "--print", "cloud"}, "trial has no wx-server-sdk call"},
		{[]string{"get", "--sim", "--kind", "trial", "--path", "a\x01", "-o", filepath.Join(dir, "x.jpg")}, "control character U+0001"},
	} {
		code, _, stderr := runCLI(t, nil, tc.args...)
		assert.Equal(t, 2, code, stderr)
		assert.Contains(t, stderr, tc.want)
	}
	// The designer takes --kind trial now: without a terminal it only says it needs one.
	code, _, stderr = runCLI(t, nil, "--sim", "--kind", "trial", "--path", "p?x=1")
	assert.Equal(t, 2, code, stderr)
	assert.Contains(t, stderr, "the designer needs a terminal")
	assert.NotContains(t, stderr, "trial QRs")
	assert.Equal(t, []string{"--kind", "trial", "--path", "p?x=1"}, paramsArgs(paramsOfTrial("p?x=1")))
}

// batch takes kind trial like any other: the rows' paths, each its own code.
func TestBatchTrial(t *testing.T) {
	testenv.Isolate(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "rows.csv")
	require.NoError(t, os.WriteFile(in, []byte("kind,path\ntrial,pages/a/a?id=1\ntrial,pages/a/a?id=2\ntrial,\n"), 0o644))
	outDir := filepath.Join(dir, "out")
	code, _, stderr := batchRun(t, "--sim", "--in", in, "--out", outDir)
	require.Equal(t, 0, code, stderr)
	f, err := os.Open(filepath.Join(outDir, "manifest.jsonl"))
	require.NoError(t, err)
	defer f.Close()
	dec := json.NewDecoder(f)
	n := 0
	for dec.More() {
		var e map[string]any
		require.NoError(t, dec.Decode(&e))
		n++
	}
	assert.Equal(t, 3, n)
}

func paramsOfTrial(path string) wechat.Params {
	return wechat.Params{Kind: wechat.KindTrial, Path: path}
}

// --kind trial refuses each request flag get_qrcode does not take, instead
// of dropping it: exit 2, the flag named with what to do instead, and not
// one HTTP request (not even for a token).
func TestGetTrialRefusesFlagsItDoesNotTake(t *testing.T) {
	home := testenv.Isolate(t)
	var seen wechattest.Counter
	env := wechattest.New(t, wechattest.Listen(), wechattest.WithMiddleware(seen.Wrap))
	t.Setenv("WXACODE_APPID", env.Sim.AppID())
	t.Setenv("WXACODE_SECRET", env.Sim.Secret())
	cfg := filepath.Join(home, "trial.toml")
	require.NoError(t, os.WriteFile(cfg, []byte("[defaults]\nkind = \"trial\"\n"), 0o600))
	out := filepath.Join(t.TempDir(), "trial.jpg")
	trial := func(extra ...string) []string {
		return append([]string{"get", "--base-url", env.BaseURL, "--kind", "trial", "--path", "pages/a/a?id=1"}, extra...)
	}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"width", trial("--width", "600", "-o", out),
			[]string{"--width does not apply to --kind trial, which takes only --path: drop it; WeChat picks a trial QR's size"}},
		{"scene", trial("--scene", "id=1", "-o", out),
			[]string{"--scene does not apply to --kind trial", "put its parameters in --path's query instead"}},
		{"page", trial("--page", "pages/a/a", "-o", out),
			[]string{"--page does not apply to --kind trial", "give the page as --path"}},
		{"env-version", trial("--env-version", "develop", "-o", out),
			[]string{"--env-version does not apply to --kind trial", "always opens the trial version"}},
		{"check-path", trial("--check-path=false", "-o", out),
			[]string{"--check-path does not apply to --kind trial", "get_qrcode checks no page"}},
		{"auto-color", trial("--auto-color", "-o", out),
			[]string{"--auto-color does not apply to --kind trial", "--kind unlimited --env-version trial"}},
		{"line-color", trial("--line-color", "#1aad19", "-o", out),
			[]string{"--line-color does not apply to --kind trial", "plain black on white"}},
		{"hyaline", trial("--hyaline", "-o", out),
			[]string{"--hyaline does not apply to --kind trial", "plain black on white"}},
		{"every one named", trial("--width", "600", "--scene", "a", "-o", out),
			[]string{"--width does not apply", "--scene does not apply"}},
		{"--print too", trial("--width", "600", "--print", "curl"),
			[]string{"nothing was printed", "--width does not apply to --kind trial"}},
		{"kind from [defaults]", []string{"get", "--config", cfg, "--base-url", env.BaseURL, "--width", "600", "-o", out},
			[]string{"--width does not apply to kind trial (the config's [defaults] kind), which takes only --path"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := seen.Total()
			code, stdout, stderr := runCLI(t, nil, tc.args...)
			assert.Equal(t, exitUsage, code, stderr)
			assert.Empty(t, stdout)
			for _, w := range tc.want {
				assert.Contains(t, stderr, w)
			}
			assert.Equal(t, before, seen.Total(), "no HTTP request")
			assert.NoFileExists(t, out)
		})
	}

	// The flags trial takes still call it: the counter sees what is sent.
	code, _, stderr := runCLI(t, nil, trial("-o", out)...)
	require.Equal(t, exitOK, code, stderr)
	assert.Positive(t, seen.Total())
	assert.FileExists(t, out)
}
