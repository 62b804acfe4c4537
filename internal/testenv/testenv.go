// Package testenv gives tests a user environment of their own and the
// external programs they check our output with. Only tests import it.
//
// A test that needs a program fails when it is missing in CI (CI=true), where
// .ci/install-deps must have installed it, and elsewhere skips with the name
// of the Debian package to install.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Vars are the environment variables wxacode reads its configuration from
// (WXACODE_DEBUG too: a developer's own debug log must not collect tests).
var Vars = []string{"WXACODE_APPID", "WXACODE_SECRET", "WXACODE_ACCESS_TOKEN", "WXACODE_TOKEN_CMD", "WXACODE_BASE_URL", "WXACODE_CONFIG", "WXACODE_DEBUG"}

// Isolate points HOME and the XDG folders at a fresh temp dir and clears the
// WXACODE_* variables, so no test reads or writes the real user's files. It
// returns the new home.
func Isolate(t testing.TB) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "cache"))
	for _, k := range Vars {
		t.Setenv(k, "")
	}
	return home
}

// Tool finds program name on PATH; pkg is the Debian package that has it.
func Tool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, name, pkg)
	}
	return p
}

// File requires a program at an exact path (ImageMagick's import, say, when
// a stand-in of the same name may come first on PATH).
func File(t testing.TB, path, pkg string) string {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		missing(t, path, pkg)
	}
	return path
}

// TmuxSixelPath is where .ci/install-deps builds tmux 3.5a with sixel
// (.ci/tmux-sixel/build): Debian's tmux has no sixel.
const TmuxSixelPath = "/usr/local/tmux-sixel/bin/tmux"

// TmuxSixel requires the tmux built with sixel; missing, it fails in CI and
// skips elsewhere, saying how to build it.
func TmuxSixel(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(TmuxSixelPath); err != nil {
		msg := TmuxSixelPath + " is missing: build it with .ci/tmux-sixel/build (as root; .ci/install-deps does, with its build tools)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return TmuxSixelPath
}

// WxServerSDKPath is where .ci/install-deps installs wx-server-sdk (pinned
// by .ci/wx-server-sdk/package-lock.json) for the cloud-function check.
const WxServerSDKPath = "/usr/local/lib/wxacode-npm/node_modules"

// WxServerSDK requires that install (the node_modules folder to put on
// NODE_PATH); missing, it fails in CI and skips elsewhere, saying how.
func WxServerSDK(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(WxServerSDKPath + "/wx-server-sdk/package.json"); err != nil {
		msg := "wx-server-sdk is missing from " + WxServerSDKPath + ": run .ci/install-deps as root (npm ci of .ci/wx-server-sdk)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return WxServerSDKPath
}

func missing(t testing.TB, what, pkg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing: install the Debian package %s (.ci/install-deps does in CI)", what, pkg)
	}
	t.Skipf("%s is missing: install the Debian package %s", what, pkg)
}

// Zbar decodes the one code in the image file at path with zbarimg (from
// zbar-tools; missing, the test fails in CI and skips elsewhere) and
// returns its text; a file with nothing zbar can read fails the test.
// binary reads the bytes as they are, with no charset guess.
func Zbar(t testing.TB, path string, binary bool) string {
	t.Helper()
	args := []string{"-q", "--raw"}
	if binary {
		args = append(args, "-Sbinary")
	}
	out, err := exec.Command(Tool(t, "zbarimg", "zbar-tools"), append(args, path)...).Output()
	if err != nil {
		t.Fatalf("zbarimg could not decode %s: %v", path, err)
	}
	return strings.TrimSuffix(string(out), "\n")
}
