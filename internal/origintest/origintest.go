// Package origintest is a web server for verify's tests: it serves code
// files by path, each with the fault it is told to have (a body cut short,
// a wrong label, a status, a file that changes after the first fetch), and
// a small caching proxy (Cache) that keeps the first answer per URL the way
// a CDN or nginx's proxy_cache does. Only tests import it.
package origintest

import (
	"bytes"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// File is what the origin serves at a path.
type File struct {
	Body        []byte
	ContentType string // "" : image/jpeg or image/png by the bytes
	Status      int    // 0: 200
	// CutAt > 0 sends that many bytes of Body while Content-Length promises
	// all of them, then closes the connection: a broken transfer.
	CutAt int
	// Then, when set, is the body from the second fetch on: the file was
	// replaced under the same name after a cache took the first.
	Then []byte
	// Headers are sent as they are (Cache-Control, ETag, …).
	Headers map[string]string
}

// Origin serves Files; it is an http.Handler.
type Origin struct {
	mu    sync.Mutex
	files map[string]*File
	hits  map[string]int
}

// New is an origin with no files (every path is a 404).
func New() *Origin { return &Origin{files: map[string]*File{}, hits: map[string]int{}} }

// Put serves f at path ("/codes/a.jpg").
func (o *Origin) Put(path string, f File) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.files[path] = &f
}

// Hits is how many requests reached path.
func (o *Origin) Hits(path string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.hits[path]
}

// ServeHTTP answers from the files, ignoring the query (as static servers do).
func (o *Origin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	f, ok := o.files[r.URL.Path]
	o.hits[r.URL.Path]++
	n := o.hits[r.URL.Path]
	var cp File
	if ok {
		cp = *f
	}
	o.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	body := cp.Body
	if cp.Then != nil && n > 1 {
		body = cp.Then
	}
	for k, v := range cp.Headers {
		w.Header().Set(k, v)
	}
	ct := cp.ContentType
	if ct == "" {
		ct = "image/jpeg"
		if bytes.HasPrefix(body, []byte("\x89PNG")) {
			ct = "image/png"
		}
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	status := cp.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	if cp.CutAt > 0 && cp.CutAt < len(body) {
		w.Write(body[:cp.CutAt])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		panic(http.ErrAbortHandler) // close the connection: the rest never comes
	}
	w.Write(body)
}

// Cache is a caching proxy in front of next: the first 200 answer for each
// request URI (path and query, as nginx's default proxy_cache_key) is kept
// forever and served again with X-Cache: HIT and an Age; request headers
// such as Cache-Control: no-cache are ignored, as CDNs commonly do.
func Cache(next http.Handler) http.Handler {
	type entry struct {
		status int
		header http.Header
		body   []byte
		at     time.Time
	}
	var mu sync.Mutex
	kept := map[string]*entry{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		e := kept[r.URL.RequestURI()]
		mu.Unlock()
		if e != nil {
			for k, v := range e.header {
				w.Header()[k] = v
			}
			w.Header().Set("X-Cache", "HIT")
			w.Header().Set("Age", strconv.Itoa(int(time.Since(e.at).Seconds())))
			w.WriteHeader(e.status)
			w.Write(e.body)
			return
		}
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		func() {
			defer func() {
				if p := recover(); p != nil && p != http.ErrAbortHandler {
					panic(p)
				}
			}()
			next.ServeHTTP(rec, r)
		}()
		complete := rec.header.Get("Content-Length") == "" || rec.header.Get("Content-Length") == strconv.Itoa(rec.body.Len())
		if rec.status == http.StatusOK && complete {
			mu.Lock()
			kept[r.URL.RequestURI()] = &entry{status: rec.status, header: rec.header.Clone(), body: rec.body.Bytes(), at: time.Now()}
			mu.Unlock()
		}
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.Header().Set("X-Cache", "MISS")
		w.WriteHeader(rec.status)
		w.Write(rec.body.Bytes())
		if !complete {
			panic(http.ErrAbortHandler)
		}
	})
}

type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
	wrote  bool
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(s int) {
	if !r.wrote {
		r.status, r.wrote = s, true
	}
}
func (r *recorder) Write(b []byte) (int, error) { r.wrote = true; return r.body.Write(b) }
