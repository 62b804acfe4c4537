// Package codeimage is the one bounded image reader: the client's answers
// (PNG and JPEG only, Codes) and the preview's files (AnyFormat: PNG, JPEG,
// GIF, BMP, WebP) both go through Decode, which reads the header first
// and refuses an image outside its Limits before a pixel is decoded, so a
// 500 KB PNG declaring 65535×65535 px costs a few KiB, not 17 GB.
package codeimage

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"strings"
)

// ErrSize marks an image whose declared size is outside the Limits.
var ErrSize = errors.New("image size out of bounds")

// ErrFormat marks bytes in no format the Limits accept.
var ErrFormat = errors.New("not an image format accepted here")

// FormatError is bytes in no format the Limits accept: Format is what was
// sniffed ("" when nothing was), Accepted names what would have been taken.
type FormatError struct {
	Format   Format
	Accepted string
}

func (e *FormatError) Error() string {
	if e.Format == "" {
		return "neither " + strings.ReplaceAll(e.Accepted, " or ", " nor ")
	}
	return fmt.Sprintf("a %s image, not %s", strings.ToUpper(string(e.Format)), e.Accepted)
}

func (e *FormatError) Unwrap() error { return ErrFormat }

// Limits bound what Decode accepts, checked on the header alone.
type Limits struct {
	MinWidth, MaxWidth   int
	MinHeight, MaxHeight int
	// MaxPixels bounds width × height, hence the decoded image's memory
	// (at most 8 bytes a pixel, for 16-bit RGBA).
	MaxPixels int64
	// MaxTaller, when > 0, requires width ≤ height ≤ width × (100+MaxTaller)/100:
	// a square code, or a square QR with its caption strip below.
	MaxTaller int
	// Formats are the formats accepted; none means Codes (PNG and JPEG,
	// what WeChat answers with). File takes AnyFormat.
	Formats []Format
	// Says what a right image is, for the error ("getwxacodeunlimit returns
	// 280 to 1280 px"): the error reads "a W×H image is not a code: SAYS".
	Says string
}

// File bounds images read from disk for a preview: generous (a 1280 px code
// enlarged 6×), and at most 64 Mpx, so 512 MiB of pixels at the very worst.
var File = Limits{MinWidth: 1, MaxWidth: 8192, MinHeight: 1, MaxHeight: 8192, MaxPixels: 64 << 20,
	Formats: AnyFormat,
	Says:    "a preview takes at most 8192×8192 px (64 Mpx); a code is at most 1280 px wide"}

// SizeError is an image whose header is outside the Limits.
type SizeError struct {
	Format        Format
	Width, Height int
	Says          string
}

func (e *SizeError) Error() string {
	return fmt.Sprintf("a %d×%d %s image is not a code: %s", e.Width, e.Height, e.Format, e.Says)
}

func (e *SizeError) Unwrap() error { return ErrSize }

// Config reads the format and the declared size from the header only, for
// a format l accepts.
func (l Limits) Config(b []byte) (Format, image.Config, error) {
	f, ok := Sniff(b)
	if !ok || !l.Accepts(f) {
		return f, image.Config{}, &FormatError{Format: f, Accepted: l.FormatNames()}
	}
	cfg, err := codecs[f].config(bytes.NewReader(b))
	if err != nil {
		return f, cfg, fmt.Errorf("%s header: %w", f, err)
	}
	return f, cfg, nil
}

// Check says whether a w×h image is within l.
func (l Limits) Check(f Format, w, h int) error {
	ok := w >= l.MinWidth && w <= l.MaxWidth && h >= l.MinHeight && h <= l.MaxHeight &&
		w > 0 && h > 0 && int64(w)*int64(h) <= l.MaxPixels
	if ok && l.MaxTaller > 0 {
		ok = h >= w && int64(h)*100 <= int64(w)*int64(100+l.MaxTaller)
	}
	if !ok {
		return &SizeError{Format: f, Width: w, Height: h, Says: l.Says}
	}
	return nil
}

// Decode decodes an image in a format l accepts (sniffed from the bytes)
// whose header is within l, and checks the decoded bounds again (they come
// from the same header, but a decoder that disagreed must not slip past).
// A decoder's panic on hostile bytes is an error, never the caller's crash.
func Decode(b []byte, l Limits) (img image.Image, f Format, err error) {
	f, cfg, err := l.Config(b)
	if err != nil {
		return nil, f, err
	}
	if err := l.Check(f, cfg.Width, cfg.Height); err != nil {
		return nil, f, err
	}
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("%s: the decoder failed: %v", f, p)
		}
	}()
	img, err = codecs[f].decode(bytes.NewReader(b))
	if err != nil {
		return nil, f, fmt.Errorf("%s: %w", f, err)
	}
	r := img.Bounds()
	if err := l.Check(f, r.Dx(), r.Dy()); err != nil {
		return nil, f, err
	}
	return img, f, nil
}
