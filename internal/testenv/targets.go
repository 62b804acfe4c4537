package testenv

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Target is one kind of thing a file name can point at, for the tests of
// everything that writes a code, a sidecar or a log.
type Target struct {
	Kind string // "regular", "missing", "folder", "fifo", "symlink to fifo", …
	Path string
	// Regular is true when a code writer must accept it: a new file, a
	// regular file, or a symbolic link to one.
	Regular bool
	// CharDevice marks a device such as /dev/null (a log may append to it).
	CharDevice bool
}

// Targets makes one of each kind, named KIND.jpg, in a fresh folder: a regular
// file, a missing one, a folder, a FIFO and symbolic links to a folder, a
// regular file and a FIFO; inside RerunInMountNamespace also a character
// device (1,3: what /dev/null is) on a private tmpfs, and a link to it.
func Targets(t testing.TB) []Target {
	t.Helper()
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name+".jpg") }
	require.NoError(t, os.WriteFile(p("regular"), []byte("old bytes"), 0o640))
	require.NoError(t, os.Mkdir(p("folder"), 0o755))
	require.NoError(t, os.Symlink(p("folder"), p("symlink-to-folder")))
	require.NoError(t, os.WriteFile(p("link-target"), []byte("linked bytes"), 0o640))
	require.NoError(t, os.Symlink(p("link-target"), p("symlink-to-regular")))
	ts := []Target{
		{Kind: "regular", Path: p("regular"), Regular: true},
		{Kind: "missing", Path: p("missing"), Regular: true},
		{Kind: "folder", Path: p("folder")},
		{Kind: "symlink to folder", Path: p("symlink-to-folder")},
		{Kind: "symlink to regular", Path: p("symlink-to-regular"), Regular: true},
	}
	if mkfifo(p("fifo")) == nil {
		require.NoError(t, os.Symlink(p("fifo"), p("symlink-to-fifo")))
		ts = append(ts, Target{Kind: "fifo", Path: p("fifo")}, Target{Kind: "symlink to fifo", Path: p("symlink-to-fifo")})
	} else {
		t.Logf("no FIFO on this system: those kinds are left out")
	}
	if os.Getenv(nsVar) != "" {
		dev := charDevice(t)
		require.NoError(t, os.Symlink(dev, p("symlink-to-device")))
		ts = append(ts, Target{Kind: "char device", Path: dev, CharDevice: true},
			Target{Kind: "symlink to char device", Path: p("symlink-to-device"), CharDevice: true})
	}
	return ts
}

// State describes what is at path without opening a pipe or a device (its
// kind, mode and link, a regular file's bytes, a folder's names), so a test
// can say a writer left it exactly as it was.
func State(t testing.TB, path string) string {
	t.Helper()
	st, err := os.Lstat(path)
	if err != nil {
		return "missing"
	}
	s := st.Mode().String()
	switch {
	case st.Mode()&os.ModeSymlink != 0:
		dest, err := os.Readlink(path)
		require.NoError(t, err)
		return s + " -> " + dest + ": " + State(t, dest)
	case st.Mode().IsRegular():
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		return s + " " + string(b)
	case st.IsDir():
		ents, err := os.ReadDir(path)
		require.NoError(t, err)
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		slices.Sort(names)
		return s + " [" + strings.Join(names, " ") + "]"
	}
	return s + devState(st)
}

// Mkfifo makes a named pipe at path, or skips where there are none.
func Mkfifo(t testing.TB, path string) {
	t.Helper()
	if err := mkfifo(path); err != nil {
		t.Skipf("no named pipe at %s: %v", path, err)
	}
}
