package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/wechattest"
	"wxacode/wechat"
)

// previewJSONOut parses preview --json's array.
func previewJSONOut(t *testing.T, stdout string) []map[string]any {
	t.Helper()
	var a []map[string]any
	dec := json.NewDecoder(strings.NewReader(stdout))
	require.NoError(t, dec.Decode(&a), "stdout is a JSON array: %q", stdout)
	require.False(t, dec.More())
	return a
}

func TestPreviewJSON(t *testing.T) {
	qr, _ := wechattest.CodeFile(t, wechat.UnlimitedRequest{Scene: "id=42", Page: "pages/index/index", CheckPath: wechat.Bool(false)})
	round := filepath.Join("..", "..", "codeimage", "testdata", "realcodes", "wxacode-15711270182-gitqinjia-1-hyaline.jpg")
	missing := filepath.Join(t.TempDir(), "missing.png")

	for _, tc := range []struct {
		name      string
		args      []string
		mode      string
		scannable any // nil: null
		need      bool
	}{
		{"blocks that scan", []string{qr, "--graphics", "blocks", "--cols", "80"}, "blocks", true, false},
		{"blocks too small", []string{qr, "--graphics", "blocks", "--cols", "12"}, "blocks", false, true},
		{"sixel", []string{qr, "--graphics", "sixel", "--cols", "40"}, "sixel", nil, false},
		{"kitty, a real round code that is a PNG named .jpg", []string{round, "--graphics", "kitty", "--cols", "30"}, "kitty", nil, false},
		{"none", []string{qr, "--graphics", "none"}, "none", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := previewRun(t, append(tc.args, "--json")...)
			require.Equal(t, exitOK, code, stderr)
			assert.NotContains(t, stdout, "\x1b", "nothing is drawn")
			a := previewJSONOut(t, stdout)
			require.Len(t, a, 1)
			m := a[0]
			assert.Equal(t, tc.args[0], m["file"])
			assert.Equal(t, tc.mode, m["mode"])
			assert.Equal(t, tc.scannable, m["scannable"])
			_, hasNeed := m["need"]
			assert.Equal(t, tc.need, hasNeed)
			assert.Greater(t, m["image_width"], 0.0)
			if tc.mode != "none" {
				assert.Greater(t, m["cols"], 0.0)
				assert.Greater(t, m["rows"], 0.0)
				assert.Greater(t, m["width"], 0.0)
				assert.Greater(t, m["height"], 0.0)
			}
			if tc.need {
				n := m["need"].(map[string]any)
				assert.Greater(t, n["cols"], 12.0)
			}
			if strings.Contains(tc.name, "PNG named .jpg") {
				assert.Equal(t, "png", m["format"])
				assert.Equal(t, 280.0, m["image_width"])
			}
			assert.Empty(t, stderr, "the scan note is in the JSON, not on stderr")
		})
	}

	// Several files: one element each, in order; one that cannot be read
	// carries its error and the exit is 2, as when drawing.
	code, stdout, _ := previewRun(t, qr, missing, "--graphics", "blocks", "--cols", "60", "--json")
	assert.Equal(t, exitUsage, code)
	a := previewJSONOut(t, stdout)
	require.Len(t, a, 2)
	assert.Equal(t, qr, a[0]["file"])
	assert.NotContains(t, a[0], "error")
	assert.Equal(t, missing, a[1]["file"])
	assert.Contains(t, a[1]["error"], "cannot read")
	assert.Nil(t, a[1]["scannable"])
}
