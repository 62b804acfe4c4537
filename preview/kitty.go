package preview

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"strconv"
)

// kittyChunk is the most base64 a kitty graphics command may carry.
const kittyChunk = 4096

// encodePNG is the payload of the kitty and iTerm2 protocols. A 2-colour
// paletted code becomes a 1-bit PNG of a few kilobytes.
func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// EncodeKitty returns the kitty graphics commands that show img over
// cols×rows cells at the cursor: first a delete of image id (so a new preview
// replaces the old one instead of stacking), then a transmit-and-display
// (a=T) of the PNG in base64 chunks. q=2 keeps the terminal from answering.
func EncodeKitty(img image.Image, id uint32, cols, rows int) (string, error) {
	data, err := encodePNG(img)
	if err != nil {
		return "", err
	}
	if id == 0 {
		id = 1
	}
	sid := strconv.FormatUint(uint64(id), 10)
	b64 := base64.StdEncoding.EncodeToString(data)
	var out bytes.Buffer
	out.Grow(len(b64) + len(b64)/kittyChunk*16 + 128)
	out.WriteString(KittyDelete(id))
	for i := 0; i < len(b64) || i == 0; i += kittyChunk {
		chunk := b64[i:min(i+kittyChunk, len(b64))]
		more := "1"
		if i+kittyChunk >= len(b64) {
			more = "0"
		}
		out.WriteString("\x1b_G")
		if i == 0 {
			out.WriteString("a=T,f=100,q=2,i=" + sid + ",c=" + strconv.Itoa(cols) + ",r=" + strconv.Itoa(rows) + ",")
		}
		out.WriteString("m=" + more + ";" + chunk + "\x1b\\")
	}
	return out.String(), nil
}

// KittyDelete deletes the image with this id and frees its data (d=I), for
// the UI to send when a kitty preview goes away.
func KittyDelete(id uint32) string {
	return "\x1b_Ga=d,d=I,q=2,i=" + strconv.FormatUint(uint64(id), 10) + "\x1b\\"
}

// EncodeITerm returns an iTerm2 inline image (OSC 1337 File=) sized in cells,
// as iTerm2, WezTerm, VS Code and mintty show it. BEL-terminated, which all of
// them accept.
func EncodeITerm(img image.Image, cols, rows int) (string, error) {
	data, err := encodePNG(img)
	if err != nil {
		return "", err
	}
	b64 := base64.StdEncoding.EncodeToString(data)
	return "\x1b]1337;File=inline=1;size=" + strconv.Itoa(len(data)) +
		";width=" + strconv.Itoa(cols) + ";height=" + strconv.Itoa(rows) +
		";preserveAspectRatio=1:" + b64 + "\x07", nil
}
