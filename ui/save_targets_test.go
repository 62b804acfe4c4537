package ui

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/atomicfile"
	"wxacode/codefile"
	"wxacode/internal/testenv"
	"wxacode/internal/testimage"
	"wxacode/wechat"
)

func targetJob(t *testing.T) saveJob {
	t.Helper()
	return saveJob{Data: testimage.JPEG(testimage.Checker(8, 8)), Params: wechat.Params{Kind: wechat.KindUnlimited, Scene: "id=1"},
		Format: wechat.FormatJPEG, Width: 8, Height: 8, Generated: time.Unix(0, 0)}
}

// TestSaveRefusesOddTargets is class 1 of issue 14 for the designer's save
// (the command line's writers are TestWritersRefuseOddTargets): a folder,
// FIFO or device, or a link to one, is refused with and without overwrite
// and left as it was; a new or regular file is saved.
func TestSaveRefusesOddTargets(t *testing.T) {
	for _, tg := range testenv.Targets(t) {
		t.Run(tg.Kind, func(t *testing.T) {
			before := testenv.State(t, tg.Path)
			for _, overwrite := range []bool{false, true} {
				err := writeCode(tg.Path, targetJob(t), overwrite, time.Unix(1, 0))
				if tg.Regular {
					if overwrite || tg.Kind == "missing" {
						require.NoError(t, err)
					} else {
						require.ErrorIs(t, err, atomicfile.ErrExists)
					}
					continue
				}
				require.ErrorIs(t, err, atomicfile.ErrNotRegular)
				assert.Contains(t, err.Error(), "wxacode writes only new or regular files")
				assert.Equal(t, before, testenv.State(t, tg.Path), "left as it was")
			}
		})
	}
}

// TestSaveRefusesOddTargetsCharDevice runs the table with a device like /dev/null.
func TestSaveRefusesOddTargetsCharDevice(t *testing.T) {
	testenv.RerunInMountNamespace(t, "TestSaveRefusesOddTargets")
}

// A sidecar name that is a FIFO stops the save before the image is written,
// so no image is left without its sidecar.
func TestSaveRefusesOddSidecar(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "code.jpg")
	testenv.Mkfifo(t, codefile.SidecarPath(path))
	err := writeCode(path, targetJob(t), true, time.Unix(1, 0))
	require.ErrorIs(t, err, atomicfile.ErrNotRegular)
	_, err = os.Lstat(path)
	assert.ErrorIs(t, err, os.ErrNotExist, "the image was not written")
}
