package codeimage

import (
	"fmt"
	"io"
	"os"
)

// MaxFileBytes bounds a code file read for a preview: a 1280 px PNG code is
// under 1 MiB, so 64 MiB is no code.
const MaxFileBytes = 64 << 20

// ReadFile reads a code file of at most MaxFileBytes. A folder, pipe or
// device is refused before reading (a pipe would block, /dev/zero never ends).
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s): give the path of a saved code", path, st.Mode().Type())
	}
	if st.Size() > MaxFileBytes {
		return nil, fmt.Errorf("%s is %d bytes, too large to be a code (at most %d MiB)", path, st.Size(), MaxFileBytes>>20)
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileBytes {
		return nil, fmt.Errorf("%s grew past %d MiB while read: too large to be a code", path, MaxFileBytes>>20)
	}
	return b, nil
}
