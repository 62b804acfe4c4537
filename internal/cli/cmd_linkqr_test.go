package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
)

func TestLinkQRWritesTheURL(t *testing.T) {
	testenv.Isolate(t)
	testenv.Tool(t, "zbarimg", "zbar-tools")
	dir := t.TempDir()
	url := "https://example.com/shop?id=42&from=poster"
	for _, tc := range []struct {
		file string
		args []string
		want string
	}{
		{"a.png", nil, "png 430x430"},
		{"b.jpg", []string{"--width", "600", "--ec", "H", "--margin", "4"}, "jpeg 600x600"},
		{"c.JPEG", []string{"--ec", "l", "--line-color", "#1a3d7c", "--background", "255,251,230"}, "jpeg 430x430"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			out := filepath.Join(dir, tc.file)
			code, stdout, stderr := runCLI(t, nil, append([]string{"linkqr", url, "-o", out}, tc.args...)...)
			require.Equal(t, 0, code, stderr)
			assert.Contains(t, stdout, out+": "+tc.want)
			assert.Empty(t, stderr)
			assert.Equal(t, url, testenv.Zbar(t, out, false))
		})
	}
	code, _, stderr := runCLI(t, nil, "linkqr", url, "-o", filepath.Join(dir, "m.png"), "--margin", "1")
	require.Equal(t, 0, code)
	assert.Contains(t, stderr, "warning: a quiet zone of 1 modules")
}

func TestLinkQRRefuses(t *testing.T) {
	testenv.Isolate(t)
	dir := t.TempDir()
	png := filepath.Join(dir, "x.png")
	long := "https://e.com/" + strings.Repeat("a", 1300)
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"no url", []string{"linkqr"}, []string{"give the URL to draw"}},
		{"two urls", []string{"linkqr", "https://a/", "https://b/", "-o", png}, []string{"one URL only"}},
		{"no output", []string{"linkqr", "https://e.com/"}, []string{"-o FILE is required"}},
		{"gif", []string{"linkqr", "https://e.com/", "-o", filepath.Join(dir, "x.gif")}, []string{"name it .png or .jpg"}},
		{"missing folder", []string{"linkqr", "https://e.com/", "-o", filepath.Join(dir, "no", "x.png")}, []string{"-o "}},
		{"scheme", []string{"linkqr", "weixin://dl/x", "-o", png}, []string{"http and https only"}},
		{"too long for H", []string{"linkqr", long, "-o", png, "--ec", "H"}, []string{"1314 bytes, more than the 1273", "use --ec Q"}},
		{"every flag bad", []string{"linkqr", "https://e.com/", "-o", png, "--width", "x", "--margin", "-1", "--ec", "Z", "--line-color", "red", "--background", "#12"},
			[]string{`--width "x": give a whole number`, "margin: -1 is outside", `--ec: error-correction level "Z"`, `--line-color: "red"`, `--background: "#12"`}},
		{"width 0", []string{"linkqr", "https://e.com/", "-o", png, "--width", "0"}, []string{"--width 0"}},
		{"too small", []string{"linkqr", long, "-o", png, "--ec", "L", "--width", "100"}, []string{"100 px is too small", "use --width"}},
		{"inverted", []string{"linkqr", "https://e.com/", "-o", png, "--line-color", "#fff", "--background", "#000"}, []string{"inverted"}},
		{"explain no url", []string{"linkqr", "explain"}, []string{"exactly one URL"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, nil, tc.args...)
			assert.Equal(t, 2, code, stderr)
			assert.Empty(t, stdout)
			for _, w := range tc.want {
				assert.Contains(t, stderr, w)
			}
			_, err := os.Stat(png)
			assert.True(t, os.IsNotExist(err), "nothing is written")
		})
	}
}

func TestLinkQRExplain(t *testing.T) {
	testenv.Isolate(t)
	code, stdout, stderr := runCLI(t, nil, "linkqr", "explain", "https://www.qq.com/a/b/123?x=%E4%B8%AD", "--rule", "https://www.qq.com/a/b")
	require.Equal(t, 0, code, stderr)
	for _, w := range []string{
		`onLoad(query):                   { q: "https%3A%2F%2Fwww.qq.com%2Fa%2Fb%2F123%3Fx%3D%25E4%25B8%25AD", scancode_time: "`,
		`decodeURIComponent(query.q):     "https://www.qq.com/a/b/123?x=%E4%B8%AD" (identical to the link)`,
		`1. "x" = "%E4%B8%AD" → "中"`,
		"the link does NOT match", "规则没有以/结尾",
		"1011  scan a QR code", "1012", "1013",
		"if (!query.q) return",
	} {
		assert.Contains(t, stdout, w)
	}

	code, stdout, _ = runCLI(t, nil, "linkqr", "explain", "https://wx.qq.com/mp?id=1234", "--rule", "https://wx.qq.com/mp?id=123", "--json")
	require.Equal(t, 0, code)
	var l struct {
		Q            string `json:"q"`
		ScancodeTime string `json:"scancode_time"`
		Rule         struct {
			Matches bool   `json:"matches"`
			How     string `json:"how"`
		} `json:"rule"`
		SubRules []string `json:"sub_rules"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &l))
	assert.Equal(t, "https%3A%2F%2Fwx.qq.com%2Fmp%3Fid%3D1234", l.Q)
	_, err := strconv.ParseInt(l.ScancodeTime, 10, 64)
	assert.NoError(t, err, "seconds")
	assert.True(t, l.Rule.Matches)
	assert.Equal(t, "query-prefix", l.Rule.How)
	assert.Len(t, l.SubRules, 2)

	code, stdout, _ = runCLI(t, nil, "linkqr", "explain", "https://e.com/\xff")
	assert.Equal(t, 2, code)
	assert.Contains(t, stdout, "not valid UTF-8")
}
