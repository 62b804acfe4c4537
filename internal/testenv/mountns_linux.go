package testenv

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// nsVar tells a test binary it runs in the private mount namespace that
// RerunInMountNamespace made, where it may mount and make device nodes.
const nsVar = "WXACODE_TEST_MOUNTNS"

// RerunInMountNamespace runs the top-level test name again, in a new process
// in a private mount namespace (unshare -m), where Targets adds a character
// device: making one needs root, and a private tmpfs keeps it out of the
// real /dev. Without root or unshare it fails under CI=true (where we are
// root) and skips elsewhere, saying what is missing.
func RerunInMountNamespace(t *testing.T, name string) {
	t.Helper()
	if os.Getenv(nsVar) != "" {
		t.Skip("already in the private mount namespace")
	}
	if os.Geteuid() != 0 {
		missingWhat(t, "root (to make a device node in a private mount namespace; run the tests as root, e.g. in CI)")
	}
	unshare := Tool(t, "unshare", "util-linux")
	cmd := exec.Command(unshare, "--mount", "--propagation", "private", "--", os.Args[0],
		"-test.run", "^"+regexp.QuoteMeta(name)+"$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), nsVar+"=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s in a private mount namespace:\n%s", name, out)
	require.Contains(t, string(out), "--- PASS: "+name+" ", "the test ran in the namespace:\n%s", out)
	t.Logf("%s passed in a private mount namespace", name)
}

// ReadOnlyDir is a folder nobody can create files in, root included: as
// root (who ignores permission bits) a read-only tmpfs, which needs the
// namespace of RerunInMountNamespace; otherwise a folder chmodded 0555.
func ReadOnlyDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if os.Geteuid() != 0 {
		require.NoError(t, os.Chmod(dir, 0o555))
		t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
		return dir
	}
	if os.Getenv(nsVar) == "" {
		t.Skip("as root a read-only folder needs a read-only mount: this runs again in a private mount namespace (RerunInMountNamespace)")
	}
	require.NoError(t, syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_RDONLY, "mode=0755,size=1m"), "mount a read-only tmpfs on %s", dir)
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// charDevice makes a character device like /dev/null on a tmpfs mounted in
// this process's private namespace (a test folder may sit on a nodev mount).
func charDevice(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, syscall.Mount("tmpfs", dir, "tmpfs", 0, "mode=0755,size=1m"), "mount a tmpfs on %s", dir)
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) })
	path := filepath.Join(dir, "null")
	require.NoError(t, syscall.Mknod(path, syscall.S_IFCHR|0o666, 1<<8|3), "mknod %s c 1 3", path)
	require.NoError(t, os.Chmod(path, 0o666)) // whatever the umask did
	return path
}

func devState(st fs.FileInfo) string {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return fmt.Sprintf(" dev %d", s.Rdev)
	}
	return ""
}

func missingWhat(t testing.TB, what string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing", what)
	}
	t.Skipf("%s is missing", strings.TrimSpace(what))
}
