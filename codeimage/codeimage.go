// Package codeimage is the one bounded image reader: the client's answers and
// the preview's files both go through Decode, which reads the header first
// and refuses an image outside its Limits before a pixel is decoded, so a
// 500 KB PNG declaring 65535×65535 px costs a few KiB, not 17 GB.
package codeimage

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
)

// Format is an image format as sniffed from the bytes, never from a name.
type Format string

// The formats codes come in.
const (
	PNG  Format = "png"
	JPEG Format = "jpeg"
)

// ErrSize marks an image whose declared size is outside the Limits.
var ErrSize = errors.New("image size out of bounds")

// ErrFormat marks bytes that are neither PNG nor JPEG.
var ErrFormat = errors.New("neither PNG nor JPEG")

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
	// Says what a right image is, for the error ("getwxacodeunlimit returns
	// 280 to 1280 px"): the error reads "a W×H image is not a code: SAYS".
	Says string
}

// File bounds images read from disk for a preview: generous (a 1280 px code
// enlarged 6×), and at most 64 Mpx, so 512 MiB of pixels at the very worst.
var File = Limits{MinWidth: 1, MaxWidth: 8192, MinHeight: 1, MaxHeight: 8192, MaxPixels: 64 << 20,
	Says: "a preview takes at most 8192×8192 px (64 Mpx); a code is at most 1280 px wide"}

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

// Sniff names the format from the magic bytes.
func Sniff(b []byte) (Format, bool) {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, true
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG, true
	}
	return "", false
}

// Config reads the format and the declared size from the header only.
func Config(b []byte) (Format, image.Config, error) {
	f, ok := Sniff(b)
	if !ok {
		return "", image.Config{}, ErrFormat
	}
	var cfg image.Config
	var err error
	if f == PNG {
		cfg, err = png.DecodeConfig(bytes.NewReader(b))
	} else {
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(b))
	}
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

// Decode decodes a PNG or JPEG (sniffed) whose header is within l, and checks
// the decoded bounds again (they come from the same header, but a decoder
// that disagreed must not slip past).
func Decode(b []byte, l Limits) (image.Image, Format, error) {
	f, cfg, err := Config(b)
	if err != nil {
		return nil, f, err
	}
	if err := l.Check(f, cfg.Width, cfg.Height); err != nil {
		return nil, f, err
	}
	var img image.Image
	if f == PNG {
		img, err = png.Decode(bytes.NewReader(b))
	} else {
		img, err = jpeg.Decode(bytes.NewReader(b))
	}
	if err != nil {
		return nil, f, fmt.Errorf("%s: %w", f, err)
	}
	r := img.Bounds()
	if err := l.Check(f, r.Dx(), r.Dy()); err != nil {
		return nil, f, err
	}
	return img, f, nil
}
