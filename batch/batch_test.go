package batch

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"image"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/codefile"
	"wxacode/troubleshoot"
	"wxacode/wechat"
)

func writeInput(t testing.TB, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

func readManifest(t *testing.T, dir string) []codefile.ManifestEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, ManifestName))
	require.NoError(t, err)
	defer f.Close()
	var out []codefile.ManifestEntry
	for l, err := range codefile.ReadManifest(f, ManifestName) {
		require.NoError(t, err)
		require.NoError(t, l.Err)
		require.False(t, l.Torn, "line %d has no newline", l.Line)
		out = append(out, l.Entry)
	}
	return out
}

// assertOnlyWholeImages checks the promise made to NFS and CDN readers: the
// folder holds the manifest, the failed file and complete images, nothing else.
func assertOnlyWholeImages(t *testing.T, dir string) int {
	t.Helper()
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	n := 0
	for _, e := range ents {
		name := e.Name()
		if name == ManifestName || strings.HasPrefix(name, "failed.") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		_, _, err = image.Decode(bytes.NewReader(b))
		require.NoError(t, err, "%s is not a whole image", name)
		n++
	}
	return n
}

func fastOpts(in, out string, g Generator) Options {
	return Options{In: in, Out: out, Generator: g, Concurrency: 4, Backoff: time.Millisecond,
		Base: wechat.Params{Kind: wechat.KindUnlimited}}
}

func TestRunWritesEveryRowOnceAndSkipsDuplicates(t *testing.T) {
	in := writeInput(t, "rows.csv", csvRows(50, "", nil)+"id=3,pages/index/index\nid=7,pages/index/index\n")
	out := filepath.Join(t.TempDir(), "out")
	g := newFake()
	sum, err := Run(context.Background(), fastOpts(in, out, g))
	require.NoError(t, err)
	assert.Equal(t, 52, sum.Total)
	assert.Equal(t, 50, sum.Written)
	assert.Equal(t, 2, sum.Skipped)
	assert.Equal(t, 2, sum.Duplicates)
	assert.Zero(t, sum.Failed)
	assert.EqualValues(t, 50, g.calls.Load(), "duplicates are not called")
	assert.Equal(t, "written 50, skipped 2, failed 0", sum.String())
	m := readManifest(t, out)
	require.Len(t, m, 50)
	for _, e := range m {
		assert.Regexp(t, `^[0-9a-f]{16}\.jpg$`, e.File)
		assert.Equal(t, "jpeg", e.Format)
		assert.Len(t, e.SHA256, 64)
		assert.False(t, e.Received.IsZero())
	}
	assert.Equal(t, 50, assertOnlyWholeImages(t, out))
	assert.NoFileExists(t, filepath.Join(out, "failed.csv"))
}

func TestRunTemplateNamesAndFileColumn(t *testing.T) {
	in := writeInput(t, "rows.jsonl", `{"scene":"a=1","page":"pages/x/y","width":300}
{"scene":"b/2","hyaline":true}
{"scene":"c","file":"mine"}
{"scene":"d","file":"d.png"}
`)
	out := t.TempDir()
	o := fastOpts(in, out, newFake())
	o.Name = "{page}_{scene}_{width}.{ext}"
	sum, err := Run(context.Background(), o)
	require.NoError(t, err)
	assert.Equal(t, 4, sum.Written)
	for _, f := range []string{"pages-x-y_a=1_8.jpg", "home_b-2_8.png", "mine.jpg", "d.jpg"} {
		assert.FileExists(t, filepath.Join(out, f))
	}
}

func TestRunFaultsEveryRowAccountedForAndNoPartialFile(t *testing.T) {
	const n = 300
	in := writeInput(t, "rows.csv", csvRows(n, "", nil))
	out := t.TempDir()
	g := newFake()
	g.minusOne, g.trunc, g.http503 = 0.10, 0.05, 0.03
	o := fastOpts(in, out, g)
	o.Retries = 8
	sum, err := Run(context.Background(), o)
	require.NoError(t, err)
	assert.Equal(t, n, sum.Written+sum.Skipped+sum.Failed, "every row ends in exactly one state")
	assert.Equal(t, n, sum.Written, "transient faults are retried until they pass")
	assert.Greater(t, sum.Calls, n, "faults were injected and retried")
	assert.Equal(t, n, assertOnlyWholeImages(t, out))
	assert.Len(t, readManifest(t, out), n)
}

func TestRunFinalErrcodeGoesToFailedFileThatFeedsBack(t *testing.T) {
	in := writeInput(t, "rows.csv", "scene,page,width\nid=1,pages/ok/ok,300\nid=2,pages/gone/gone,300\n")
	out := t.TempDir()
	g := newFake()
	g.final = func(r wechat.Request) error {
		if wechat.ParamsOf(r).Page == "pages/gone/gone" {
			return &wechat.APIError{Code: 41030, Msg: "invalid page", RID: "663b1af7-1f2e3d4c-5b6a7988"}
		}
		return nil
	}
	o := fastOpts(in, out, g)
	o.Hint = func(code int) string { return map[int]string{41030: "page not in the released version"}[code] }
	sum, err := Run(context.Background(), o)
	require.NoError(t, err)
	assert.Equal(t, 1, sum.Written)
	assert.Equal(t, 1, sum.Failed)
	assert.EqualValues(t, 2, g.calls.Load(), "other errcodes are final: no retry")
	require.Equal(t, filepath.Join(out, "failed.csv"), sum.FailedFile)
	f, err := os.Open(sum.FailedFile)
	require.NoError(t, err)
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	require.NoError(t, err)
	assert.Equal(t, [][]string{
		{"scene", "page", "width", "errcode", "errmsg", "hint"},
		{"id=2", "pages/gone/gone", "300", "41030", "invalid page (rid 663b1af7-1f2e3d4c-5b6a7988)", "page not in the released version"},
	}, recs)

	// Fixed upstream (the page is released now): feed the failed file back.
	g.final = nil
	o.In = sum.FailedFile
	sum2, err := Run(context.Background(), o)
	require.NoError(t, err)
	assert.Equal(t, 1, sum2.Written)
	assert.Zero(t, sum2.Failed)
	assert.NoFileExists(t, filepath.Join(out, "failed.csv"), "nothing failed this time")
	assert.Len(t, readManifest(t, out), 2)
}

func TestRunJSONLFailedFileKeepsRawValues(t *testing.T) {
	in := writeInput(t, "rows.jsonl", `{"scene":"x","width":300,"check_path":false}`+"\n")
	out := t.TempDir()
	g := newFake()
	g.final = func(wechat.Request) error { return &wechat.APIError{Code: 41030, Msg: "invalid page"} }
	sum, err := Run(context.Background(), fastOpts(in, out, g))
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(out, "failed.jsonl"))
	require.NoError(t, err)
	h, _ := troubleshoot.HintFor(41030)
	hint, _ := json.Marshal(h.Title)
	assert.JSONEq(t, `{"scene":"x","width":300,"check_path":false,"errcode":41030,"errmsg":"invalid page","hint":`+string(hint)+`}`, string(b))
	assert.Equal(t, 1, sum.Failed)
}

func TestRunValidatesEveryRowBeforeAnyCall(t *testing.T) {
	in := writeInput(t, "rows.csv", "scene,page,width\nid=1,pages/a/a,\nid 2 3,/pages/a,99\nok,,wide\n")
	out := t.TempDir()
	g := newFake()
	var probs []RowProblem
	o := fastOpts(in, out, g)
	o.OnProblem = func(p RowProblem) { probs = append(probs, p) }
	_, err := Run(context.Background(), o)
	var ie *InvalidError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 2, ie.Rows)
	assert.Zero(t, g.calls.Load(), "nothing is called when any row is invalid")
	var rows []int
	var text []string
	for _, p := range probs {
		rows = append(rows, p.Row)
		text = append(text, p.String())
	}
	assert.Equal(t, []int{2, 2, 2, 3}, rows)
	assert.Contains(t, text[0], "row 2 (line 3): scene (characters 3 and 5): a space is not allowed")
	assert.Contains(t, text[3], `width: "wide" is not a whole number`)
	assert.NoFileExists(t, filepath.Join(out, ManifestName))
}

func TestDryRunCountsAndCallsNothing(t *testing.T) {
	in := writeInput(t, "rows.tsv", "scene\tpage\nid=1\tpages/a/a\nid=1\tpages/a/a\nid=2\tpages/a/a\n")
	out := filepath.Join(t.TempDir(), "not-yet")
	g := newFake()
	o := fastOpts(in, out, g)
	o.DryRun = true
	sum, err := Run(context.Background(), o)
	require.NoError(t, err)
	assert.Equal(t, 3, sum.Total)
	assert.Equal(t, 2, sum.DistinctRows)
	assert.Equal(t, 2, sum.WouldCall)
	assert.Zero(t, g.calls.Load())
	assert.NoDirExists(t, out, "a dry run writes nothing")
}

func TestResumeSkipsWhatTheManifestProvesAndRepairsATornLine(t *testing.T) {
	const n = 40
	in := writeInput(t, "rows.csv", csvRows(n, "", nil))
	out := t.TempDir()
	g := newFake()
	ctx, cancel := context.WithCancel(context.Background())
	g.onCall = func(c int64) {
		if c == 15 {
			cancel() // interrupted mid-run
		}
	}
	o := fastOpts(in, out, g)
	o.Concurrency = 2
	sum, err := Run(ctx, o)
	require.ErrorIs(t, err, context.Canceled)
	assert.Positive(t, sum.Pending)
	first := readManifest(t, out)
	require.NotEmpty(t, first)
	// A kill in the middle of a manifest write leaves half a line.
	mf, err := os.OpenFile(filepath.Join(out, ManifestName), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	mf.WriteString(`{"row":99,"key":"00`)
	mf.Close()

	g.onCall = nil
	var warnings []string
	o.OnWarning = func(s string) { warnings = append(warnings, s) }
	sum, err = Run(context.Background(), o)
	require.NoError(t, err)
	assert.Equal(t, len(first), sum.Skipped, "finished rows are skipped")
	assert.Equal(t, n-len(first), sum.Written)
	for i := range n {
		req := (wechat.Params{Kind: wechat.KindUnlimited, Scene: "id=" + strconv.Itoa(i), Page: "pages/index/index"}).Request()
		assert.LessOrEqual(t, g.callsFor(req), 2, "row %d", i)
	}
	for _, e := range first {
		var body wechat.UnlimitedRequest
		require.NoError(t, json.Unmarshal(e.Params, &body))
		assert.Equal(t, 1, g.callsFor(&body), "row %d finished in the first run: not called again", e.Row)
	}
	m := readManifest(t, out) // every line parses: the torn one was cut off
	assert.Len(t, m, n)
	assert.Contains(t, strings.Join(warnings, "\n"), "cut short")
	assert.Equal(t, n, assertOnlyWholeImages(t, out))

	// A file changed on disk is not proof: since batch never overwrites,
	// the row fails naming the file (TestSwappedFile covers the cases).
	require.NoError(t, os.WriteFile(filepath.Join(out, m[0].File), []byte("tampered"), 0o644))
	sum, err = Run(context.Background(), o)
	require.NoError(t, err)
	assert.Equal(t, n-1, sum.Skipped)
	assert.Equal(t, 1, sum.Failed)
	b, _ := os.ReadFile(filepath.Join(out, "failed.csv"))
	assert.Contains(t, string(b), m[0].File+" is not the code the manifest recorded")
}

// doneFolder is an output folder where a first run of n rows finished,
// with its input and its generator, for tests of what the next run reads.
func doneFolder(t *testing.T, n int) (in, out string, g *fakeGen) {
	t.Helper()
	in = writeInput(t, "rows.csv", csvRows(n, "", nil))
	out = t.TempDir()
	g = newFake()
	_, err := Run(context.Background(), fastOpts(in, out, g))
	require.NoError(t, err)
	return in, out, g
}

// Lines of the manifest that prove nothing are warned of by file and line
// (codefile.ReadManifest's reasons) and ignored: the rows they would have
// proved done are not, and nothing is cut but a torn last line.
func TestRunWarnsOfManifestLinesThatAreNoEntries(t *testing.T) {
	in, out, g := doneFolder(t, 3)
	path := filepath.Join(out, ManifestName)
	m := readManifest(t, out)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	// The last entry's line broken three ways, then a torn line.
	lines := strings.SplitAfter(string(b), "\n")
	last := lines[2]
	noKey := strings.Replace(last, `"key":"`+m[2].Key+`"`, `"key":""`, 1)
	bad := string(b[:len(b)-len(last)]) + "not json\n" + `{"row":"x"}` + "\n" + noKey + `{"row":4,"ke`
	require.NoError(t, os.WriteFile(path, []byte(bad), 0o644))

	var warnings []string
	o := fastOpts(in, out, g)
	o.OnWarning = func(s string) { warnings = append(warnings, s) }
	sum, err := Run(context.Background(), o)
	require.NoError(t, err)
	assert.Equal(t, 2, sum.Skipped, "the rows of whole entries")
	assert.Equal(t, []string{
		path + " line 3: not JSON (invalid character 'o' in literal null (expecting 'u'), at column 2); ignored",
		path + ` line 4: "row" is a string, not int; ignored`,
		path + ` line 5 has no key of 16 hex digits (""); ignored`,
		path + " line 6 was cut short (an earlier run was killed while writing it); ignored",
	}, warnings[:4])
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(after), bad[:len(bad)-len(`{"row":4,"ke`)]), "only the torn line is cut")
	var rows []int
	for l, err := range codefile.ReadManifest(strings.NewReader(string(after)), path) {
		require.NoError(t, err)
		if l.Err == nil {
			rows = append(rows, l.Entry.Row)
		}
	}
	assert.Equal(t, []int{m[0].Row, m[1].Row, m[2].Row, m[2].Row}, rows, "the row of the broken line is written again")
}

// A file whose manifest line was lost is adopted only after a fresh call
// gave the same bytes: its name alone proves nothing.
func TestRunAdoptsAFileWrittenBeforeItsManifestLineAfterComparing(t *testing.T) {
	in, out, g := doneFolder(t, 3)
	require.NoError(t, os.Remove(filepath.Join(out, ManifestName))) // as if killed before any line
	sum, err := Run(context.Background(), fastOpts(in, out, g))
	require.NoError(t, err)
	assert.Equal(t, 3, sum.Written)
	assert.Zero(t, sum.Failed)
	assert.EqualValues(t, 6, g.calls.Load(), "one fresh call a row, to compare with the file")
	assert.Len(t, readManifest(t, out), 3)
}

// TestRunPausesEveryWorkerOn45009UntilTheNextMinute runs on the bubble's
// clock, 100 ms before a minute turns.
func TestRunPausesEveryWorkerOn45009UntilTheNextMinute(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in := writeInput(t, "rows.csv", csvRows(20, "", nil))
		out := t.TempDir()
		boundary := time.Now().Truncate(time.Minute).Add(time.Minute)
		time.Sleep(time.Until(boundary) - 100*time.Millisecond)
		g := newFake()
		g.final = func(wechat.Request) error {
			if time.Now().Before(boundary) {
				return &wechat.APIError{Code: 45009, Msg: "reach max api minute quota limit"}
			}
			return nil
		}
		o := fastOpts(in, out, g)
		o.Concurrency = 1
		sum, err := Run(context.Background(), o)
		require.NoError(t, err)
		assert.Equal(t, 20, sum.Written)
		assert.Zero(t, sum.Failed)
		assert.EqualValues(t, 21, g.calls.Load(), "one 45009, then the pause held every call until the minute turned")
		assert.Equal(t, boundary, time.Now(), "and not a moment longer")
	})
}

func TestQuotaStopsBeforePassingTheLifetimePool(t *testing.T) {
	in := writeInput(t, "rows.csv", "kind,path\nlimited,pages/a?id=1\nqrcode,pages/a?id=2\nlimited,pages/a?id=1\n")
	out := t.TempDir()
	g := newFake()
	o := fastOpts(in, out, g)
	o.Quota = fakeQuota{used: wechat.LifetimeQuota - 1}
	_, err := Run(context.Background(), o)
	var qe *QuotaError
	require.ErrorAs(t, err, &qe)
	assert.Equal(t, 2, qe.New, "duplicates count once")
	assert.Zero(t, g.calls.Load())
	o.AllowQuota = true
	sum, err := Run(context.Background(), o)
	require.NoError(t, err)
	assert.Equal(t, 2, sum.Written)
}

func TestOneRunPerFolder(t *testing.T) {
	in := writeInput(t, "rows.csv", csvRows(2, "", nil))
	out := t.TempDir()
	held, err := lockFolder(out) // another run holding the folder
	require.NoError(t, err)
	defer held.Close()
	g := newFake()
	_, err = Run(context.Background(), fastOpts(in, out, g))
	assert.ErrorContains(t, err, "another wxacode batch is writing to this folder")
	assert.Zero(t, g.calls.Load())
}

// Every clock read goes through Options.Now, so a run can be measured on a
// virtual clock: here each call takes exactly one virtual minute.
func TestRunMeasuresTimeOnOptionsNow(t *testing.T) {
	const n = 6
	in := writeInput(t, "rows.csv", csvRows(n, "", nil))
	var mu sync.Mutex
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	g := newFake()
	g.onCall = func(int64) { mu.Lock(); now = now.Add(time.Minute); mu.Unlock() }
	o := fastOpts(in, t.TempDir(), g)
	o.Concurrency = 1
	o.Now = clock
	var last Progress
	o.OnProgress = func(p Progress) { last = p }
	sum, err := Run(context.Background(), o)
	require.NoError(t, err)
	require.Equal(t, n, sum.Written)
	assert.Equal(t, n*time.Minute, sum.Elapsed)
	assert.Equal(t, n*time.Minute, last.Elapsed)
	assert.InDelta(t, 1.0, last.RatePerMin, 1e-9, "one row a virtual minute")
}
