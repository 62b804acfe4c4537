package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/internal/wechattest"
)

// TestBatchInputProblemsExit2BeforeAnyCall: an unusable header, a broken
// --name and a broken base_url are usage errors (exit 2) found before any
// call, with a message saying what to fix.
func TestBatchInputProblemsExit2BeforeAnyCall(t *testing.T) {
	home := testenv.Isolate(t)
	cs := &countingSim{per: map[string]int{}}
	env := wechattest.New(t, wechattest.Listen(), wechattest.WithMiddleware(cs.wrap))
	t.Setenv("WXACODE_APPID", env.Sim.AppID())
	t.Setenv("WXACODE_SECRET", env.Sim.Secret())
	badURL := filepath.Join(home, "bad-url.toml")
	require.NoError(t, os.WriteFile(badURL, []byte("base_url = \"http://[::1\"\n"), 0o600))
	for _, tc := range []struct {
		name, file, in string
		args           []string
		configURL      bool // the base_url comes from the config, not --base-url
		want           string
	}{
		{name: "unknown column", file: "rows.csv", in: "scene,pgae\na,b\n", want: `unknown column "pgae"`},
		{name: "empty CSV", file: "rows.csv", in: "", want: "the input is empty"},
		{name: "NUL", file: "rows.csv", in: "sc\x00ene\na\n", want: "NUL byte"},
		{name: "semicolons", file: "rows.csv", in: "scene;page\na;pages/a\n", want: "separated by semicolons"},
		{name: "duplicate column", file: "rows.csv", in: "scene,scene\na,b\n", want: `"scene" twice`},
		{name: "bogus name", file: "rows.csv", in: "scene\na\n", args: []string{"--name", "{bogus}"}, want: "--name"},
		{name: "missing input", file: "", args: []string{"--in", filepath.Join(home, "nope.csv")}, want: "nope.csv"},
		{name: "two JSON objects on a line", file: "rows.jsonl", in: `{"scene":"a"}{"scene":"b"}` + "\n", want: "row 1 (line 1)"},
		{name: "broken base_url", file: "rows.csv", in: "scene\na\n", args: []string{"--config", badURL}, configURL: true, want: `base_url "http://[::1"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"--out", filepath.Join(t.TempDir(), "out")}
			if !tc.configURL {
				args = append(args, "--base-url", env.BaseURL)
			}
			if tc.file != "" {
				in := filepath.Join(t.TempDir(), tc.file)
				require.NoError(t, os.WriteFile(in, []byte(tc.in), 0o644))
				args = append(args, "--in", in)
			}
			code, _, stderr := batchRun(t, append(args, tc.args...)...)
			assert.Equal(t, exitUsage, code, "%s", stderr)
			assert.Contains(t, stderr, tc.want)
			_, calls := cs.snapshot()
			assert.Zero(t, calls, "nothing was called")
		})
	}
}
