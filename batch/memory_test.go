package batch

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/wechat"
)

// writeBigInput writes n distinct unlimited rows without holding them in memory.
func writeBigInput(t testing.TB, n int) string {
	p := filepath.Join(t.TempDir(), "big.csv")
	f, err := os.Create(p)
	require.NoError(t, err)
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "scene,page,width")
	for i := range n {
		fmt.Fprintf(w, "id=%d,pages/item/item,%d\n", i, 280+i%1000)
	}
	require.NoError(t, w.Flush())
	require.NoError(t, f.Close())
	return p
}

// peakHeap runs fn while sampling the heap, and returns the highest HeapInuse seen.
// The collector runs often meanwhile, so the peak follows what is live rather
// than how far garbage got before a collection (noisy, worst under -race).
func peakHeap(fn func()) uint64 {
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	wg.Wait()
	return peak.Load()
}

// TestBigInputKeepsMemoryFlat runs 100,000 rows through both passes (dry run,
// then generation whose every call fails, so no disk time goes to images) and
// compares the peak heap with a run of a tenth the size: streaming means the
// only growth is the 8-byte-per-row key set.
func TestBigInputKeepsMemoryFlat(t *testing.T) {
	n := 100_000
	if raceEnabled || testing.Short() {
		n = 20_000
	}
	run := func(rows int) uint64 {
		in := writeBigInput(t, rows)
		out := t.TempDir()
		g := newFake()
		g.perBody = nil
		// A final errcode of the row (a token error would stop the whole run).
		g.final = func(wechat.Request) error { return &wechat.APIError{Code: 41030, Msg: "invalid page"} }
		return peakHeap(func() {
			o := fastOpts(in, out, g)
			o.DryRun = true
			sum, err := Run(context.Background(), o)
			require.NoError(t, err)
			require.Equal(t, rows, sum.WouldCall)
			o.DryRun = false
			sum, err = Run(context.Background(), o)
			require.NoError(t, err)
			require.Equal(t, rows, sum.Failed)
		})
	}
	small := run(n / 10)
	big := run(n)
	t.Logf("peak heap in use: %d rows %.1f MiB, %d rows %.1f MiB", n/10, float64(small)/(1<<20), n, float64(big)/(1<<20))
	// Ten times the rows may add the key set (~2 MiB at 100,000) and GC slack, not ten times the memory.
	assert.Less(t, big, small+16<<20)
}
