package batch

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A killed run's temporaries go; a user's own hidden files in --out stay.
func TestRemoveTempsKeepsTheUsersFiles(t *testing.T) {
	dir := t.TempDir()
	ours := []string{".eecefef47f4c5d0a.jpg.3141592653.tmp", ".a.png.1.tmp", ".failed.csv.42.tmp"}
	theirs := []string{".notes.2024.tmp", ".backup.7.tmp", ".x.jpg.tmp", "code.jpg"}
	for _, n := range append(append([]string{}, ours...), theirs...) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644))
	}
	assert.Equal(t, len(ours), removeTemps(dir))
	for _, n := range ours {
		assert.NoFileExists(t, filepath.Join(dir, n))
	}
	for _, n := range theirs {
		assert.FileExists(t, filepath.Join(dir, n))
	}
}
