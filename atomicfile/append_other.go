//go:build !unix

package atomicfile

import "os"

const openNonblock = 0

func blocking(*os.File) error { return nil }
