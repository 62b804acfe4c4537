package batch

import (
	"fmt"

	"wxacode/codefile"
	"wxacode/codeimage"
	"wxacode/wechat"
)

// flatten is c drawn onto Options.Flatten when the row asks for a
// transparent code (is_hyaline), in the format its name asks for: the
// "file" column's extension, else the template's when it ends in a literal
// .jpg or .png, else PNG (what {ext} gives a hyaline code). The entry's
// Flattened keeps WeChat's bytes' sha256. Other rows, and every row without
// --flatten, are c as it came.
func (g *gen) flatten(it *Item, c *wechat.Code) (*wechat.Code, *codefile.Flattened, error) {
	bg := g.o.Flatten
	if k := it.Params.Kind; bg == nil || !it.Params.Hyaline || k != wechat.KindUnlimited && k != wechat.KindLimited {
		return c, nil, nil
	}
	to := wechat.FormatPNG
	if it.File != "" {
		if f, ok := codefile.FormatForName(it.File); ok {
			to = f
		}
	} else if f, ok := codefile.FormatForName(g.o.Name); ok {
		to = f // the template's own end: {scene}.jpg ({hash}.{ext} has none)
	}
	img := c.Image
	if img == nil {
		var err error
		if img, _, err = codeimage.Decode(c.Bytes, codeimage.File); err != nil {
			return nil, nil, fmt.Errorf("flatten: %w", err)
		}
	}
	b, err := codeimage.Flatten(img, *bg, codeimage.Format(to))
	if err != nil {
		return nil, nil, err
	}
	fc := *c
	fc.Bytes, fc.Format, fc.Image = b, to, nil
	return &fc, codefile.FlattenedFrom(codeimage.Hex(*bg), string(c.Format), c.Bytes), nil
}
