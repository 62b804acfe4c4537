package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/internal/wechattest"
)

// targetWriter is one command that writes a file the user names.
type targetWriter struct {
	name string
	// run points the writer at target and returns the exit code and stderr.
	run func(t *testing.T, base, target string) (int, string)
	// accepts says whether this writer may write target (a log may append
	// to a character device; a code writer writes regular files only).
	accepts func(tg testenv.Target) bool
}

var targetWriters = []targetWriter{
	{name: "get -o", accepts: func(tg testenv.Target) bool { return tg.Regular },
		run: func(t *testing.T, base, target string) (int, string) {
			code, _, stderr := runCLI(t, nil, "get", "--base-url", base, "--scene", "id=1", "-o", target)
			return code, stderr
		}},
	{name: "batch file column", accepts: func(tg testenv.Target) bool { return tg.Regular },
		run: func(t *testing.T, base, target string) (int, string) {
			in := filepath.Join(t.TempDir(), "rows.csv")
			require.NoError(t, os.WriteFile(in, []byte("scene,file\nid=1,"+filepath.Base(target)+"\n"), 0o644))
			code, _, stderr := batchRun(t, "--in", in, "--out", filepath.Dir(target), "--base-url", base)
			return code, stderr
		}},
	{name: "batch name template", accepts: func(tg testenv.Target) bool { return tg.Regular },
		run: func(t *testing.T, base, target string) (int, string) {
			in := filepath.Join(t.TempDir(), "rows.csv")
			scene := strings.TrimSuffix(filepath.Base(target), ".jpg")
			require.NoError(t, os.WriteFile(in, []byte("scene\n"+scene+"\n"), 0o644))
			code, _, stderr := batchRun(t, "--in", in, "--out", filepath.Dir(target), "--base-url", base, "--name", "{scene}.{ext}")
			return code, stderr
		}},
	{name: "debug log", accepts: func(tg testenv.Target) bool { return tg.Regular || tg.CharDevice },
		run: func(t *testing.T, base, target string) (int, string) {
			t.Setenv(debugLogVar, target)
			code, _, stderr := runCLI(t, nil, "get", "--base-url", base, "--scene", "id=1", "-o", filepath.Join(t.TempDir(), "a.jpg"))
			return code, stderr
		}},
}

// TestWritersRefuseOddTargets is class 1 of issue 14 for the command line:
// every writer × every kind of target. A folder, FIFO or device (or a link
// to one) is refused before any call, exit 2, and left exactly as it was.
// The designer's save is the same table in ui (TestSaveRefusesOddTargets).
func TestWritersRefuseOddTargets(t *testing.T) {
	for _, w := range targetWriters {
		t.Run(w.name, func(t *testing.T) {
			for _, tg := range testenv.Targets(t) {
				if strings.HasPrefix(w.name, "batch") && filepath.Ext(tg.Path) != ".jpg" {
					continue // a "file" gets the code's extension: "null" would be null.jpg, not the device
				}
				t.Run(tg.Kind, func(t *testing.T) {
					testenv.Isolate(t)
					cs := &countingSim{per: map[string]int{}}
					env := wechattest.New(t, wechattest.Listen(), wechattest.WithMiddleware(cs.wrap))
					t.Setenv("WXACODE_APPID", env.Sim.AppID())
					t.Setenv("WXACODE_SECRET", env.Sim.Secret())
					before := testenv.State(t, tg.Path)
					code, stderr := w.run(t, env.BaseURL, tg.Path)
					_, calls := cs.snapshot()
					if w.accepts(tg) {
						assert.NotContains(t, stderr, "writes only new or regular files")
						if !strings.HasPrefix(w.name, "batch") || tg.Kind == "missing" { // batch never overwrites a file
							assert.Equal(t, exitOK, code, stderr)
						}
						if tg.CharDevice {
							assert.Equal(t, before, testenv.State(t, tg.Path), "a device is appended to, never chmodded")
						}
						return
					}
					assert.Equal(t, exitUsage, code, stderr)
					assert.Zero(t, calls, "refused before any call")
					assert.Regexp(t, `writes only new or regular files|a log goes to a new or regular file`, stderr)
					assert.Equal(t, before, testenv.State(t, tg.Path), "left as it was")
				})
			}
		})
	}
}

// TestWritersRefuseOddTargetsCharDevice runs the table with a device like
// /dev/null, made in a private mount namespace.
func TestWritersRefuseOddTargetsCharDevice(t *testing.T) {
	testenv.RerunInMountNamespace(t, "TestWritersRefuseOddTargets")
}
