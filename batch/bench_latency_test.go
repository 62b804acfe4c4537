package batch

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"wxacode/internal/wechattest"
	"wxacode/wechat"
	"wxacode/wechat/sim"
)

// BenchmarkAutoConcurrencyLatency runs batch with its defaults (auto
// concurrency) against the simulator on loopback answering after 250 ms and
// after 1 s ([faults] latency), at 5000 and at 60 calls a minute, on the
// real clock: each run lasts a minute or more. It reports the share of the
// rate that arrived in the first minute, the 45009 answers, the peak heap
// and the peak calls in flight. Run it with -benchtime 1x (README, Batch).
func BenchmarkAutoConcurrencyLatency(b *testing.B) {
	code, _ := wechattest.Code(b, wechat.UnlimitedRequest{Scene: "a"}) // 430 px: the default width
	for _, rate := range []int{5000, 60} {
		for _, latency := range []time.Duration{250 * time.Millisecond, time.Second} {
			b.Run(fmt.Sprintf("rate=%d/latency=%s", rate, latency), func(b *testing.B) {
				for b.Loop() {
					benchLatency(b, code, rate, latency)
				}
			})
		}
	}
}

func benchLatency(b *testing.B, code []byte, rate int, latency time.Duration) {
	cfg := sim.DefaultConfig()
	cfg.CodeImageBytes = code // drawing is the simulator's cost, not batch's
	cfg.Limits.UnlimitedPerMinute = rate
	cfg.Faults.Latency = latency
	var mu sync.Mutex
	var arrivals []time.Time
	env := wechattest.New(b, wechattest.WithSim(cfg), wechattest.Listen(), wechattest.WithClient(wechat.WithRateLimit(rate)),
		wechattest.WithMiddleware(func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasPrefix(r.URL.Path, "/wxa/") {
					mu.Lock()
					arrivals = append(arrivals, time.Now())
					mu.Unlock()
				}
				next.ServeHTTP(w, r)
			})
		}))
	rows := rate + rate/20
	in := writeInput(b, "rows.csv", csvRows(rows, "", nil))
	o := Options{In: in, Out: b.TempDir(), Generator: env.Client, Rate: rate, Base: wechat.Params{Kind: wechat.KindUnlimited}}
	var peakHeap uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() { // memory, every 100 ms
		defer close(sampled)
		var ms runtime.MemStats
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peakHeap = max(peakHeap, ms.HeapInuse)
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	// Stop after the first minute: that is what is measured.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute+2*latency+time.Second)
	defer cancel()
	sum, err := Run(ctx, o)
	close(stop)
	<-sampled
	if err != nil && ctx.Err() == nil {
		b.Fatal(err)
	}
	mu.Lock()
	first := 0
	for _, at := range arrivals {
		if at.Sub(arrivals[0]) < time.Minute {
			first++
		}
	}
	mu.Unlock()
	b.ReportMetric(100*float64(first)/float64(rate), "%rate-1st-min")
	b.ReportMetric(float64(sum.RateLimited), "45009s")
	b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(sum.PeakInFlight), "peak-in-flight")
	b.ReportMetric(float64(sum.Failed), "failed")
}
