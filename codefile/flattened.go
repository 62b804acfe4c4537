package codefile

import (
	"image/color"

	"wxacode/codeimage"
	"wxacode/wechat"
)

// Flattened says a transparent (is_hyaline) code was drawn onto a solid
// colour before it was saved (--flatten): the file's bytes, format and
// sha256 are then not what WeChat sent, and these fields keep what it did,
// so the original can still be matched against WeChat's answer. The JSON
// names are a contract (README: Sidecar, Manifest, get --json).
type Flattened struct {
	Background     string `json:"background"`      // #rrggbb
	OriginalFormat string `json:"original_format"` // as WeChat sent it: png
	OriginalBytes  int    `json:"original_bytes"`
	OriginalSHA256 string `json:"original_sha256"` // hex, of WeChat's bytes
}

// FlattenFormat is the format a code flattened to be saved under name is
// in: the one name asks for (FormatForName), else PNG.
func FlattenFormat(name string) wechat.Format {
	if f, ok := FormatForName(name); ok {
		return f
	}
	return wechat.FormatPNG
}

// Flatten is c drawn onto bg to be saved under name: the one --flatten of
// get, batch and the designer. The format is FlattenFormat(name): .jpg
// JPEG, .png PNG, else PNG, which is what {ext} gives a transparent code
// and what stdout gets. The copy's Bytes and Format are
// the flattened file's (Image is nil: the pixels changed); the *Flattened
// keeps WeChat's format, size and sha256 for the sidecar or manifest line.
// Which codes are flattened, and the words around an error, are the
// caller's.
func Flatten(c *wechat.Code, bg color.RGBA, name string) (*wechat.Code, *Flattened, error) {
	img := c.Image
	if img == nil { // a Code from history or a file: decode it here
		var err error
		if img, _, err = codeimage.Decode(c.Bytes, codeimage.File); err != nil {
			return nil, nil, err
		}
	}
	to := FlattenFormat(name)
	b, err := codeimage.Flatten(img, bg, codeimage.Format(to))
	if err != nil {
		return nil, nil, err
	}
	fc := *c
	fc.Bytes, fc.Format, fc.Image = b, to, nil
	return &fc, &Flattened{Background: codeimage.Hex(bg), OriginalFormat: string(c.Format),
		OriginalBytes: len(c.Bytes), OriginalSHA256: ContentSHA256(c.Bytes)}, nil
}
