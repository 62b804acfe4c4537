package codeimage

import (
	"fmt"
	"io"
	"io/fs"
	"os"

	"wxacode/hugebuf"
)

// MaxFileBytes bounds a code file read for a preview: a 1280 px PNG code is
// under 1 MiB, so 64 MiB is no code.
const MaxFileBytes = 64 << 20

// ReadFile reads a code file of at most MaxFileBytes. A folder, pipe or
// device is refused before reading (a pipe would block, /dev/zero never ends).
// Its own errors leave the path to the caller; os errors carry it.
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
		what := "a folder"
		switch m := st.Mode(); {
		case m&fs.ModeNamedPipe != 0:
			what = "a named pipe (FIFO)"
		case m&fs.ModeDevice != 0:
			what = "a device"
		case m&fs.ModeSocket != 0:
			what = "a socket"
		}
		return nil, fmt.Errorf("that is %s, not a regular file: give the path of a saved code", what)
	}
	if st.Size() > MaxFileBytes {
		return nil, fmt.Errorf("%d bytes is too large to be a code (at most %d MiB)", st.Size(), MaxFileBytes>>20)
	}
	// One read into a buffer of the size Stat gave, and a little more to
	// see a file that grows: no doubling and copying (fresh memory is a
	// page fault a 4 KiB, a tenth of a small preview's faults).
	buf := hugebuf.Bytes(int(st.Size()) + 512)
	n, err := io.ReadFull(f, buf)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return buf[:n:n], nil
	}
	if err != nil {
		return nil, err
	}
	rest, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1-int64(n)))
	if err != nil {
		return nil, err
	}
	b := append(buf[:n:n], rest...)
	if len(b) > MaxFileBytes {
		return nil, fmt.Errorf("it grew past %d MiB while read: too large to be a code", MaxFileBytes>>20)
	}
	return b, nil
}
