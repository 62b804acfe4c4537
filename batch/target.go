package batch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"wxacode/atomicfile"
	"wxacode/wechat"
)

// targetProblems finds, before any call, a row whose "file" already names
// something that is not a regular file (a folder, pipe or device, or a link
// to one): atomicfile would refuse to write it after the code was paid for.
// Templated names depend on the answer (width, format), so only the write
// itself can check them.
func targetProblems(out string, it *Item) []wechat.Problem {
	if it.File == "" {
		return nil
	}
	for _, f := range []wechat.Format{wechat.FormatJPEG, wechat.FormatPNG} {
		path := filepath.Join(out, fileColumnName(it.File, f.Ext()[1:]))
		if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		var te *atomicfile.TargetError
		if err := atomicfile.CheckKind(path); errors.As(err, &te) && errors.Is(err, atomicfile.ErrNotRegular) {
			return []wechat.Problem{{Field: "file", Message: te.Error(), Fix: "move it away or give the row another file name"}}
		}
	}
	return nil
}
