package cli

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/internal/wechattest"
)

func TestLinkQRRulesOnTheSimulator(t *testing.T) {
	testenv.Isolate(t)
	env := wechattest.New(t, wechattest.Listen())
	t.Setenv("WXACODE_BASE_URL", env.BaseURL)
	t.Setenv("WXACODE_APPID", env.Sim.AppID())
	t.Setenv("WXACODE_SECRET", env.Sim.Secret())

	code, stdout, stderr := runCLI(t, nil, "linkqr", "add", "https://example.com/shop/", "--path", "pages/shop/shop",
		"--debug-url", "https://example.com/shop/1", "--open-version", "trial", "--permit-sub-rule", "2")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "https://example.com/shop/: added, a draft")
	assert.NotContains(t, stderr, env.Sim.Secret())

	code, stdout, _ = runCLI(t, nil, "linkqr", "add", "https://example.com/shop/", "--path", "pages/shop/shop")
	assert.Equal(t, 3, code)
	assert.Empty(t, stdout)

	code, stdout, stderr = runCLI(t, nil, "linkqr", "publish", "https://example.com/shop/")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "https://example.com/shop/: published\n", stdout)

	code, stdout, stderr = runCLI(t, nil, "linkqr", "rules")
	require.Equal(t, 0, code, stderr)
	for _, w := range []string{"link QRs: on; 1 rule(s); 99 publish(es) left this month", "https://example.com/shop/  [published]",
		"page: pages/shop/shop", "permit_sub_rule: 2  open_version: trial", "test link: https://example.com/shop/1"} {
		assert.Contains(t, stdout, w)
	}

	code, _, stderr = runCLI(t, nil, "linkqr", "publish", "https://example.com/nope/")
	assert.Equal(t, 3, code)
	assert.Contains(t, stderr, "errcode 85095")
	assert.Contains(t, stderr, "copy the prefix exactly from wxacode linkqr rules")
	assert.Contains(t, stderr, "more: wxacode hint 85095")

	code, _, stderr = runCLI(t, nil, "linkqr", "add", "https://example.com/a/b", "--path", "p", "--debug-url", "https://example.com/a/b/1", "--permit-sub-rule", "3")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "nothing was called")
	assert.Contains(t, stderr, "[errcode 85068]")
	assert.Contains(t, stderr, `--permit-sub-rule "3"`)
	assert.Equal(t, 1, strings.Count(stderr, "permit"), "said once")

	code, _, stderr = runCLI(t, nil, "linkqr", "publish")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "exactly one PREFIX")
}
