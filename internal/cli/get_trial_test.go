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
