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

// BombWebP is an extended WebP (a VP8X chunk) whose canvas declares w×h
// (each at most 2²⁴) and which holds no image data at all.
func BombWebP(w, h uint32) []byte {
	vp8x := make([]byte, 10) // flags (1), reserved (3), width−1 (3), height−1 (3)
	put24 := func(b []byte, v uint32) { b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16) }
	put24(vp8x[4:7], w-1)
	put24(vp8x[7:10], h-1)
	var b bytes.Buffer
	b.WriteString("RIFF")
	_ = binary.Write(&b, binary.LittleEndian, uint32(4+8+len(vp8x)))
	b.WriteString("WEBPVP8X")
	_ = binary.Write(&b, binary.LittleEndian, uint32(len(vp8x)))
	b.Write(vp8x)
	return b.Bytes()
}
