package sim

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"wxacode/internal/testenv"
	"wxacode/wechat"
)

// TestSweepWidths decodes the densest unlimited code (and the square QR) at
// every third width from 280 to 1280. It takes minutes, so it runs only on
// request: SIM_SWEEP=1 go test ./wechat/sim -run SweepWidths
func TestSweepWidths(t *testing.T) {
	if os.Getenv("SIM_SWEEP") == "" {
		t.Skip("set SIM_SWEEP=1 to decode codes at every third width from 280 to 1280")
	}
	zbar := testenv.Tool(t, "zbarimg", "zbar-tools")
	content := LaunchURL("release", "pages/user/profile", strings.Repeat("/", 32))
	grey := wechat.Color{R: 136, G: 136, B: 136}
	for w := wechat.MinWidth; w <= wechat.MaxWidth; w += 3 {
		for _, sp := range []codeSpec{
			{content: content, width: w, color: grey},
			{content: content, width: w, color: grey, hyaline: true},
			{content: content, width: w, square: true},
		} {
			img, warn, err := render(sp)
			if !assert.NoError(t, err) {
				continue
			}
			assert.Empty(t, warn)
			assert.Equal(t, content, scan(t, zbar, img), "width %d hyaline %v square %v", w, sp.hyaline, sp.square)
		}
	}
}
