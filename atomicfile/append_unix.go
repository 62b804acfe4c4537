//go:build unix

package atomicfile

import (
	"os"
	"syscall"
)

// openNonblock keeps the open itself from waiting: a named pipe put in the
// file's place after it was looked at fails at once (ENXIO) instead of
// hanging for a reader.
const openNonblock = syscall.O_NONBLOCK

// blocking undoes openNonblock once the file is known to be appendable.
func blocking(f *os.File) error { return syscall.SetNonblock(int(f.Fd()), false) }
