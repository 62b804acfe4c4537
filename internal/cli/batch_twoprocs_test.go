package cli

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/batch"
	"wxacode/internal/testenv"
	"wxacode/internal/wechattest"
	"wxacode/wechat/sim"
)

// batchChild is `wxacode args...` as its own process: this test binary re-run
// as the command (TestBatchChildProcess).
func batchChild(t *testing.T, env []string, args ...string) *exec.Cmd {
	t.Helper()
	self, err := os.Executable()
	require.NoError(t, err)
	c := exec.Command(self, append([]string{"-test.run=^TestBatchChildProcess$", "--"}, args...)...)
	c.Env = append(append(os.Environ(), "WXACODE_TEST_CHILD=1"), env...)
	return c
}

// sceneRows writes an input of n distinct unlimited rows in dir.
func sceneRows(t *testing.T, dir string, n int) string {
	t.Helper()
	var input strings.Builder
	input.WriteString("scene,page\n")
	for i := range n {
		fmt.Fprintf(&input, "id=%d,pages/index/index\n", i)
	}
	in := filepath.Join(dir, "rows.csv")
	require.NoError(t, os.WriteFile(in, []byte(input.String()), 0o644))
	return in
}

// simCreds are the environment that points a child at env's simulator.
func simCreds(env *wechattest.Env) []string {
	return []string{"WXACODE_APPID=" + env.Sim.AppID(), "WXACODE_SECRET=" + env.Sim.Secret()}
}

// waitForLines waits until the running child has written n manifest lines;
// a child that makes no progress within a minute is killed and its output
// shown (read only once it has exited).
func waitForLines(t *testing.T, c *exec.Cmd, out *bytes.Buffer, manifest string, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		b, _ := os.ReadFile(manifest)
		if bytes.Count(b, []byte("\n")) >= n {
			return
		}
		if !time.Now().Before(deadline) {
			_ = c.Process.Kill()
			_ = c.Wait()
			require.FailNow(t, "no progress from the batch process", "%s", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestTwoBatchProcessesOnOneFolder runs two real `wxacode batch` processes on
// one --out against one simulator, the second started while the first is
// writing: every row ends in the manifest exactly once, no line is lost, and
// the simulator saw one call a row. The second stops at once, saying why,
// without reading or repairing the manifest under the first's feet.
func TestTwoBatchProcessesOnOneFolder(t *testing.T) {
	testenv.Isolate(t)
	cfg := sim.DefaultConfig()
	cfg.Faults.Latency = 20 * time.Millisecond // the first run is still writing when the second starts
	cs := &countingSim{per: map[string]int{}}
	env := wechattest.New(t, wechattest.Listen(), wechattest.WithSim(cfg), wechattest.WithMiddleware(cs.wrap))
	const rows = 120
	dir := t.TempDir()
	in := sceneRows(t, dir, rows)
	out := filepath.Join(dir, "out")
	manifest := filepath.Join(out, batch.ManifestName)
	creds := simCreds(env)
	args := []string{"batch", "--in", in, "--out", out, "--concurrency", "4", "--base-url", env.BaseURL}

	first := batchChild(t, creds, args...)
	var firstOut bytes.Buffer
	first.Stdout, first.Stderr = &firstOut, &firstOut
	require.NoError(t, first.Start())
	waitForLines(t, first, &firstOut, manifest, 10)
	second, err := batchChild(t, creds, args...).CombinedOutput()
	require.Error(t, err, "the second run must not run beside the first: %s", second)
	assert.Contains(t, string(second), "another wxacode batch is writing to this folder")
	require.NoError(t, first.Wait(), "%s", firstOut.String())
	assert.Contains(t, firstOut.String(), fmt.Sprintf("written %d, skipped 0, failed 0", rows))

	// Run again after the first is done: everything is there, nothing is called.
	again, err := batchChild(t, creds, args...).CombinedOutput()
	require.NoError(t, err, "%s", again)
	assert.Contains(t, string(again), fmt.Sprintf("written 0, skipped %d, failed 0", rows))

	lines := manifestLines(t, manifest)
	require.Len(t, lines, rows, "every row once in the manifest, no line lost")
	keys := map[string]bool{}
	for _, e := range lines {
		assert.False(t, keys[e.Key], "row %d twice in the manifest", e.Row)
		keys[e.Key] = true
	}
	per, all := cs.snapshot()
	assert.Equal(t, rows, all, "one call a row")
	for body, n := range per {
		assert.Equal(t, 1, n, "%s", body)
	}
}

// TestTwoBatchProcessesStartedAtOnce starts both on a folder that does not
// exist yet (each validates, then makes and locks it): whichever runs, every
// row is in the manifest once and called once, and a run that lost the race
// says why.
func TestTwoBatchProcessesStartedAtOnce(t *testing.T) {
	testenv.Isolate(t)
	cs := &countingSim{per: map[string]int{}}
	env := wechattest.New(t, wechattest.Listen(), wechattest.WithMiddleware(cs.wrap))
	const rows = 60
	dir := t.TempDir()
	in := sceneRows(t, dir, rows)
	out := filepath.Join(dir, "out")
	creds := simCreds(env)
	args := []string{"batch", "--in", in, "--out", out, "--base-url", env.BaseURL}

	cmds := []*exec.Cmd{batchChild(t, creds, args...), batchChild(t, creds, args...)}
	outs := []*bytes.Buffer{{}, {}}
	for i, c := range cmds {
		c.Stdout, c.Stderr = outs[i], outs[i]
		require.NoError(t, c.Start())
	}
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			assert.Contains(t, outs[i].String(), "another wxacode batch is writing to this folder")
		}
	}
	again, err := batchChild(t, creds, args...).CombinedOutput()
	require.NoError(t, err, "%s", again)
	lines := manifestLines(t, filepath.Join(out, batch.ManifestName))
	require.Len(t, lines, rows)
	keys := map[string]bool{}
	for _, e := range lines {
		assert.False(t, keys[e.Key], "row %d twice in the manifest", e.Row)
		keys[e.Key] = true
	}
	_, all := cs.snapshot()
	assert.Equal(t, rows, all, "one call a row")
}
