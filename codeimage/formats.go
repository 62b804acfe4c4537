package codeimage

import (
	"bytes"
	"image"
	"image/gif"
	"io"
	"slices"
	"strings"

	"golang.org/x/image/bmp"
	"golang.org/x/image/webp"

	"wxacode/codeimage/internal/jpeg" // image/jpeg, a third faster on codes
	"wxacode/codeimage/internal/png"  // image/png, its pixels from hugebuf
)

// Format is an image format as sniffed from the bytes, never from a name.
type Format string

// The formats Decode knows.
const (
	PNG  Format = "png"
	JPEG Format = "jpeg"
	GIF  Format = "gif"
	BMP  Format = "bmp"
	WebP Format = "webp"
)

// Codes are what WeChat's code endpoints answer with, and what Limits with no
// Formats accept: anything else from the API is not a code.
var Codes = []Format{PNG, JPEG}

// AnyFormat is every format a user's file may be in (File accepts them all).
var AnyFormat = []Format{PNG, JPEG, GIF, BMP, WebP}

// codec reads one format: the header alone, or the pixels (for a GIF, the
// first frame).
type codec struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

var codecs = map[Format]codec{
	PNG:  {png.DecodeConfig, png.Decode},
	JPEG: {jpeg.DecodeConfig, jpeg.Decode},
	GIF:  {gif.DecodeConfig, gif.Decode},
	BMP:  {bmp.DecodeConfig, bmp.Decode},
	WebP: {webp.DecodeConfig, webp.Decode},
}

// Sniff names the format from the magic bytes.
func Sniff(b []byte) (Format, bool) {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, true
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG, true
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return GIF, true
	case bytes.HasPrefix(b, []byte("BM")) && len(b) >= 26:
		// "BM" alone is two letters of text: a file header (14) and at
		// least the size fields of an info header must follow.
		return BMP, true
	case len(b) >= 12 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return WebP, true
	}
	return "", false
}

// formats is what l accepts.
func (l Limits) formats() []Format {
	if len(l.Formats) == 0 {
		return Codes
	}
	return l.Formats
}

// Accepts says whether l takes images in format f.
func (l Limits) Accepts(f Format) bool { return slices.Contains(l.formats(), f) }

// FormatNames lists the accepted formats for a message: "PNG, JPEG or GIF".
func (l Limits) FormatNames() string {
	fs := l.formats()
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = strings.ToUpper(string(f))
		if f == WebP {
			names[i] = "WebP"
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
