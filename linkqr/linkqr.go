// Package linkqr draws link QR codes (普通链接二维码): a plain QR code of
// exactly one URL, made locally, for a mini program that claimed the URL's
// prefix. The rules are wechat.LinkQR.Validate, the one validator; what the
// page receives is scene.ExplainLink.
//
// The encoder is github.com/piglig/go-qr (MIT, no dependencies): it takes
// the error-correction level as given (no silent boost) and hands back the
// module grid, which is drawn here at a whole number of pixels a module and
// encoded by codeimage.Encode, as flattened codes are.
package linkqr

import (
	"errors"
	"fmt"
	"image"
	"image/color"

	goqr "github.com/piglig/go-qr"

	"wxacode/codeimage"
	"wxacode/wechat"
)

// MinModulePixels is the smallest module drawn: one pixel a module reads on
// a screen but not once printed or photographed.
const MinModulePixels = 2

// Image is a drawn link QR.
type Image struct {
	Bytes   []byte
	Format  wechat.Format
	Width   int // pixels, square
	Version int // QR version, 1–40
	Modules int // modules a side, without the quiet zone
	Scale   int // pixels a module
	EC      wechat.ECLevel
}

// Symbol is the QR symbol of r.URL at r's level, exactly: byte mode, the
// URL's bytes as they are, the level never raised.
func Symbol(r wechat.LinkQR) (*goqr.QrCode, error) {
	seg, err := goqr.MakeBytes([]byte(r.URL))
	if err != nil {
		return nil, err
	}
	qr, err := goqr.EncodeSegments([]*goqr.QrSegment{seg}, ecc(r.Level()), goqr.MinVersion, goqr.MaxVersion, -1, false)
	if errors.Is(err, goqr.ErrDataTooLong) {
		return nil, &wechat.ValidationError{Kind: wechat.KindLinkQR, Problems: []wechat.Problem{{Field: "url",
			Message: fmt.Sprintf("does not fit in a QR code at level %s", r.Level()), Fix: "use a lower --ec or shorten it"}}}
	}
	return qr, err
}

func ecc(e wechat.ECLevel) goqr.Ecc {
	switch e {
	case wechat.ECLow:
		return goqr.Low
	case wechat.ECQuartile:
		return goqr.Quartile
	case wechat.ECHigh:
		return goqr.High
	}
	return goqr.Medium
}

// Encode validates r and draws it as f. A *wechat.ValidationError means r
// breaks a rule, or the URL's symbol is too big for the width (each module
// gets at least MinModulePixels).
func Encode(r wechat.LinkQR, f wechat.Format) (*Image, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	qr, err := Symbol(r)
	if err != nil {
		return nil, err
	}
	n, margin, width := qr.Size(), r.QuietZone(), r.Size()
	total := n + 2*margin
	scale := width / total
	if scale < MinModulePixels {
		return nil, &wechat.ValidationError{Kind: wechat.KindLinkQR, Problems: []wechat.Problem{{Field: "width",
			Message: fmt.Sprintf("%d px is too small for this URL: its code is %d modules a side with the quiet zone, and a module needs %d px", width, total, MinModulePixels),
			Fix:     fmt.Sprintf("use --width %d or more, a lower --ec, or a shorter URL", total*MinModulePixels)}}}
	}
	line, bg := r.Colors()
	img := image.NewPaletted(image.Rect(0, 0, width, width), color.Palette{rgba(bg), rgba(line)})
	// The pixels a whole number of modules leave over go to the quiet zone.
	off := (width - n*scale) / 2
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if !qr.Module(x, y) {
				continue
			}
			for py := off + y*scale; py < off+(y+1)*scale; py++ {
				row := img.Pix[py*img.Stride:]
				for px := off + x*scale; px < off+(x+1)*scale; px++ {
					row[px] = 1
				}
			}
		}
	}
	// The one encoder of drawn codes: a paletted PNG, or JPEG at codeimage.JPEGQuality.
	b, err := codeimage.Encode(img, codeimage.Format(f))
	if err != nil {
		return nil, fmt.Errorf("linkqr: %w", err)
	}
	return &Image{Bytes: b, Format: f, Width: width, Version: (n - 17) / 4, Modules: n, Scale: scale, EC: r.Level()}, nil
}

func rgba(c wechat.Color) color.RGBA {
	return color.RGBA{R: uint8(c.R), G: uint8(c.G), B: uint8(c.B), A: 0xff}
}
