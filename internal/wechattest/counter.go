package wechattest

import (
	"net/http"
	"sync"
)

// Counter counts the requests that reach the simulator, token ones
// included, by path: a test shows with it that nothing was called, or how
// often an endpoint was. Put it in front with WithMiddleware(c.Wrap).
type Counter struct {
	mu     sync.Mutex
	byPath map[string]int
	total  int
}

// Wrap is the middleware: it counts each request, then passes it on.
func (c *Counter) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		if c.byPath == nil {
			c.byPath = map[string]int{}
		}
		c.byPath[r.URL.Path]++
		c.total++
		c.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// Path is how many requests reached path.
func (c *Counter) Path(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byPath[path]
}

// Total is how many requests reached the simulator.
func (c *Counter) Total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}
