// Package testimage draws the fake codes tests need: QR symbols like the
// simulator's (real, scannable), a checkerboard, and their PNG and JPEG
// bytes. Only tests import it.
//
// The functions panic instead of taking a *testing.T: they fail only on a
// bug in the calling test (content too long for a QR symbol), and fakes that
// stand in for WeChat have no T to hand.
package testimage

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"

	qrcode "github.com/skip2/go-qrcode"
)

// QR draws a QR symbol of content, module pixels per module, with the
// standard 4-module quiet zone, in fg on bg (an alpha-0 bg makes a
// transparent code, as WeChat's hyaline ones are).
func QR(content string, module int, fg, bg color.NRGBA) *image.NRGBA {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		panic("testimage: " + err.Error())
	}
	q.DisableBorder = true
	bits := q.Bitmap()
	n := len(bits) + 8
	img := image.NewNRGBA(image.Rect(0, 0, n*module, n*module))
	for y := range n * module {
		for x := range n * module {
			my, mx := y/module-4, x/module-4
			c := bg
			if my >= 0 && mx >= 0 && my < len(bits) && mx < len(bits) && bits[my][mx] {
				c = fg
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// QRSized is QR scaled to exactly size pixels by nearest neighbour, so that
// modules come out uneven, as in WeChat's codes whose width is not a multiple
// of the module count.
func QRSized(content string, size int, fg, bg color.NRGBA) *image.NRGBA {
	src := QR(content, 1, fg, bg)
	n := src.Rect.Dx()
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := range size {
		for x := range size {
			img.SetNRGBA(x, y, src.NRGBAAt(x*n/size, y*n/size))
		}
	}
	return img
}

// Checker draws a w×h grey checkerboard of 8-pixel squares: any image at
// all, for tests about bytes and sizes rather than content.
func Checker(w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			if (x/8+y/8)%2 == 0 {
				img.SetGray(x, y, color.Gray{Y: 255})
			}
		}
	}
	return img
}

// PNG encodes img as PNG.
func PNG(img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic("testimage: " + err.Error())
	}
	return b.Bytes()
}

// JPEG encodes img as JPEG at quality 85, near what WeChat sends.
func JPEG(img image.Image) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		panic("testimage: " + err.Error())
	}
	return b.Bytes()
}

// BombPNG is a real 1×1 PNG whose IHDR (and its CRC) is patched to declare
// w×h px: a few dozen bytes that a decoder without a header check would try
// to allocate w×h×4 bytes for (65535×65535: 17 GB).
func BombPNG(w, h uint32) []byte {
	b := PNG(image.NewGray(image.Rect(0, 0, 1, 1)))
	// Signature (8), then the IHDR chunk: length (4), "IHDR", width, height, 5 more bytes, CRC.
	if string(b[12:16]) != "IHDR" {
		panic("testimage: PNG without a leading IHDR")
	}
	binary.BigEndian.PutUint32(b[16:20], w)
	binary.BigEndian.PutUint32(b[20:24], h)
	binary.BigEndian.PutUint32(b[29:33], crc32.ChecksumIEEE(b[12:29]))
	return b
}
