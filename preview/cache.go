package preview

import (
	"container/list"
	"errors"
	"fmt"
	"hash/maphash"
	"image"
	"sync"

	"wxacode/codeimage"
)

// Decode decodes a code image in any format codeimage.File takes (PNG, JPEG,
// GIF, BMP, WebP: sniffed, whatever its name says)
// through the one bounded reader: the header's size must be within
// codeimage.File before any pixel is decoded.
func Decode(data []byte) (image.Image, error) {
	img, format, err := codeimage.Decode(data, codeimage.File)
	if errors.Is(err, codeimage.ErrSize) {
		return nil, err
	}
	if errors.Is(err, codeimage.ErrFormat) {
		return nil, fmt.Errorf("not a %s image: save the code again or check the file", codeimage.File.FormatNames())
	}
	if err != nil {
		return nil, fmt.Errorf("not a readable image (%v): save the code again or check the file", err)
	}
	if img.Bounds().Empty() {
		return nil, fmt.Errorf("the %s image is empty", format)
	}
	return img, nil
}

// Renderer renders through a bounded LRU cache keyed by (image hash, box,
// mode, background, cell size, kitty id), so redrawing the same code after a
// resize back or a repaint costs a map lookup. Safe for concurrent use.
type Renderer struct {
	mu    sync.Mutex
	max   int
	order *list.List // front = most recent; values are *cacheEntry
	items map[cacheKey]*list.Element
}

type cacheKey struct {
	hash         uint64
	box          Box
	mode         Mode
	bg           Background
	cellW, cellH int
	id           uint32
}

type cacheEntry struct {
	key cacheKey
	out Output
}

var seed = maphash.MakeSeed()

// NewRenderer returns a Renderer keeping at most n outputs (n < 1 means 16).
func NewRenderer(n int) *Renderer {
	if n < 1 {
		n = 16
	}
	return &Renderer{max: n, order: list.New(), items: map[cacheKey]*list.Element{}}
}

// Len is the number of cached outputs.
func (r *Renderer) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.order.Len()
}

// Render is Render through the cache; the image is identified by a hash of its pixels.
func (r *Renderer) Render(img image.Image, box Box, caps Caps, opts Options) (Output, error) {
	if img == nil {
		return Render(img, box, caps, opts)
	}
	return r.render(hashImage(img), func() (image.Image, error) { return img, nil }, box, caps, opts)
}

// RenderBytes is Render for an encoded image (see Decode), identified by a hash of
// the bytes: a cache hit skips decoding too.
func (r *Renderer) RenderBytes(data []byte, box Box, caps Caps, opts Options) (Output, error) {
	return r.render(maphash.Bytes(seed, data), func() (image.Image, error) { return Decode(data) }, box, caps, opts)
}

// RenderDecoded is RenderBytes for a caller that has decoded data already
// (the client decodes every code to check it): on a cache miss img is used
// instead of decoding again. A nil img decodes data.
func (r *Renderer) RenderDecoded(data []byte, img image.Image, box Box, caps Caps, opts Options) (Output, error) {
	if img == nil {
		return r.RenderBytes(data, box, caps, opts)
	}
	return r.render(maphash.Bytes(seed, data), func() (image.Image, error) { return img, nil }, box, caps, opts)
}

func (r *Renderer) render(h uint64, load func() (image.Image, error), box Box, caps Caps, opts Options) (Output, error) {
	cw, ch := caps.Cell()
	k := cacheKey{hash: h, box: box, mode: caps.Resolve(opts.Mode), bg: opts.Background, cellW: cw, cellH: ch, id: opts.ImageID}
	r.mu.Lock()
	if e, ok := r.items[k]; ok {
		r.order.MoveToFront(e)
		out := e.Value.(*cacheEntry).out
		r.mu.Unlock()
		return out, nil
	}
	r.mu.Unlock()
	// Rendered outside the lock: two goroutines may both render the same
	// image once, which is cheaper than serialising every render.
	img, err := load()
	if err != nil {
		return Output{}, err
	}
	out, err := Render(img, box, caps, opts)
	if err != nil {
		return Output{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if e, ok := r.items[k]; ok {
		r.order.MoveToFront(e)
		return out, nil
	}
	r.items[k] = r.order.PushFront(&cacheEntry{key: k, out: out})
	for r.order.Len() > r.max {
		last := r.order.Back()
		delete(r.items, last.Value.(*cacheEntry).key)
		r.order.Remove(last)
	}
	return out, nil
}

// hashImage hashes the pixels (and size and type) of img.
func hashImage(img image.Image) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	b := img.Bounds()
	fmt.Fprintf(&h, "%T%v", img, b)
	switch m := img.(type) {
	case *image.RGBA:
		h.Write(m.Pix)
	case *image.NRGBA:
		h.Write(m.Pix)
	case *image.Gray:
		h.Write(m.Pix)
	case *image.Paletted:
		h.Write(m.Pix)
		for _, c := range m.Palette {
			r, g, bl, a := c.RGBA()
			fmt.Fprint(&h, r, g, bl, a)
		}
	case *image.YCbCr:
		h.Write(m.Y)
		h.Write(m.Cb)
		h.Write(m.Cr)
	default:
		var px [8]byte
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r, g, bl, a := img.At(x, y).RGBA()
				px[0], px[1], px[2], px[3] = byte(r), byte(r>>8), byte(g), byte(g>>8)
				px[4], px[5], px[6], px[7] = byte(bl), byte(bl>>8), byte(a), byte(a>>8)
				h.Write(px[:])
			}
		}
	}
	return h.Sum64()
}
