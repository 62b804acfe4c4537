package cli

import (
	"testing"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/wechat"
)

func FuzzParamsArgsRoundTrip(f *testing.F) {
	f.Add("unlimited", "pages/index/index", "id=42&x='1'", "", 430, "trial", 1, true, "#1aad19", false)
	f.Add("limited", "", "", "pages/a?b=c d", 0, "", 0, false, "", true)
	f.Add("qrcode", "", "", "p", 1280, "", 2, false, "", false)
	f.Fuzz(func(t *testing.T, kind, page, scene, path string, width int, env string, check int, auto bool, color string, hyaline bool) {
		k, err := wechat.ParseKind(kind)
		if err != nil {
			return
		}
		p := wechat.Params{Kind: k, Page: page, Scene: scene, Path: path, Width: width, EnvVersion: env, AutoColor: auto, Hyaline: hyaline}
		switch check % 3 {
		case 1:
			p.CheckPath = wechat.Bool(true)
		case 2:
			p.CheckPath = wechat.Bool(false)
		}
		if c, err := wechat.ParseColor(color); err == nil && color != "" {
			p.LineColor = &c
		}
		// Only the fields the endpoint uses survive, as in Params.Request.
		want := wechat.ParamsOf(p.Request())
		fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
		get := addParamFlags(fs)
		require.NoError(t, fs.Parse(paramsArgs(p)))
		got, err := get(wechat.Params{})
		require.NoError(t, err)
		assert.Equal(t, want, wechat.ParamsOf(got.Request()))
	})
}
