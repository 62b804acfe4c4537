package testimage

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/gif"

	"golang.org/x/image/bmp"
)

// GIF encodes img as a one-frame GIF (palette by the encoder: fine for codes,
// which have few colours).
func GIF(img image.Image) []byte {
	var b bytes.Buffer
	if err := gif.Encode(&b, img, nil); err != nil {
		panic("testimage: " + err.Error())
	}
	return b.Bytes()
}

// BMP encodes img as a BMP.
func BMP(img image.Image) []byte {
	var b bytes.Buffer
	if err := bmp.Encode(&b, img); err != nil {
		panic("testimage: " + err.Error())
	}
	return b.Bytes()
}

// BombGIF is a valid 1×1 GIF whose logical screen (what DecodeConfig reports)
// declares w×h.
func BombGIF(w, h uint16) []byte {
	b := GIF(image.NewGray(image.Rect(0, 0, 1, 1)))
	// "GIF89a" (6), then the logical screen's width and height, little-endian.
	binary.LittleEndian.PutUint16(b[6:8], w)
	binary.LittleEndian.PutUint16(b[8:10], h)
	return b
}

// BombBMP is a 1×1 BMP whose info header declares w×h (the pixel data stays
// one pixel: a header check refuses it before reading them).
func BombBMP(w, h int32) []byte {
	b := BMP(image.NewGray(image.Rect(0, 0, 1, 1)))
	// The file header (14), the info header's size (4), then width and height.
	binary.LittleEndian.PutUint32(b[18:22], uint32(w))
	binary.LittleEndian.PutUint32(b[22:26], uint32(h))
	return b
}
