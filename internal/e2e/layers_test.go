package e2e

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// layers is the package picture of docs/design.md: a package may import only
// packages on a higher-numbered layer, so every import points down and
// nothing reaches back up (wechat/ cannot see the designer, batch or hints).
var layers = map[string]int{
	"wxacode":              0,
	"wxacode/internal/cli": 1,
	"wxacode/ui":           2, "wxacode/batch": 2, "wxacode/verify": 2, "wxacode/wechat/sim": 2, "wxacode/config": 2,
	"wxacode/troubleshoot": 3, "wxacode/codefile": 3, "wxacode/preview": 3,
	"wxacode/wechat/scene": 4, "wxacode/wechat/snippet": 4, "wxacode/linkqr": 4,
	"wxacode/wechat":     5,
	"wxacode/atomicfile": 6, "wxacode/shell": 6, "wxacode/codeimage": 6,
	"wxacode/codeimage/internal/jpeg": 7, "wxacode/codeimage/internal/png": 7,
	"wxacode/hugebuf": 8,
}

// testOnly are imported by tests alone, never by the product.
var testOnly = map[string]bool{
	"wxacode/internal/e2e": true, "wxacode/internal/wechattest": true, "wxacode/internal/inproc": true,
	"wxacode/internal/testimage": true, "wxacode/internal/testenv": true, "wxacode/internal/blockscan": true,
	"wxacode/internal/origintest": true,
}

func TestPackagesPointDown(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", "wxacode/...").Output()
	require.NoError(t, err)
	seen := 0
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		pkg, imports := fields[0], fields[1:]
		if testOnly[pkg] {
			continue
		}
		from, ok := layers[pkg]
		if !assert.True(t, ok, "%s is in no layer: add it to docs/design.md and to layers here", pkg) {
			continue
		}
		seen++
		for _, imp := range imports {
			if !strings.HasPrefix(imp, "wxacode") {
				continue
			}
			assert.False(t, testOnly[imp], "%s imports the test helper %s", pkg, imp)
			if to, ok := layers[imp]; ok {
				assert.Greater(t, to, from, "%s (layer %d) imports %s (layer %d): imports must point down", pkg, from, imp, to)
			}
		}
	}
	assert.Equal(t, len(layers), seen, "every package of the table exists")
}
