package batch

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
)

// TestDiskFullStopsCleanly fills a small tmpfs: the run stops at once with a
// *DiskFullError, leaves no temporary file, keeps the previous failed file and
// a manifest of whole lines whose files all verify; once there is room again
// the same run finishes every row. Mounting needs root and a private mount
// namespace, so the test re-runs itself under `unshare -m`.
func TestDiskFullStopsCleanly(t *testing.T) {
	if os.Getenv("WXACODE_TEST_TMPFS") == "1" {
		diskFullChild(t)
		return
	}
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI runs as root: the disk-full test mounts a tmpfs in a private mount namespace")
		}
		t.Skip("needs root to mount a small tmpfs in a private mount namespace (unshare -m); CI runs it")
	}
	unshare := testenv.Tool(t, "unshare", "util-linux")
	self, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(unshare, "-m", "--propagation", "private", self, "-test.run=^TestDiskFullStopsCleanly$", "-test.v")
	cmd.Env = append(os.Environ(), "WXACODE_TEST_TMPFS=1")
	out, err := cmd.CombinedOutput()
	t.Logf("child:\n%s", out)
	require.NoError(t, err)
	require.Contains(t, string(out), "--- PASS: TestDiskFullStopsCleanly")
	require.NotContains(t, string(out), "SKIP")
}

func diskFullChild(t *testing.T) {
	const rows = 60
	out := t.TempDir()
	require.NoError(t, syscall.Mount("tmpfs", out, "tmpfs", 0, "size=64k"), "mount a tmpfs (in the private namespace unshare made)")
	defer syscall.Unmount(out, syscall.MNT_DETACH)
	previous := []byte("scene,page,errcode,errmsg,hint\nid=old,pages/index/index,40097,invalid args,\n")
	failedPath := filepath.Join(out, "failed.csv")
	require.NoError(t, os.WriteFile(failedPath, previous, 0o644))

	in := writeInput(t, "rows.csv", csvRows(rows, "", nil))
	g := newFake()
	g.final = failScenes("id=1", "id=2")
	o := fastOpts(in, out, g)
	o.Concurrency = 2
	sum, err := Run(context.Background(), o)
	var full *DiskFullError
	require.ErrorAs(t, err, &full)
	assert.True(t, errors.Is(err, syscall.ENOSPC))
	assert.Contains(t, err.Error(), "is full")
	assert.Contains(t, err.Error(), "run the same command again")
	assert.Positive(t, sum.Pending, "stopped, not a failure per row left")
	assert.Less(t, int(g.calls.Load()), rows, "no call for every row left")
	assertNoTemps(t, out)
	got, err := os.ReadFile(failedPath)
	require.NoError(t, err)
	assert.Equal(t, previous, got, "the previous failed file is kept")
	m := readManifest(t, out) // whole lines only
	for _, e := range m {
		ok, why := verifyFile(filepath.Join(out, e.File), e.SHA256)
		assert.True(t, ok, "%s: %s", e.File, why)
	}

	// Room again: the same run finishes, saying nothing about a killed run.
	require.NoError(t, syscall.Mount("tmpfs", out, "tmpfs", syscall.MS_REMOUNT, "size=16m"))
	var warnings []string
	o.OnWarning = func(s string) { warnings = append(warnings, s) }
	sum, err = Run(context.Background(), o)
	require.NoError(t, err)
	assert.Equal(t, rows, sum.Written+sum.Skipped+sum.Failed)
	assert.Equal(t, 2, sum.Failed)
	assert.Len(t, readManifest(t, out), rows-2)
	assertNoTemps(t, out)
	assert.NotContains(t, strings.Join(warnings, "\n"), "interrupted run")
	got, err = os.ReadFile(failedPath)
	require.NoError(t, err)
	assert.Contains(t, string(got), "id=1,")
	assert.NotContains(t, string(got), "id=old")
}
