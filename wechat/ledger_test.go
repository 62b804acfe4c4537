package wechat

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordedAt is when the test's codes arrived, on the caller's clock.
var recordedAt = time.Date(2026, 11, 23, 10, 30, 15, 0, time.UTC)

func TestLedgerCountsDistinctParams(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "quota.json")
	l, err := NewLedger(path)
	require.NoError(t, err)
	assert.Equal(t, 0, l.Used())
	assert.Equal(t, LifetimeQuota, l.Remaining())
	assert.Equal(t, -1, l.NumUsed())

	a := Params{Kind: KindLimited, Path: "pages/a?id=1"}
	require.False(t, l.Seen(a))
	require.NoError(t, l.Record(a, -1, recordedAt))
	require.True(t, l.Seen(a))
	require.NoError(t, l.Record(a, -1, recordedAt)) // a repeat is free
	assert.Equal(t, 1, l.Used())

	// Fields that do not apply to the kind do not make a new set…
	require.NoError(t, l.Record(Params{Kind: KindLimited, Path: "pages/a?id=1", Scene: "ignored"}, -1, recordedAt))
	assert.Equal(t, 1, l.Distinct())
	// …but fields that do, and the kind, do.
	require.NoError(t, l.Record(Params{Kind: KindLimited, Path: "pages/a?id=1", Width: 500}, -1, recordedAt))
	require.NoError(t, l.Record(Params{Kind: KindQRCode, Path: "pages/a?id=1"}, -1, recordedAt))
	require.NoError(t, l.Record(Params{Kind: KindLimited, Path: "pages/a?id=2"}, -1, recordedAt))
	assert.Equal(t, 4, l.Distinct())
	// Unlimited calls are not in the pool.
	require.NoError(t, l.Record(Params{Kind: KindUnlimited, Scene: "x"}, -1, recordedAt))
	assert.False(t, l.Seen(Params{Kind: KindUnlimited, Scene: "x"}))
	assert.Equal(t, 4, l.Used())

	// Num-Used from WeChat wins when it is higher (codes made elsewhere).
	require.NoError(t, l.Record(a, 120, recordedAt))
	assert.Equal(t, 120, l.Used())
	assert.Equal(t, 120, l.NumUsed())
	assert.Equal(t, LifetimeQuota-120, l.Remaining())

	// Persisted, 0600, reopened.
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	l2, err := NewLedger(path)
	require.NoError(t, err)
	assert.Equal(t, 4, l2.Distinct())
	assert.Equal(t, 120, l2.NumUsed())
	assert.True(t, l2.Seen(a))
	assert.Equal(t, path, l2.Path())

	// The timestamps are the caller's, not the ledger's own clock.
	var f ledgerFile
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &f))
	assert.Equal(t, recordedAt, f.NumUsedAt)
	for _, at := range f.Codes {
		assert.Equal(t, recordedAt.Unix(), at)
	}
}

func TestLedgerWarnings(t *testing.T) {
	l, err := NewLedger("")
	require.NoError(t, err)
	p := Params{Kind: KindQRCode, Path: "p"}
	cases := []struct {
		used int
		want string
	}{
		{0, ""},
		{79_999, ""},
		{80_000, "80%"},
		{94_999, "94%"},
		{95_000, "95%"},
		{99_999, "only 1 left"},
		{100_000, "used up"},
		{120_000, "used up"},
	}
	for _, tc := range cases {
		require.NoError(t, l.Record(p, tc.used, recordedAt))
		w := l.Warning()
		if tc.want == "" {
			assert.Empty(t, w, "used %d", tc.used)
			continue
		}
		assert.Contains(t, w, tc.want, "used %d", tc.used)
		assert.Contains(t, w, "getwxacodeunlimit", "the warning says what to do")
	}
	assert.Equal(t, 0, l.Remaining())
}

func TestLedgerWarningFromDistinctCount(t *testing.T) {
	l, err := NewLedger("")
	require.NoError(t, err)
	for i := range 80_000 {
		l.keys[fmt.Sprint(i)] = 0 // faster than 80,000 Records; Record is tested above
	}
	assert.Contains(t, l.Warning(), "80%")
}

func TestLedgerDamagedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quota.json")
	require.NoError(t, os.WriteFile(path, []byte("{not json"), 0o600))
	_, err := NewLedger(path)
	require.ErrorContains(t, err, "damaged")
	require.ErrorContains(t, err, "move it aside")
}

func TestLedgerWriteFailureKept(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "sub")
	l, err := NewLedger(filepath.Join(blocker, "quota.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(blocker, nil, 0o600)) // now the parent is a file: cannot write
	err = l.Record(Params{Kind: KindLimited, Path: "p"}, 5, recordedAt)
	require.Error(t, err)
	assert.Equal(t, err, l.Err())
	assert.Equal(t, 5, l.Used(), "the count is kept in memory")
}

func TestLedgerConcurrent(t *testing.T) {
	l, err := NewLedger(filepath.Join(t.TempDir(), "q.json"))
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			assert.NoError(t, l.Record(Params{Kind: KindLimited, Path: fmt.Sprintf("p?i=%d", i%10)}, -1, recordedAt))
		})
	}
	wg.Wait()
	assert.Equal(t, 10, l.Distinct())
}

func TestLedgerKeyStable(t *testing.T) {
	p := Params{Kind: KindLimited, Path: "pages/a?x=1&y=2", LineColor: &Color{1, 2, 3}}
	assert.Equal(t, LedgerKey(p), LedgerKey(p))
	assert.Len(t, LedgerKey(p), 32)
	assert.NotEqual(t, LedgerKey(p), LedgerKey(Params{Kind: KindLimited, Path: "pages/a?x=1&y=2"}))
}
