package cli

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/config"
	"wxacode/internal/testenv"
	"wxacode/wechat"
)

func TestParamFlags(t *testing.T) {
	green := wechat.Color{R: 0x1a, G: 0xad, B: 0x19}
	base := wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/base", Scene: "base", Width: 500,
		CheckPath: wechat.Bool(false), AutoColor: true, LineColor: &green, Hyaline: true}
	tests := []struct {
		name string
		args []string
		want func(p *wechat.Params)
		err  []string
	}{
		{"nothing set keeps the base", nil, func(p *wechat.Params) {}, nil},
		{"each flag overrides", []string{"--kind", "LIMITED", "--page", "pages/x", "--scene", "s", "--path", "p?x=1",
			"--width", "600", "--env-version", "trial", "--check-path=true", "--auto-color=false", "--line-color", "0,0,255", "--hyaline=false"},
			func(p *wechat.Params) {
				*p = wechat.Params{Kind: wechat.KindLimited, Page: "pages/x", Scene: "s", Path: "p?x=1", Width: 600, EnvVersion: "trial",
					CheckPath: wechat.Bool(true), LineColor: &wechat.Color{B: 255}}
			}, nil},
		{"bare check-path is true", []string{"--check-path"}, func(p *wechat.Params) { p.CheckPath = wechat.Bool(true) }, nil},
		{"empty line colour means black (omitted)", []string{"--line-color", ""}, func(p *wechat.Params) { p.LineColor = nil }, nil},
		{"every bad value reported", []string{"--kind", "x", "--check-path=perhaps", "--line-color", "#12"}, nil,
			[]string{"--kind", "--check-path", "--line-color"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
			get := addParamFlags(fs)
			require.NoError(t, fs.Parse(tt.args))
			p, err := get(base)
			if tt.err != nil {
				require.Error(t, err)
				for _, e := range tt.err {
					assert.Contains(t, err.Error(), e)
				}
				return
			}
			require.NoError(t, err)
			want := base
			tt.want(&want)
			assert.Equal(t, want, p)
		})
	}
}

func TestParamsFromDefaults(t *testing.T) {
	p, err := paramsFromDefaults(config.Default().Defaults)
	require.NoError(t, err)
	assert.Equal(t, wechat.Params{Kind: wechat.KindUnlimited}, p)

	p, err = paramsFromDefaults(config.Defaults{Kind: "qrcode", Path: "a", Width: 300, LineColor: "#ff0000"})
	require.NoError(t, err)
	assert.Equal(t, wechat.Params{Kind: wechat.KindQRCode, Path: "a", Width: 300, LineColor: &wechat.Color{R: 255}}, p)

	_, err = paramsFromDefaults(config.Defaults{Kind: "square", LineColor: "blue"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "[defaults] kind")
	assert.Contains(t, err.Error(), "[defaults] line_color")
}

func TestParseRequestFlagsLaysFlagsOverConfig(t *testing.T) {
	home := testenv.Isolate(t)
	cfgPath := filepath.Join(home, "c.toml")
	require.NoError(t, os.WriteFile(cfgPath, []byte("rate_per_minute = 120\n[defaults]\nscene = \"cfg\"\nwidth = 500\nkind = \"qrcode\"\n"), 0o600))
	tests := []struct {
		name     string
		args     []string
		want     wechat.Params
		wantRate int
	}{
		{"config alone", []string{"--config", cfgPath}, wechat.Params{Kind: wechat.KindQRCode, Scene: "cfg", Width: 500}, 120},
		{"flags win, after --config or before it", []string{"--scene", "flag", "--config", cfgPath, "--kind", "unlimited", "--rate", "60"},
			wechat.Params{Kind: wechat.KindUnlimited, Scene: "flag", Width: 500}, 60},
		{"--rate 0 is kept (no limit)", []string{"--config", cfgPath, "--rate", "0"}, wechat.Params{Kind: wechat.KindQRCode, Scene: "cfg", Width: 500}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
			get := addRequestFlags(fs, NewFactory(NewIOStreams(nil, io.Discard, io.Discard)))
			f := addBatchFlags(fs)
			require.NoError(t, fs.Parse(tt.args))
			setup := get()
			require.Empty(t, setup.Problems, "no config, [defaults] or flag problem")
			assert.Equal(t, tt.want, setup.Params)
			f.rateFromConfig(fs, setup.Config)
			assert.Equal(t, tt.wantRate, f.rate)
		})
	}
}
