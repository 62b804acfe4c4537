//go:build !unix

package batch

import "os"

// lockFile is a no-op where flock is missing: run one batch per folder.
func lockFile(f *os.File) error { return nil }
