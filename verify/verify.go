// Package verify checks the copy of a code that users actually get: a file
// served by a CDN, a proxy cache or a web server, or a file on a mount, is
// compared with what wxacode wrote (the manifest's sha256, size and format,
// or a local code). It tells a truncated copy, another file under the name,
// an error page or errcode JSON saved as the code, a wrong Content-Type, and
// a stale cached copy (the origin is right, the cache is not) apart.
//
// Everything a server sends is hostile: bodies are read up to MaxBytes,
// header values are cut short, redacted and made terminal-safe.
package verify

import (
	"encoding/json"
	"strconv"
	"strings"

	"wxacode/codefile"
	"wxacode/wechat"
)

// The problems a copy can have, as printed: "URL: <problem>: <detail>".
// An HTTP status other than 200 is "HTTP <status>" (see HTTPStatus).
const (
	Truncated   = "truncated"    // fewer bytes than promised (Content-Length) or recorded
	Differs     = "differs"      // a whole image, but not the code (sha256, size or format)
	Stale       = "stale"        // a cache serves something else; the origin's copy is right
	ContentType = "content-type" // the bytes are the code, labelled as something else
	NotImage    = "not an image" // an error page, errcode JSON, or bytes no decoder takes
	Unreachable = "unreachable"  // nothing answered (DNS, refused, timeout, reset)
	Missing     = "missing"      // a local file that is not there
	BadEntry    = "bad entry"    // a manifest line that cannot be checked
)

// HTTPStatus is the problem of an answer with status code s: "HTTP 404".
func HTTPStatus(s int) string { return "HTTP " + strconv.Itoa(s) }

// Want is what the copy must be; zero fields are not checked.
type Want struct {
	SHA256 string `json:"sha256,omitempty"`
	Bytes  int    `json:"bytes,omitempty"`
	Format string `json:"format,omitempty"` // "jpeg", "png"
	Width  int    `json:"width,omitempty"`
	Height int    `json:"height,omitempty"`
}

// WantOf is what a manifest entry recorded.
func WantOf(e codefile.ManifestEntry) Want {
	return Want{SHA256: strings.ToLower(e.SHA256), Bytes: e.Bytes, Format: e.Format, Width: e.Width, Height: e.Height}
}

// Target is one copy to check: a URL, or a local file when URL is empty.
type Target struct {
	URL  string
	Path string // local file (URL empty)
	Want Want
	// Entry, when not empty, is why the target cannot be checked at all
	// (a manifest line naming a file outside its folder, say).
	Entry string
}

// Name is how lines call the target: its URL, else its path.
func (t Target) Name() string {
	if t.URL != "" {
		return t.URL
	}
	return t.Path
}

// Cache holds the answer's headers that explain what a cache did.
type Cache struct {
	Age          string `json:"age,omitempty"`
	XCache       string `json:"x_cache,omitempty"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	CacheControl string `json:"cache_control,omitempty"`
}

// String lists the headers that were sent: "Age: 12, X-Cache: HIT".
func (c Cache) String() string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+": "+v)
		}
	}
	add("Age", c.Age)
	add("X-Cache", c.XCache)
	add("ETag", c.ETag)
	add("Last-Modified", c.LastModified)
	add("Cache-Control", c.CacheControl)
	return strings.Join(parts, ", ")
}

// Copy is what one fetch (or read) got.
type Copy struct {
	Status        int    `json:"status,omitempty"`
	ContentLength int64  `json:"content_length,omitempty"` // -1 when not sent
	ContentType   string `json:"content_type,omitempty"`
	Bytes         int    `json:"bytes"`
	SHA256        string `json:"sha256,omitempty"`
	Format        string `json:"format,omitempty"` // sniffed from the bytes
	Width         int    `json:"width,omitempty"`
	Height        int    `json:"height,omitempty"`
	Cache         Cache  `json:"cache,omitzero"`

	problem, detail string
}

// Result is the verdict on one copy.
type Result struct {
	URL     string `json:"url,omitempty"`
	File    string `json:"file,omitempty"` // a local file, or the manifest's file name
	OK      bool   `json:"ok"`
	Problem string `json:"problem,omitempty"`
	Detail  string `json:"detail,omitempty"`
	Fix     string `json:"fix,omitempty"`
	Want    Want   `json:"want,omitzero"`
	Got     *Copy  `json:"got,omitempty"`
	// Origin is the second fetch, past the caches (a cache-busting query
	// and Cache-Control: no-cache), made when the first copy was wrong.
	Origin *Copy `json:"origin,omitempty"`
	// Fetched says something answered (any HTTP status, or a file read).
	Fetched bool `json:"-"`
}

// Line is the result as printed for a bad copy: "URL: problem: detail".
func (r Result) Line() string {
	name := r.URL
	if name == "" {
		name = r.File // from the manifest: text like any other, made terminal-safe
	}
	name = wechat.SafeText(name)
	if r.OK {
		return name + ": ok"
	}
	return name + ": " + r.Problem + ": " + r.Detail
}

// JSON is the result as one line of --json output.
func (r Result) JSON() []byte {
	b, _ := json.Marshal(r) // plain strings and numbers: cannot fail
	return b
}
