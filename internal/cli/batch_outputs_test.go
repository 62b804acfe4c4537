package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
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
