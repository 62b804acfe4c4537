package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIsolate(t *testing.T) {
	t.Setenv("WXACODE_SECRET", "from-the-real-user")
	home := Isolate(t)
	assert.Equal(t, home, os.Getenv("HOME"))
	assert.Equal(t, filepath.Join(home, "state"), os.Getenv("XDG_STATE_HOME"))
	assert.Empty(t, os.Getenv("WXACODE_SECRET"))
	dir, err := os.UserConfigDir()
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(home, "config"), dir)
}

func TestToolFindsAProgram(t *testing.T) {
	assert.NotEmpty(t, Tool(t, "sh", "dash"))
	assert.Equal(t, "/", File(t, "/", "base-files"))
}

// A missing program skips outside CI and fails in it; run each in a child
// test and look at how it ended.
func TestMissingToolSkipsOrFails(t *testing.T) {
	for _, ci := range []string{"", "true"} {
		t.Run("CI="+ci, func(t *testing.T) {
			t.Setenv("CI", ci)
			ft := &fakeT{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				Tool(ft, "no-such-program-wxacode", "some-package")
			}()
			<-done
			assert.Contains(t, ft.msg, "install the Debian package some-package")
			assert.Equal(t, ci == "true", ft.failed)
			assert.Equal(t, ci != "true", ft.skipped)
		})
	}
}

// fakeT records Fatalf/Skipf and ends its goroutine as the real ones do.
type fakeT struct {
	testing.TB
	msg             string
	failed, skipped bool
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.failed, f.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (f *fakeT) Skipf(format string, args ...any) {
	f.skipped, f.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}
