//go:build !linux

package testenv

import (
	"io/fs"
	"os"
	"testing"
)

const nsVar = "WXACODE_TEST_MOUNTNS"

// RerunInMountNamespace needs Linux's mount namespaces; elsewhere it skips.
func RerunInMountNamespace(t *testing.T, name string) {
	t.Skip("private mount namespaces are Linux only: the character device targets are not tested here")
}

// ReadOnlyDir is a folder chmodded 0555 (root, who ignores it, skips).
func ReadOnlyDir(t testing.TB) string {
	t.Helper()
	if os.Geteuid() == 0 {
		t.Skip("as root a read-only folder needs a read-only mount, made on Linux only")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
	return dir
}

func charDevice(t testing.TB) string {
	t.Skip("character devices are made in Linux mount namespaces only")
	return ""
}

func devState(fs.FileInfo) string { return "" }
