package atomicfile

import (
	"errors"
	"io/fs"
	"os"
)

// OpenAppend opens path for appending, for logs. A missing file is created
// with perm; an existing one keeps its mode (a file we did not create is not
// ours to chmod, and chmodding /dev/null broke every program using it). It
// takes a regular file or a character device such as /dev/null (appending to
// one is harmless) and refuses folders, named pipes (opening one blocks until
// a reader comes), block devices and sockets. created says which case it was.
func OpenAppend(path string, perm fs.FileMode) (f *os.File, created bool, err error) {
	if err := checkName(path); err != nil {
		return nil, false, err
	}
	f, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE|os.O_EXCL, perm)
	if err == nil {
		return f, true, nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return nil, false, &TargetError{Path: path, Err: err, Reason: unwrapPath(err).Error()}
	}
	// Look before opening: opening a pipe would hang.
	st, err := os.Stat(path)
	if err != nil {
		return nil, false, &TargetError{Path: path, Err: err, Reason: unwrapPath(err).Error()}
	}
	if !appendable(st.Mode()) {
		return nil, false, notAppendable(path, st.Mode())
	}
	f, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND|openNonblock, 0)
	if err != nil {
		return nil, false, &TargetError{Path: path, Err: err, Reason: unwrapPath(err).Error()}
	}
	// The file opened may not be the one looked at (renamed in between).
	if st, err = f.Stat(); err != nil || !appendable(st.Mode()) {
		f.Close()
		if err != nil {
			return nil, false, &TargetError{Path: path, Err: err, Reason: unwrapPath(err).Error()}
		}
		return nil, false, notAppendable(path, st.Mode())
	}
	if err := blocking(f); err != nil {
		f.Close()
		return nil, false, &TargetError{Path: path, Err: err, Reason: err.Error()}
	}
	return f, false, nil
}

func appendable(m fs.FileMode) bool {
	return m.IsRegular() || (m&fs.ModeCharDevice != 0)
}

func notAppendable(path string, m fs.FileMode) error {
	return &TargetError{Path: path, Err: ErrNotRegular,
		Reason: "that is " + Kind(m) + "; a log goes to a new or regular file (or a character device such as /dev/null)"}
}
