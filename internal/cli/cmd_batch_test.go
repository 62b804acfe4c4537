package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"wxacode/internal/wechattest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/batch"
	"wxacode/codefile"
	"wxacode/internal/testenv"
	"wxacode/wechat/sim"
)

func batchRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runOn(context.Background(), append([]string{"batch"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestBatchCommandUsageAndDryRun(t *testing.T) {
	testenv.Isolate(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "rows.csv")
	require.NoError(t, os.WriteFile(in, []byte("scene,page\nid=1,pages/index/index\nid=1,pages/index/index\nbad scene,\n"), 0o644))

	code, _, stderr := batchRun(t, "--in", in)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "--in FILE and --out DIR are both required")

	code, _, stderr = batchRun(t, "--in", in, "--out", dir, "--kind", "round")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "unknown kind")

	code, stdout, stderr := batchRun(t, "--in", in, "--out", filepath.Join(dir, "out"), "--dry-run")
	assert.Equal(t, exitUsage, code, "validation problems exit 2")
	assert.Contains(t, stdout, "row 3 (line 4): scene (character 4): a space is not allowed")
	assert.Contains(t, stderr, "1 row(s) have 1 problem(s); nothing was called")

	require.NoError(t, os.WriteFile(in, []byte("scene,page\nid=1,pages/index/index\nid=1,pages/index/index\n"), 0o644))
	code, stdout, _ = batchRun(t, "--in", in, "--out", filepath.Join(dir, "out"), "--dry-run")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, "rows 2, distinct 1, already done 0, would call 1; no problems found\n", stdout)
}

func TestBatchCommandOnTheBuiltInSimulator(t *testing.T) {
	testenv.Isolate(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "rows.csv")
	require.NoError(t, os.WriteFile(in, []byte("scene,page\nid=1,pages/index/index\nid=2,pages/nope/nope\n"), 0o644))
	out := filepath.Join(dir, "out")
	code, stdout, stderr := batchRun(t, "--in", in, "--out", out, "--sim", "--name", "{scene}.{ext}")
	assert.Equal(t, exitAPI, code, "a failed row exits 3: %s", stderr)
	assert.Contains(t, stdout, "written 1, skipped 0, failed 1\n")
	assert.FileExists(t, filepath.Join(out, "id=1.jpg"))
	b, err := os.ReadFile(filepath.Join(out, "failed.csv"))
	require.NoError(t, err)
	assert.Contains(t, string(b), "id=2,pages/nope/nope,41030,invalid page")
	assert.Contains(t, string(b), "not in the released version", "the hint column")

	require.NoError(t, os.WriteFile(in, []byte("scene,page\nid=1,pages/index/index\n"), 0o644))
	code, stdout, _ = batchRun(t, "--in", in, "--out", out, "--sim", "--name", "{scene}.{ext}")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "written 0, skipped 1, failed 0\n")
}

// countingSim counts code calls per request body.
type countingSim struct {
	h   http.Handler
	mu  sync.Mutex
	per map[string]int
	all int
}

func (c *countingSim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/wxa/") || strings.HasPrefix(r.URL.Path, "/cgi-bin/wxaapp/") {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		c.mu.Lock()
		c.per[string(b)]++
		c.all++
		c.mu.Unlock()
	}
	c.h.ServeHTTP(w, r)
}

// wrap puts the counter in front of the simulator (wechattest.WithMiddleware).
func (c *countingSim) wrap(next http.Handler) http.Handler {
	c.h = next
	return c
}

func (c *countingSim) snapshot() (map[string]int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := make(map[string]int, len(c.per))
	for k, v := range c.per {
		m[k] = v
	}
	return m, c.all
}

// manifestLines reads the complete lines of a manifest (a torn last one is left out).
func manifestLines(t *testing.T, path string) []codefile.ManifestEntry {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var out []codefile.ManifestEntry
	for l, err := range codefile.ReadManifest(bytes.NewReader(b), path) {
		require.NoError(t, err)
		if l.Err == nil { // a killed run's half line is no entry
			out = append(out, l.Entry)
		}
	}
	return out
}

// TestBatchResumesAfterSIGKILL runs `wxacode batch` as its own process (this
// test binary re-run as the command) against a simulator in this test process
// (so the simulator's call counts outlive the batch process), kills it with SIGKILL once some
// files have landed, runs it again with the same arguments and checks that
// it finishes to the same manifest a clean run gives, without calling again
// for any row finished before the kill.
func TestBatchResumesAfterSIGKILL(t *testing.T) {
	testenv.Isolate(t)
	// The child is this test binary re-run as `wxacode` (batchChild): the
	// same code as the built binary, without a minute of linking per run.

	cfg := sim.DefaultConfig()
	cfg.Faults.Latency = 40 * time.Millisecond // slow enough to kill it mid-run
	cs := &countingSim{per: map[string]int{}}
	env := wechattest.New(t, wechattest.Listen(), wechattest.WithSim(cfg), wechattest.WithMiddleware(cs.wrap))

	const rows, workers = 150, 4
	dir := t.TempDir()
	in := sceneRows(t, dir, rows)
	out := filepath.Join(dir, "out")
	manifest := filepath.Join(out, batch.ManifestName)
	args := []string{"batch", "--in", in, "--out", out, "--concurrency", fmt.Sprint(workers), "--base-url", env.BaseURL}
	creds := simCreds(env)

	cmd := batchChild(t, creds, args...)
	var firstOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &firstOut, &firstOut
	require.NoError(t, cmd.Start())
	waitForLines(t, cmd, &firstOut, manifest, 40)
	require.NoError(t, cmd.Process.Kill()) // SIGKILL: no clean-up runs
	_ = cmd.Wait()
	before := manifestLines(t, manifest)
	callsBefore, allBefore := cs.snapshot()
	require.Less(t, len(before), rows, "killed halfway, not after the end")
	t.Logf("killed after %d of %d rows landed (%d calls)", len(before), rows, allBefore)

	again := batchChild(t, creds, args...)
	t0 := time.Now()
	outb, err := again.CombinedOutput()
	t.Logf("resumed run: %s", time.Since(t0).Round(time.Millisecond))
	require.NoError(t, err, "%s", outb)
	var written, skipped, failed int
	_, err = fmt.Sscanf(string(outb[bytes.Index(outb, []byte("written ")):]), "written %d, skipped %d, failed %d", &written, &skipped, &failed)
	require.NoError(t, err, "%s", outb)
	assert.Equal(t, rows, written+skipped)
	assert.Zero(t, failed)
	// Rows whose manifest line was there are skipped without a call.
	assert.GreaterOrEqual(t, skipped, len(before))

	after := manifestLines(t, manifest)
	callsAfter, allAfter := cs.snapshot()
	require.Len(t, after, rows, "every row once in the manifest")
	assert.Equal(t, before, after[:len(before)], "the manifest was only appended to")
	for _, e := range before {
		assert.Equal(t, callsBefore[string(e.Params)], callsAfter[string(e.Params)],
			"row %d finished before the kill: not called again", e.Row)
	}
	// Called twice: the rows in flight at the kill, and files renamed into
	// place whose results still waited for the collector (a worker's and
	// the results channel's 2 per worker): each is adopted only after a
	// fresh call gave the same bytes.
	assert.LessOrEqual(t, allAfter, rows+3*workers, "at most the rows in flight at the kill were called twice")

	// The same manifest as a run never interrupted: same rows, files and hashes.
	clean := filepath.Join(dir, "clean")
	c := batchChild(t, creds, "batch", "--in", in, "--out", clean, "--concurrency", "8", "--base-url", env.BaseURL)
	outb, err = c.CombinedOutput()
	require.NoError(t, err, "%s", outb)
	type fileRow struct{ Key, File, SHA string }
	set := func(es []codefile.ManifestEntry) map[fileRow]bool {
		m := map[fileRow]bool{}
		for _, e := range es {
			m[fileRow{e.Key, e.File, e.SHA256}] = true
		}
		return m
	}
	assert.Equal(t, set(manifestLines(t, filepath.Join(clean, batch.ManifestName))), set(after))
	ents, err := os.ReadDir(out)
	require.NoError(t, err)
	assert.Len(t, ents, rows+1, "the images and the manifest, no temporary files")
}

// TestBatchChildProcess is not a test: it is `wxacode` when this test binary
// is started (batchChild, TestBatchResumesAfterSIGKILL) with WXACODE_TEST_CHILD=1.
func TestBatchChildProcess(t *testing.T) {
	if os.Getenv("WXACODE_TEST_CHILD") != "1" {
		t.Skip("helper process for the tests running wxacode batch as its own process")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(Run(context.Background(), args, os.Stdin, os.Stdout, os.Stderr))
}

// TestBatchStopsBeforeTheLifetimePool: with the ledger one code short of
// 100,000, two new limited codes stop the run before any call, unless --allow-quota.
func TestBatchStopsBeforeTheLifetimePool(t *testing.T) {
	home := testenv.Isolate(t)
	cs := &countingSim{per: map[string]int{}}
	env := wechattest.New(t, wechattest.Listen(), wechattest.WithMiddleware(cs.wrap))
	s, url := env.Sim, env.BaseURL
	t.Setenv("WXACODE_APPID", s.AppID())
	t.Setenv("WXACODE_SECRET", s.Secret())
	ledger := filepath.Join(home, "state", "wxacode", "quota-"+s.AppID()+".json")
	require.NoError(t, os.MkdirAll(filepath.Dir(ledger), 0o700))
	require.NoError(t, os.WriteFile(ledger, []byte(`{"version":1,"num_used":99999,"codes":{}}`), 0o600))
	in := filepath.Join(home, "rows.csv")
	require.NoError(t, os.WriteFile(in, []byte("kind,path\nlimited,pages/index/index?id=1\nqrcode,pages/index/index?id=2\n"), 0o644))
	out := filepath.Join(home, "out")

	code, _, stderr := batchRun(t, "--in", in, "--out", out, "--base-url", url)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "2 new limited code(s) on top of the 99999 already used")
	assert.Contains(t, stderr, "--allow-quota")
	_, calls := cs.snapshot()
	assert.Zero(t, calls)

	code, stdout, stderr := batchRun(t, "--in", in, "--out", out, "--base-url", url, "--allow-quota")
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "written 2, skipped 0, failed 0")
}
