package batch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"wxacode/internal/testimage"

	"wxacode/wechat"
)

// fakeGen stands in for the client: deterministic images per request, with
// optional injected faults and a hook to fail chosen rows for good.
type fakeGen struct {
	mu       sync.Mutex
	perBody  map[string]int // calls per request body
	calls    atomic.Int64
	rng      *rand.Rand
	minusOne float64 // share of calls answering -1
	trunc    float64 // share answering a truncated image
	http503  float64 // share failing like a 503
	final    func(wechat.Request) error
	onCall   func(n int64) // after each call is counted
	delay    time.Duration
}

func newFake() *fakeGen {
	return &fakeGen{perBody: map[string]int{}, rng: rand.New(rand.NewPCG(1, 2))}
}

func (f *fakeGen) Get(ctx context.Context, req wechat.Request) (*wechat.Code, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	body, _ := req.Body()
	n := f.calls.Add(1)
	f.mu.Lock()
	if f.perBody != nil { // nil in the memory test: the fake must not be what grows
		f.perBody[string(req.Kind())+string(body)]++
	}
	roll := f.rng.Float64()
	f.mu.Unlock()
	if f.onCall != nil {
		f.onCall(n)
	}
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if f.final != nil {
		if err := f.final(req); err != nil {
			return nil, err
		}
	}
	img := fakeImage(body, req)
	switch {
	case roll < f.minusOne:
		return nil, &wechat.APIError{Code: -1, Msg: "system error"}
	case roll < f.minusOne+f.trunc:
		img.Bytes = img.Bytes[:len(img.Bytes)/2]
		return img, nil // a client without checks would hand this on
	case roll < f.minusOne+f.trunc+f.http503:
		return nil, errors.New("HTTP 503 Service Unavailable")
	}
	return img, nil
}

func (f *fakeGen) callsFor(req wechat.Request) int {
	body, _ := req.Body()
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.perBody[string(req.Kind())+string(body)]
}

// fakeImage draws a tiny image whose pixels depend on the body, so different
// requests give different files; hyaline requests come back as PNG, like WeChat.
func fakeImage(body []byte, req wechat.Request) *wechat.Code {
	sum := sha256.Sum256(body)
	img := image.NewNRGBA(image.Rect(0, 0, 8, 8))
	for i := range 64 {
		img.Set(i%8, i/8, color.NRGBA{sum[i%32], sum[(i+1)%32], sum[(i+2)%32], 255})
	}
	format, data := wechat.FormatJPEG, testimage.JPEG(img)
	if p := wechat.ParamsOf(req); p.Hyaline {
		format, data = wechat.FormatPNG, testimage.PNG(img)
	}
	return &wechat.Code{Bytes: data, Format: format, NumUsed: -1, Received: time.Now()}
}

type fakeQuota struct{ used int }

func (q fakeQuota) Used() int                 { return q.used }
func (q fakeQuota) Seen(p wechat.Params) bool { return false }

// csvRows builds a CSV input of n unlimited rows with scenes id=0..n-1.
func csvRows(n int, extraHeader string, extra func(i int) string) string {
	var b bytes.Buffer
	b.WriteString("scene,page" + extraHeader + "\n")
	for i := range n {
		fmt.Fprintf(&b, "id=%d,pages/index/index", i)
		if extra != nil {
			b.WriteString(extra(i))
		}
		b.WriteByte('\n')
	}
	return b.String()
}
