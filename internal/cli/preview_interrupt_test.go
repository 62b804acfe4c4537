package cli

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"wxacode/internal/wechattest"
	"wxacode/preview"
	"wxacode/wechat"
)

// TestPreviewExitsAt130WhileDecoding: an interruption (ctrl+c, SIGTERM: main
// cancels the context) ends `preview` with exit 130 while a file is still
// being decoded, without waiting for it, and prints nothing of it.
func TestPreviewExitsAt130WhileDecoding(t *testing.T) {
	path, _ := wechattest.CodeFile(t, wechat.UnlimitedRequest{Scene: "id=42", Page: "pages/index/index", CheckPath: wechat.Bool(false)})
	started, release := make(chan struct{}), make(chan struct{})
	slowRender := func(f *Factory) {
		f.render = func(path string, box preview.Box, caps preview.Caps, opts preview.Options) shown {
			close(started)
			<-release // a decode that would take seconds
			return shown{text: "should not be printed"}
		}
	}
	defer close(release)

	ctx, cancel := context.WithCancel(context.Background())
	var out, errb bytes.Buffer
	exit := make(chan int, 1)
	go func() {
		exit <- runOn(ctx, []string{"preview", "--graphics", "blocks", path, path}, &out, &errb, slowRender)
	}()
	<-started
	cancel()
	code := <-exit // returns while the decode is still held
	assert.Equal(t, exitInterrupted, code, "%s", errb.String())
	assert.NotContains(t, out.String(), "should not be printed")
}
