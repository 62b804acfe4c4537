package verify_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"

	"wxacode/internal/inproc"
	"wxacode/verify"
)

// TestRunRatePacesTheSecondFetch: --rate counts the fetch past the caches
// of a wrong copy too, so a manifest of bad copies is not fetched twice as
// fast as asked.
func TestRunRatePacesTheSecondFetch(t *testing.T) {
	jpg, _, _ := codes(t)
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var at []time.Duration
		start := time.Now()
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			at = append(at, time.Since(start))
			mu.Unlock()
			w.Header().Set("Content-Type", "image/jpeg")
			w.Write(jpg)
		})
		targets := func(yield func(verify.Target) bool) {
			for i := range 3 {
				// Not the code asked for: each copy is fetched again past the caches.
				if !yield(verify.Target{URL: fmt.Sprintf("http://origin/%d.jpg", i), Want: verify.Want{SHA256: strings.Repeat("0", 64)}}) {
					return
				}
			}
		}
		n := 0
		verify.New(verify.WithHTTPClient(inproc.Client(h))).Run(context.Background(), targets, verify.RunOptions{Concurrency: 8, PerMinute: 60}, func(r verify.Result) {
			assert.False(t, r.OK)
			n++
		})
		assert.Equal(t, 3, n)
		slices.Sort(at)
		want := []time.Duration{0, time.Second, 2 * time.Second, 3 * time.Second, 4 * time.Second, 5 * time.Second}
		assert.Equal(t, want, at, "six fetches, one a second")
	})
}
