//go:build !linux

package hugebuf

// reserve has nothing to offer where huge pages cannot be asked for: Bytes
// is then make.
func reserve(int) []byte { return nil }
