package batch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"wxacode/atomicfile"
	"wxacode/wechat"
)

// targetProblems finds, before any call, a row whose file name already names
// something that is not a regular file (a folder, pipe or device, or a link
// to one): atomicfile would refuse to write it after the code was paid for.
// The name follows the answer's format and width, so both formats are tried
// at the width the row asks for (WeChat returns that width; the write
// itself still refuses anything this misses).
func targetProblems(out, tmpl string, it *Item) []wechat.Problem {
	width := it.Params.Width
	if width == 0 {
		width = wechat.DefaultWidth
	}
	width = min(max(width, wechat.MinWidth), wechat.MaxWidth)
	for _, f := range []wechat.Format{wechat.FormatJPEG, wechat.FormatPNG} {
		name, err := rowFileName(tmpl, it, f, width)
		if err != nil {
			continue // the template was checked before the pass; the write reports it
		}
		path := filepath.Join(out, name)
		if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		var te *atomicfile.TargetError
		if err := atomicfile.CheckKind(path); errors.As(err, &te) && errors.Is(err, atomicfile.ErrNotRegular) {
			return []wechat.Problem{{Field: "file", Message: te.Error(), Fix: "move it away, or give the row another file name (the file column or --name)"}}
		}
	}
	return nil
}
