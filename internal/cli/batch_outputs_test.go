package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/codefile"
	"wxacode/codeimage"
	"wxacode/internal/testenv"
	"wxacode/internal/wechattest"
	"wxacode/wechat"
)

var dryRunKeys = []string{"rows", "distinct", "already_done", "would_call", "invalid_rows", "problem_count", "problems", "error"}

func TestBatchDryRunJSON(t *testing.T) {
	testenv.Isolate(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "rows.csv")
	out := filepath.Join(dir, "out")

	require.NoError(t, os.WriteFile(in, []byte("scene,page\nid=1,pages/index/index\nid=1,pages/index/index\nid=2,\n"), 0o644))
	code, stdout, stderr := batchRun(t, "--in", in, "--out", out, "--dry-run", "--json")
	require.Equal(t, exitOK, code, stderr)
	m := decodeJSON(t, stdout)
	assert.ElementsMatch(t, dryRunKeys, keys(m))
	assert.Equal(t, map[string]any{"rows": 3.0, "distinct": 2.0, "already_done": 0.0, "would_call": 2.0, "invalid_rows": 0.0,
		"problem_count": 0.0, "problems": []any{}, "error": nil}, m)
	assert.NoDirExists(t, out, "a dry run makes nothing")

	// Invalid rows: every problem, as objects, and exit 2 with the report on stderr.
	require.NoError(t, os.WriteFile(in, []byte("scene,page\nid=1,pages/index/index\nbad scene,\nx,/p\n"), 0o644))
	code, stdout, stderr = batchRun(t, "--in", in, "--out", out, "--dry-run", "--json")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "2 row(s) have 2 problem(s); nothing was called")
	m = decodeJSON(t, stdout)
	assert.ElementsMatch(t, dryRunKeys, keys(m))
	assert.Equal(t, 3.0, m["rows"])
	assert.Equal(t, 2.0, m["invalid_rows"])
	assert.Equal(t, 2.0, m["problem_count"])
	assert.Contains(t, m["error"], "nothing was called")
	ps, _ := m["problems"].([]any)
	require.Len(t, ps, 2)
	p0 := ps[0].(map[string]any)
	assert.Equal(t, 2.0, p0["row"])
	assert.Equal(t, 3.0, p0["line"])
	assert.Contains(t, p0["problem"], "scene (character 4): a space is not allowed")
	assert.NotContains(t, stdout, "row 2 (line 3)", "no text lines among the JSON")

	// --json describes a dry run; a real run's record is its manifest.
	code, stdout, stderr = batchRun(t, "--in", in, "--out", out, "--json")
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "--json goes with --dry-run")
}

// TestBatchFlatten: --flatten draws the hyaline rows onto the colour in
// the format of each name, keeps WeChat's sha256 in the manifest, leaves
// opaque rows as they came, and a second run resumes (the flattened
// files' sha256 is what the manifest proves).
func TestBatchFlatten(t *testing.T) {
	testenv.Isolate(t)
	testenv.Tool(t, "zbarimg", "zbar-tools") // before any call: the files are scanned below
	dir := t.TempDir()
	in := filepath.Join(dir, "rows.csv")
	out := filepath.Join(dir, "out")
	require.NoError(t, os.WriteFile(in, []byte("scene,hyaline,file\n"+
		"id=1,true,one.jpg\n"+
		"id=2,true,two.png\n"+
		"id=3,true,\n"+ // {hash}.{ext}: PNG
		"id=4,false,four.jpg\n"), 0o644))
	args := []string{"--in", in, "--out", out, "--sim", "--page", "pages/index/index", "--check-path=false", "--flatten", "#fff8e7"}
	code, stdout, stderr := batchRun(t, args...)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "written 4, skipped 0, failed 0")

	lines := manifestLines(t, filepath.Join(out, "manifest.jsonl"))
	require.Len(t, lines, 4)
	byScene := map[string]codefile.ManifestEntry{}
	for _, e := range lines {
		var p struct{ Scene string }
		require.NoError(t, json.Unmarshal(e.Params, &p))
		byScene[p.Scene] = e
	}
	for _, tc := range []struct {
		scene  string
		format codeimage.Format
		flat   bool
	}{{"id=1", codeimage.JPEG, true}, {"id=2", codeimage.PNG, true}, {"id=3", codeimage.PNG, true}, {"id=4", codeimage.JPEG, false}} {
		e := byScene[tc.scene]
		data, err := os.ReadFile(filepath.Join(out, e.File))
		require.NoError(t, err, tc.scene)
		img, f, err := codeimage.Decode(data, codeimage.File)
		require.NoError(t, err)
		assert.Equal(t, tc.format, f, tc.scene)
		assert.Equal(t, string(tc.format), e.Format, tc.scene)
		assert.Equal(t, codefile.ContentSHA256(data), e.SHA256, "the manifest's sha256 is the file's")
		assert.False(t, codeimage.HasAlpha(img), tc.scene)
		if !tc.flat {
			assert.Nil(t, e.Flattened, "an opaque row is saved as it came")
			continue
		}
		orig, want := wechattest.Code(t, wechat.UnlimitedRequest{Scene: tc.scene, IsHyaline: true})
		require.NotNil(t, e.Flattened, tc.scene)
		assert.Equal(t, codefile.Flattened{Background: "#fff8e7", OriginalFormat: "png", OriginalBytes: len(orig),
			OriginalSHA256: codefile.ContentSHA256(orig)}, *e.Flattened, tc.scene)
		assert.Equal(t, want, testenv.Zbar(t, filepath.Join(out, e.File), false), "zbarimg decodes %s", e.File)
	}
	assert.Equal(t, "one.jpg", byScene["id=1"].File)
	assert.Equal(t, "two.png", byScene["id=2"].File)
	assert.Regexp(t, `^[0-9a-f]{16}\.png$`, byScene["id=3"].File)

	code, stdout, stderr = batchRun(t, args...)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "written 0, skipped 4, failed 0", "resumed: the flattened files are what the manifest says")

	// A template ending in a literal .jpg asks for JPEG ({ext} would be png).
	out2 := filepath.Join(dir, "out2")
	require.NoError(t, os.WriteFile(in, []byte("scene\nid=5\n"), 0o644))
	code, _, stderr = batchRun(t, "--in", in, "--out", out2, "--sim", "--check-path=false", "--hyaline", "--flatten", "white", "--name", "{scene}.jpg")
	require.Equal(t, exitOK, code, stderr)
	data, err := os.ReadFile(filepath.Join(out2, "id=5.jpg"))
	require.NoError(t, err)
	_, f, err := codeimage.Decode(data, codeimage.File)
	require.NoError(t, err)
	assert.Equal(t, codeimage.JPEG, f)
	assert.NotNil(t, manifestLines(t, filepath.Join(out2, "manifest.jsonl"))[0].Flattened)

	code, _, stderr = batchRun(t, "--in", in, "--out", out, "--flatten", "beige", "--dry-run")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, `--flatten "beige" is not a colour`)
}
