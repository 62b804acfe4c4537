package atomicfile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
)

// TestTargetKinds is the class test at its root: every kind of target, through
// CheckTarget, WriteFile, WriteNew and OpenAppend. Only a new file, a regular
// file or a link to one is written; anything else is a *TargetError and is
// left exactly as it was (a log may also append to a character device).
func TestTargetKinds(t *testing.T) {
	for _, tg := range testenv.Targets(t) {
		t.Run(tg.Kind, func(t *testing.T) {
			before := testenv.State(t, tg.Path)
			if !tg.Regular {
				for name, err := range map[string]error{
					"CheckTarget": CheckTarget(tg.Path),
					"CheckKind":   CheckKind(tg.Path),
					"WriteFile":   WriteFile(tg.Path, []byte("new"), 0o644),
					"WriteNew":    WriteNew(tg.Path, []byte("new"), 0o644),
				} {
					require.ErrorIs(t, err, ErrNotRegular, name)
					assert.NotErrorIs(t, err, ErrExists, name)
					assert.Contains(t, err.Error(), "wxacode writes only new or regular files", name)
				}
				f, created, err := OpenAppend(tg.Path, 0o600)
				if tg.CharDevice {
					require.NoError(t, err)
					assert.False(t, created)
					_, err = f.WriteString("log line\n")
					assert.NoError(t, err)
					f.Close()
				} else {
					require.ErrorIs(t, err, ErrNotRegular)
				}
				assert.Equal(t, before, testenv.State(t, tg.Path), "left as it was")
				return
			}
			require.NoError(t, CheckTarget(tg.Path))
			assert.Equal(t, before, testenv.State(t, tg.Path), "CheckTarget changes nothing")
			err := WriteNew(tg.Path, []byte("new"), 0o644)
			if tg.Kind == "missing" {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, ErrExists)
				assert.Equal(t, before, testenv.State(t, tg.Path))
			}
			require.NoError(t, WriteFile(tg.Path, []byte("newer"), 0o644))
			got, err := os.ReadFile(tg.Path)
			require.NoError(t, err)
			assert.Equal(t, "newer", string(got))
			if strings.HasPrefix(tg.Kind, "symlink") {
				st, err := os.Lstat(tg.Path)
				require.NoError(t, err)
				assert.NotZero(t, st.Mode()&fs.ModeSymlink, "the link stays; the file it leads to is replaced")
			}
		})
	}
}

// TestTargetKindsCharDevice runs TestTargetKinds with a device like /dev/null.
func TestTargetKindsCharDevice(t *testing.T) {
	testenv.RerunInMountNamespace(t, "TestTargetKinds")
}

// OpenAppend creates a new log 0600 and never changes an existing file's mode.
func TestOpenAppendKeepsModes(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, "new.log")
	f, created, err := OpenAppend(fresh, 0o600)
	require.NoError(t, err)
	assert.True(t, created)
	f.Close()
	st, err := os.Stat(fresh)
	require.NoError(t, err)
	assert.Equal(t, fs.FileMode(0o600), st.Mode().Perm())

	loose := filepath.Join(dir, "loose.log")
	require.NoError(t, os.WriteFile(loose, []byte("one\n"), 0o644))
	require.NoError(t, os.Chmod(loose, 0o644))
	f, created, err = OpenAppend(loose, 0o600)
	require.NoError(t, err)
	assert.False(t, created)
	_, err = f.WriteString("two\n")
	require.NoError(t, err)
	f.Close()
	st, err = os.Stat(loose)
	require.NoError(t, err)
	assert.Equal(t, fs.FileMode(0o644), st.Mode().Perm(), "not ours to chmod")
	b, _ := os.ReadFile(loose)
	assert.Equal(t, "one\ntwo\n", string(b), "appended")
}

// TestCheckTargetNames: names no file system takes are refused before a
// call; the longest allowed name is written, temporary file and all.
func TestCheckTargetNames(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("a", 300) + ".jpg"
	err := CheckTarget(filepath.Join(dir, long))
	require.ErrorIs(t, err, ErrBadName)
	assert.Contains(t, err.Error(), "304 bytes; file systems take at most 255: shorten it")
	require.ErrorIs(t, CheckTarget(filepath.Join(dir, strings.Repeat("b", 256), "x.jpg")), ErrBadName, "a folder component too")
	require.ErrorIs(t, CheckTarget(""), ErrBadName)
	require.ErrorIs(t, CheckTarget(dir+string(filepath.Separator)), ErrNotRegular)

	longest := filepath.Join(dir, strings.Repeat("c", MaxNameBytes-4)+".jpg")
	require.NoError(t, CheckTarget(longest))
	require.NoError(t, WriteFile(longest, []byte("x"), 0o644))
	assert.Len(t, listDir(t, dir), 1, "no temporary file left")

	err = CheckTarget(filepath.Join(dir, "no", "x.jpg"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "does not exist; create it first")
}

// TestCheckTargetReadOnlyFolder tries the folder for real: permission bits
// say nothing to root, a read-only mount says no to everyone.
func TestCheckTargetReadOnlyFolder(t *testing.T) {
	dir := testenv.ReadOnlyDir(t)
	err := CheckTarget(filepath.Join(dir, "code.jpg"))
	require.ErrorIs(t, err, ErrUnwritable)
	assert.Contains(t, err.Error(), "choose a folder you can write to")
	assert.Empty(t, listDir(t, dir))
}

// TestCheckTargetReadOnlyFolderAsRoot runs it on a read-only mount.
func TestCheckTargetReadOnlyFolderAsRoot(t *testing.T) {
	testenv.RerunInMountNamespace(t, "TestCheckTargetReadOnlyFolder")
}

// -o /dev/stdout with stdout a pipe: the link leads to /proc/self/fd/N and
// on to "pipe:[…]", which is no path. It is refused as a pipe, not replaced.
func TestCheckTargetProcPipe(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	fd := filepath.Join("/proc/self/fd", fmt.Sprint(w.Fd()))
	if _, err := os.Lstat(fd); err != nil {
		t.Skipf("no %s here: %v", fd, err)
	}
	link := filepath.Join(t.TempDir(), "stdout")
	require.NoError(t, os.Symlink(fd, link))
	for _, err := range []error{CheckTarget(link), WriteFile(link, []byte("x"), 0o644)} {
		require.ErrorIs(t, err, ErrNotRegular)
		assert.Contains(t, err.Error(), "a symbolic link to a named pipe (FIFO)")
	}
	st, err := os.Lstat(link)
	require.NoError(t, err)
	assert.NotZero(t, st.Mode()&fs.ModeSymlink, "the link is still a link")
}
