//go:build unix

package batch

import (
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A pipe where the manifest or a recorded file should be is an error, never
// a wait for a writer that does not come.
func TestPipesInTheFolderAreRefused(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, ManifestName), 0o644))
	done := make(chan error, 2)
	go func() { _, err := loadManifest(dir); done <- err }()
	go func() { _, err := openManifest(dir); done <- err }()
	for range 2 {
		err := <-done
		require.Error(t, err)
		assert.Contains(t, err.Error(), "pipe")
	}
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "code.jpg"), 0o644))
	ok, why := verifyFile(filepath.Join(dir, "code.jpg"), "00")
	assert.False(t, ok)
	assert.Contains(t, why, "pipe")
}
