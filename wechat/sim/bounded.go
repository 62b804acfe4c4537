package sim

import (
	"bytes"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// What Listen serves with: a slow or stalled client is cut off by the
// timeouts, and at most maxConcurrent requests draw codes at once (a 1280 px
// code takes megabytes while drawn), maxQueued more waiting for a turn; the
// rest get a 503 as from an overloaded WeChat, which clients retry.
const (
	maxConcurrent     = 64
	maxQueued         = 256
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second // headers and the whole body
	writeTimeout      = 60 * time.Second // the latency fault and a slow draw fit
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
)

// bounded runs next for at most cap(slots) requests at a time. A request's
// body is read before it takes a slot, so clients sending it slowly hold a
// connection each (until readTimeout), never a slot.
type bounded struct {
	next    http.Handler
	slots   chan struct{}
	queued  atomic.Int64
	maxWait int64
}

func newBounded(next http.Handler, concurrent, queued int) *bounded {
	return &bounded{next: next, slots: make(chan struct{}, concurrent), maxWait: int64(queued)}
}

func (b *bounded) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1)) // the simulator rejects longer bodies itself
	if err != nil {
		return // the client stalled past readTimeout or went away: nobody to answer
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	select {
	case b.slots <- struct{}{}:
	default:
		if b.queued.Add(1) > b.maxWait {
			b.queued.Add(-1)
			w.Header().Set("Retry-After", "1")
			http.Error(w, "503 Service Temporarily Unavailable: the simulator is serving too many requests at once", http.StatusServiceUnavailable)
			return
		}
		select {
		case b.slots <- struct{}{}:
			b.queued.Add(-1)
		case <-r.Context().Done():
			b.queued.Add(-1)
			return
		}
	}
	defer func() { <-b.slots }()
	b.next.ServeHTTP(w, r)
}

// newHTTPServer is the http.Server Listen runs: the simulator behind the
// bound, with every timeout set.
func (s *Server) newHTTPServer() *http.Server {
	return &http.Server{
		Handler:           newBounded(s, maxConcurrent, maxQueued),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
}
