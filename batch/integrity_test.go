package batch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/wechat"
)

// TestSwappedFile: a file under a row's name that is not that row's code is
// never re-blessed and never overwritten, whether or not the manifest still
// has the row's line: the row fails naming the file, and the file keeps its
// bytes.
func TestSwappedFile(t *testing.T) {
	for _, tc := range []struct {
		name         string
		dropManifest bool   // the manifest line was lost too (killed before it)
		junk         []byte // what replaces the file; nil: another row's code
		calls        int64  // calls of the second run
	}{
		{name: "another row's code, manifest kept", calls: 0},
		{name: "another row's code, manifest lost", dropManifest: true, calls: 3},
		{name: "not an image, manifest kept", junk: []byte("not a code"), calls: 0},
		{name: "not an image, manifest lost", dropManifest: true, junk: []byte("not a code"), calls: 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := writeInput(t, "rows.csv", csvRows(3, "", nil))
			out := t.TempDir()
			_, err := Run(context.Background(), fastOpts(in, out, newFake()))
			require.NoError(t, err)
			m := readManifest(t, out)
			require.Len(t, m, 3)
			victim := filepath.Join(out, m[0].File)
			swap := tc.junk
			if swap == nil {
				swap, err = os.ReadFile(filepath.Join(out, m[1].File))
				require.NoError(t, err)
			}
			require.NoError(t, os.WriteFile(victim, swap, 0o644))
			if tc.dropManifest {
				require.NoError(t, os.Remove(filepath.Join(out, ManifestName)))
			}

			g := newFake()
			sum, err := Run(context.Background(), fastOpts(in, out, g))
			require.NoError(t, err)
			assert.Equal(t, 1, sum.Failed)
			assert.EqualValues(t, tc.calls, g.calls.Load())
			got, err := os.ReadFile(victim)
			require.NoError(t, err)
			assert.Equal(t, swap, got, "the file is untouched")
			failed, err := os.ReadFile(filepath.Join(out, "failed.csv"))
			require.NoError(t, err)
			assert.Contains(t, string(failed), m[0].File)
			assert.Contains(t, string(failed), "never overwrites")
			for _, e := range readManifest(t, out) {
				if e.Key == m[0].Key {
					assert.Equal(t, m[0], e, "no new manifest line re-blesses the swapped file")
				}
			}
		})
	}
}

// TestSwappedFileKeepsItsOwnManifestLineOnly: with the manifest kept, the
// line of the swapped row stays (it is history), and no new line is added.
func TestSwappedFileKeepsItsOwnManifestLineOnly(t *testing.T) {
	in := writeInput(t, "rows.csv", csvRows(2, "", nil))
	out := t.TempDir()
	_, err := Run(context.Background(), fastOpts(in, out, newFake()))
	require.NoError(t, err)
	m := readManifest(t, out)
	other, err := os.ReadFile(filepath.Join(out, m[1].File))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(out, m[0].File), other, 0o644))
	_, err = Run(context.Background(), fastOpts(in, out, newFake()))
	require.NoError(t, err)
	assert.Equal(t, m, readManifest(t, out))
}

// TestFailedFileIsReplacedOnlyByACompleteRun: an interrupted run (with or
// without failed rows of its own) keeps the previous failed file byte for
// byte and leaves no temporary file; a complete run replaces it, or removes
// it when nothing failed.
func TestFailedFileIsReplacedOnlyByACompleteRun(t *testing.T) {
	const n = 30
	in := writeInput(t, "rows.csv", csvRows(n, "", nil))
	for _, tc := range []struct {
		name      string
		failAgain bool // the interrupted run has failed rows too
	}{
		{name: "interrupted run without failures"},
		{name: "interrupted run with failures", failAgain: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			g := newFake()
			g.final = failScenes("id=3", "id=7")
			sum, err := Run(context.Background(), fastOpts(in, out, g))
			require.NoError(t, err)
			require.Equal(t, 2, sum.Failed)
			failedPath := filepath.Join(out, "failed.csv")
			before, err := os.ReadFile(failedPath)
			require.NoError(t, err)

			require.NoError(t, os.Remove(filepath.Join(out, ManifestName))) // make the second run call again
			removeImages(t, out)
			ctx, cancel := context.WithCancel(context.Background())
			g2 := newFake()
			if tc.failAgain {
				g2.final = failScenes("id=0", "id=1", "id=2")
			}
			g2.onCall = func(c int64) {
				if c == 10 {
					cancel()
				}
			}
			o := fastOpts(in, out, g2)
			o.Concurrency = 1
			_, err = Run(ctx, o)
			require.ErrorIs(t, err, context.Canceled)
			after, err := os.ReadFile(failedPath)
			require.NoError(t, err, "the previous failed file is kept")
			assert.Equal(t, before, after)
			assertNoTemps(t, out)

			// A complete run with nothing failing removes it.
			sum, err = Run(context.Background(), fastOpts(in, out, newFake()))
			require.NoError(t, err)
			assert.Zero(t, sum.Failed)
			assert.NoFileExists(t, failedPath)
			assertNoTemps(t, out)
		})
	}
}

// TestLockComesBeforeReadingTheManifest: while another run holds the folder
// and is mid-way through a line, a second run neither reads nor repairs the
// manifest: it stops at once, and the other run's half line stays.
func TestLockComesBeforeReadingTheManifest(t *testing.T) {
	in := writeInput(t, "rows.csv", csvRows(3, "", nil))
	out := t.TempDir()
	_, err := Run(context.Background(), fastOpts(in, out, newFake()))
	require.NoError(t, err)
	held, err := lockFolder(out)
	require.NoError(t, err)
	defer held.Close()
	mf, err := os.OpenFile(filepath.Join(out, ManifestName), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = mf.WriteString(`{"row":4,"key":"`) // the holder is writing this line
	require.NoError(t, err)
	require.NoError(t, mf.Close())
	before, err := os.ReadFile(filepath.Join(out, ManifestName))
	require.NoError(t, err)

	var warnings []string
	o := fastOpts(in, out, newFake())
	o.OnWarning = func(s string) { warnings = append(warnings, s) }
	_, err = Run(context.Background(), o)
	require.ErrorContains(t, err, "another wxacode batch is writing to this folder")
	after, err := os.ReadFile(filepath.Join(out, ManifestName))
	require.NoError(t, err)
	assert.Equal(t, before, after, "the other run's line is not cut")
	assert.Empty(t, warnings, "nothing was read")
}

func failScenes(scenes ...string) func(req wechat.Request) error {
	return func(req wechat.Request) error {
		body, _ := req.Body()
		for _, s := range scenes {
			if strings.Contains(string(body), `"scene":"`+s+`"`) {
				return &wechat.APIError{Code: 40097, Msg: "invalid args"}
			}
		}
		return nil
	}
}

// removeImages deletes the codes, keeping the manifest and the failed file.
func removeImages(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range ents {
		if n := e.Name(); n != ManifestName && !strings.HasPrefix(n, "failed.") {
			require.NoError(t, os.Remove(filepath.Join(dir, n)))
		}
	}
}

// assertNoTemps: no temporary file of any writer is left in dir.
func assertNoTemps(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range ents {
		assert.False(t, strings.HasSuffix(e.Name(), ".tmp"), "temporary file %s left", e.Name())
	}
}
