package batch

import (
	"fmt"

	"wxacode/codefile"
	"wxacode/wechat"
)

// flatten is c drawn onto Options.Flatten (codefile.Flatten) when the row
// asks for a transparent code (is_hyaline), in the format its name asks for:
// the "file" column's extension, else the template's when it ends in a
// literal .jpg or .png ({scene}.jpg; {hash}.{ext} has none), else PNG. The
// entry's Flattened keeps WeChat's bytes' sha256. Other rows, and every row
// without --flatten, are c as it came.
func (g *gen) flatten(it *Item, c *wechat.Code) (*wechat.Code, *codefile.Flattened, error) {
	bg := g.o.Flatten
	if k := it.Params.Kind; bg == nil || !it.Params.Hyaline || k != wechat.KindUnlimited && k != wechat.KindLimited {
		return c, nil, nil
	}
	name := it.File
	if name == "" {
		name = g.o.Name
	}
	fc, fl, err := codefile.Flatten(c, *bg, name)
	if err != nil {
		return nil, nil, fmt.Errorf("flatten: %w", err)
	}
	return fc, fl, nil
}
