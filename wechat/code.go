package wechat

import (
	"image"
	"time"
)

// Format is an image format told by the bytes, never by the Content-Type.
type Format string

// The formats WeChat returns: JPEG for opaque codes, PNG for is_hyaline ones
// (still labelled image/jpeg).
const (
	FormatJPEG Format = "jpeg"
	FormatPNG  Format = "png"
)

// Ext is the file extension for the format, with its dot.
func (f Format) Ext() string {
	if f == FormatPNG {
		return ".png"
	}
	return ".jpg"
}

// SniffFormat tells JPEG and PNG apart by their magic bytes; ok is false for anything else.
func SniffFormat(b []byte) (Format, bool) {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return FormatJPEG, true
	case len(b) >= 8 && string(b[:8]) == "\x89PNG\r\n\x1a\n":
		return FormatPNG, true
	}
	return "", false
}

// Code is a generated image, fully received and decoded once to prove it whole.
type Code struct {
	Bytes       []byte
	Format      Format
	Width       int // pixels, from the decoded image
	Height      int
	ContentType string // as labelled by the server, for display only
	// NumUsed is the Num-Used header (codes used from the 100,000 pool); -1 when absent.
	NumUsed  int
	Received time.Time
	Elapsed  time.Duration // from request start to the last byte
	// Image is Bytes decoded, as checked on arrival, so a preview need not
	// decode it again; nil for a Code built otherwise (history, tests).
	Image image.Image
}
