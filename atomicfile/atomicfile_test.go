package atomicfile

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFileReplacesAndLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "code.jpg")
	require.NoError(t, WriteFile(path, []byte("one"), 0o644))
	require.NoError(t, WriteFile(path, []byte("two"), 0o600))

	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "two", string(got))
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	assert.Equal(t, []string{"code.jpg"}, listDir(t, dir))
}

func TestWriteNewRefusesExisting(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "code.png")
	require.NoError(t, WriteNew(path, []byte("first"), 0o644))
	err := WriteNew(path, []byte("second"), 0o644)
	require.ErrorIs(t, err, ErrExists)

	got, _ := os.ReadFile(path)
	assert.Equal(t, "first", string(got), "the existing file keeps its bytes")
	assert.Equal(t, []string{"code.png"}, listDir(t, dir), "no temp file is left behind")
}

func TestWriteNewOneWinnerUnderRace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "race.jpg")
	var wg sync.WaitGroup
	wins := make(chan int, 16)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if WriteNew(path, []byte{byte(i)}, 0o644) == nil {
				wins <- i
			}
		}()
	}
	wg.Wait()
	close(wins)
	assert.Len(t, wins, 1)
	assert.Equal(t, []string{"race.jpg"}, listDir(t, dir))
}

func TestWriteFileMissingDirFailsCleanly(t *testing.T) {
	err := WriteFile(filepath.Join(t.TempDir(), "no", "such", "dir", "x.jpg"), []byte("x"), 0o644)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "x.jpg")
}

func TestTempBase(t *testing.T) {
	for _, tt := range []struct {
		name, base string
		ok         bool
	}{
		{".code.jpg.123456789.tmp", "code.jpg", true},
		{".failed.csv.1.tmp", "failed.csv", true},
		{".notes.tmp", "", false},            // no digits
		{".notes.2024x.tmp", "", false},      // not only digits
		{".a.12345678901.tmp", "", false},    // more digits than CreateTemp makes
		{"code.jpg.123.tmp", "", false},      // not hidden
		{".code.jpg.123.tmp.bak", "", false}, // not .tmp
		{"..1.tmp", "", false},               // no base
	} {
		base, ok := TempBase(tt.name)
		assert.Equal(t, tt.ok, ok, tt.name)
		assert.Equal(t, tt.base, base, tt.name)
	}
	// What WriteFile leaves behind when killed is recognised.
	dir := t.TempDir()
	f, err := os.CreateTemp(dir, tempPattern("code.jpg"))
	require.NoError(t, err)
	f.Close()
	base, ok := TempBase(filepath.Base(f.Name()))
	assert.True(t, ok)
	assert.Equal(t, "code.jpg", base)
}

// Replacing a file keeps the mode its owner gave it.
func TestWriteFileKeepsTheMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "code.jpg")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o600))
	require.NoError(t, os.Chmod(path, 0o640))
	require.NoError(t, WriteFile(path, []byte("new"), 0o644))
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o640), st.Mode().Perm())
	fresh := filepath.Join(filepath.Dir(path), "fresh.jpg")
	require.NoError(t, WriteFile(fresh, []byte("new"), 0o644))
	st, err = os.Stat(fresh)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), st.Mode().Perm())
}

// A private file (a token cache, a ledger) is 0600 whatever mode it had.
func TestWriteFilePrivateIsAlwaysPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.json")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o644))
	require.NoError(t, os.Chmod(path, 0o644))
	require.NoError(t, WriteFile(path, []byte("new"), 0o600))
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
}
