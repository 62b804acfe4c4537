package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sceneRun runs `wxacode scene args…` through run() and captures its streams.
func sceneRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = runOn(context.Background(), append([]string{"scene"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func sceneJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(s), &m), s)
	return m
}

func TestSceneCheck(t *testing.T) {
	code, out, _ := sceneRun(t, "check", "id=42&from=poster")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, "OK: \"id=42&from=poster\" is a valid scene (17/32 characters)\n", out)

	code, out, _ = sceneRun(t, "check", "a b%中")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, out, "3 problem(s)")
	assert.Contains(t, out, "scene (character 2): a space is not allowed")
	assert.Contains(t, out, "scene (character 4)")
	assert.Contains(t, out, "scene (character 5)")
	assert.Contains(t, out, "[errcode 40129]")

	code, out, _ = sceneRun(t, "check", strings.Repeat("x", 33))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, out, "33 characters")

	code, out, _ = sceneRun(t, "check", "")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, out, "empty")

	code, out, _ = sceneRun(t, "check", "a b", "--json")
	assert.Equal(t, exitUsage, code)
	m := sceneJSON(t, out)
	assert.Equal(t, false, m["valid"])
	assert.Equal(t, float64(3), m["length"])
	p := m["problems"].([]any)[0].(map[string]any)
	assert.Equal(t, float64(2), p["pos"])
	assert.Equal(t, float64(40129), p["code"])

	code, out, _ = sceneRun(t, "--json", "check", "ok") // flags before the subcommand are not flags of it
	assert.Equal(t, exitUsage, code)
	_ = out
	code, out, _ = sceneRun(t, "check", "--json", "ok")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, true, sceneJSON(t, out)["valid"])
}

func TestSceneEncodeDecode(t *testing.T) {
	code, out, _ := sceneRun(t, "encode", "a b~'!()*&=中")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, "a%20b~'!()*%26%3D%E4%B8%AD\n", out)

	code, out, _ = sceneRun(t, "decode", "a%20b+%E4%B8%AD")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, "a b+中\n", out)

	code, out, errs := sceneRun(t, "decode", "%E4%B8")
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, out)
	assert.Contains(t, errs, "URIError")
	assert.Contains(t, errs, "byte 0")
	assert.Contains(t, errs, "wxacode scene analyze")

	code, out, _ = sceneRun(t, "decode", "--json", "x%ZZ")
	assert.Equal(t, exitUsage, code)
	m := sceneJSON(t, out)
	assert.Equal(t, "bad_escape", m["error_kind"])
	assert.Equal(t, float64(1), m["error_pos"])

	code, out, _ = sceneRun(t, "encode", "id=1", "--json")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, map[string]any{"input": "id=1", "output": "id%3D1"}, sceneJSON(t, out))

	code, _, errs = sceneRun(t, "encode", "\xff")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, "UTF-8")

	// A scene starting with - goes after --.
	code, out, _ = sceneRun(t, "encode", "--", "-x=1")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, "-x%3D1\n", out)
}

func TestSceneExplain(t *testing.T) {
	code, out, _ := sceneRun(t, "explain", "id=42&id=", "--page", "pages/item/item")
	assert.Equal(t, exitOK, code)
	for _, want := range []string{
		"scene \"id=42&id=\", page pages/item/item",
		"query.scene is \"id%3D42%26id%3D\"",
		"decodeURIComponent(query.scene): \"id=42&id=\" (identical to the scene sent)",
		"duplicate key",
		"empty value",
		"1047  scan",
		"1048",
		"1049",
		"wx.getLaunchOptionsSync().query.scene",
		"Entry scene (options.scene, a number: not your scene string)",
	} {
		assert.Contains(t, out, want)
	}

	code, out, _ = sceneRun(t, "explain", "--page=pages/a/a", "x=1", "--json")
	assert.Equal(t, exitOK, code)
	m := sceneJSON(t, out)
	assert.Equal(t, "x%3D1", m["query_scene"])
	assert.Equal(t, "pages/a/a", m["page"])

	code, out, _ = sceneRun(t, "explain", "a b")
	assert.Equal(t, exitOK, code, "explain explains, even what WeChat would refuse")
	assert.Contains(t, out, "WeChat would refuse")
	assert.Contains(t, out, "(home page)")

	code, out, _ = sceneRun(t, "explain", "--path", "?foo=bar", "--kind", "qrcode")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, `{ foo: "bar" }`)
	assert.Contains(t, out, "1011")
	assert.Contains(t, out, "[unverified for this code]")

	code, _, errs := sceneRun(t, "explain", "x", "--path", "pages/a")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, "takes no scene")
	code, _, _ = sceneRun(t, "explain", "--path", "p", "--kind", "unlimited")
	assert.Equal(t, exitUsage, code)
}

func TestSceneDevTools(t *testing.T) {
	code, out, _ := sceneRun(t, "devtools", "?duid=2&fif=4", "--page", "pages/a/a")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "Launch parameter (启动参数): scene=%3Fduid%3D2%26fif%3D4\n")
	assert.Contains(t, out, "Entry scene (进入场景):      1047\n")
	assert.Contains(t, out, "Pitfall:")
	assert.Contains(t, out, "Page({")
	assert.Contains(t, out, "wx.getLaunchOptionsSync()")
	assert.Contains(t, out, "searchQuery")

	code, out, _ = sceneRun(t, "devtools", "--json", "id=1")
	assert.Equal(t, exitOK, code)
	m := sceneJSON(t, out)
	assert.Equal(t, "scene=id%3D1", m["launch_param"])
	assert.Equal(t, float64(1047), m["entry_scene"])
	assert.Contains(t, m["page_snippet"], "decodeURIComponent(query.scene")
}

func TestSceneAnalyze(t *testing.T) {
	code, out, _ := sceneRun(t, "analyze", "id%253D42")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "double_encoded")
	assert.Contains(t, out, `Result: "id=42" (decoded 2 time(s))`)

	code, out, _ = sceneRun(t, "analyze", "scene=a=1&b=2")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, out, "cut_at_equals")
	assert.Contains(t, out, "scene=a%3D1%26b%3D2")

	code, out, _ = sceneRun(t, "analyze", "%E4%B8", "--json")
	assert.Equal(t, exitUsage, code)
	m := sceneJSON(t, out)
	assert.Equal(t, "undecodable", m["findings"].([]any)[0].(map[string]any)["kind"])
}

func TestSceneFit(t *testing.T) {
	payload := "productId=12345678901&channel=wechat&from=poster"
	code, out, _ := sceneRun(t, "fit", payload)
	assert.Equal(t, exitOK, code)
	for _, want := range []string{
		"48 characters",
		"(a) short_keys: p=12345678901&c=wechat&f=poster  (31/32 characters)",
		"keys: productId → p, channel → c, from → f",
		"(b) positional: 12345678901,wechat,poster",
		"(c) base62: p=DTVD3F&c=wechat&f=poster",
		"(d) mapping_id:",
		"cost: a server lookup",
		"add --map FILE.csv",
	} {
		assert.Contains(t, out, want)
	}

	code, out, _ = sceneRun(t, "fit", "id=42")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "already fits")

	dir := t.TempDir()
	file := filepath.Join(dir, "scenes.csv")
	code, out, _ = sceneRun(t, "fit", payload, "--map", file)
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "appended to "+file)
	first, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(first), "id,payload\n"))
	assert.Contains(t, string(first), ","+payload+"\n")

	code, out, _ = sceneRun(t, "fit", "--map", file, payload, "--json")
	assert.Equal(t, exitOK, code)
	m := sceneJSON(t, out)
	mp := m["map"].(map[string]any)
	assert.Equal(t, true, mp["existing"])
	assert.Equal(t, false, mp["appended"])
	again, _ := os.ReadFile(file)
	assert.Equal(t, first, again, "re-running adds no duplicate row")
	assert.Len(t, m["proposals"], 4)

	code, out, _ = sceneRun(t, "fit", "名称=小程序码", "--map", filepath.Join(dir, "m.jsonl"), "--dry-run")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "dry run: would append")
	_, err = os.Stat(filepath.Join(dir, "m.jsonl"))
	assert.True(t, os.IsNotExist(err))

	code, _, errs := sceneRun(t, "fit", payload, "--map", filepath.Join(dir, "m.txt"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, ".csv")

	code, _, errs = sceneRun(t, "fit", "")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, "empty")
}

func TestSceneUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"nope", "x"},
		{"check"},
		{"check", "a", "b"},
		{"check", "a", "--page", "p"}, // check takes no --page
		{"explain", "a", "--page"},    // missing value
		{"encode", "-x"},              // unknown flag
		{"fit", "a", "--json=maybe"},
	} {
		code, out, errs := sceneRun(t, args...)
		assert.Equal(t, exitUsage, code, "%q", args)
		assert.Empty(t, out, "%q", args)
		assert.NotEmpty(t, errs, "%q", args)
	}
	_, _, errs := sceneRun(t, "encode", "-a=1")
	assert.Contains(t, errs, "a value starting with - goes after --", "a scene may start with -")
	code, out, _ := sceneRun(t, "--help")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "wxacode scene check S")
	code, out, _ = sceneRun(t, "fit", "--help")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "--map FILE")
}
