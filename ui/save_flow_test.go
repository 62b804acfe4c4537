package ui

import (
	"encoding/json"
	"image/color"
	"os"
	"path/filepath"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/codefile"
	"wxacode/codeimage"
	"wxacode/wechat"
)

// The save flows of issue 13, each through the real program loop
// (teatest) on the in-process simulator.

// saveAs opens the save prompt, replaces the suggested name with name and
// presses enter.
func saveAs(t *testing.T, tm *flow, name string) {
	t.Helper()
	keys(tm, "ctrl+s")
	waitScreen(t, tm, "save as:")
	keys(tm, "ctrl+u")
	tm.Type(name)
	waitScreen(t, tm, name)
	keys(tm, "enter")
}

// saveOffered saves the code under the name the prompt offers, which must
// be name.
func saveOffered(t *testing.T, tm *flow, name string) {
	t.Helper()
	keys(tm, "ctrl+s")
	waitScreen(t, tm, "save as: "+name)
	keys(tm, "enter")
	waitScreen(t, tm, "✓ saved ")
}

// readSidecar reads image's sidecar, which says nothing of the token.
func readSidecar(t *testing.T, image string) codefile.Sidecar {
	t.Helper()
	raw, err := os.ReadFile(codefile.SidecarPath(image))
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "token")
	var sc codefile.Sidecar
	require.NoError(t, json.Unmarshal(raw, &sc))
	return sc
}

// A limited code is offered under its own path, not the page and scene
// still in the (hidden) unlimited fields.
func TestFlowSaveLimitedName(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := simDeps(t)
		d.Initial = wechat.Params{Kind: wechat.KindLimited, Path: "pages/detail/detail?id=42",
			Page: "pages/shop/item", Scene: "sku=9"}
		tm := generated(t, d, "lifetime pool")
		keys(tm, "y")
		waitScreen(t, tm, "JPEG 430×430")
		saveOffered(t, tm, filepath.Join(d.SaveDir, "pages-detail-detail_id=42_430.jpg"))
		tm.final(t)
		sc := readSidecar(t, filepath.Join(d.SaveDir, "pages-detail-detail_id=42_430.jpg"))
		assert.JSONEq(t, `{"path":"pages/detail/detail?id=42"}`, string(sc.Request))
	})
}

// Saving from history names the entry's code, not what the form holds now.
func TestFlowSaveHistoryName(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := simDeps(t)
		d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=1"}
		tm := generated(t, d, "History(1)")
		keys(tm, "tab", "tab", "backspace")
		tm.Type("2")
		waitScreen(t, tm, "id=2")
		keys(tm, "ctrl+g")
		waitScreen(t, tm, "History(2)")
		keys(tm, "alt+y", "down") // the older entry: id=1
		waitScreen(t, tm, "› ")
		saveOffered(t, tm, filepath.Join(d.SaveDir, "pages-index-index_id=1_430.jpg"))
		tm.final(t)
		sc := readSidecar(t, filepath.Join(d.SaveDir, "pages-index-index_id=1_430.jpg"))
		assert.JSONEq(t, `{"scene":"id=1","page":"pages/index/index"}`, string(sc.Request))
	})
}

// mycode.png after mycode.jpg: each image keeps its own sidecar.
func TestFlowSaveTwoFormats(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := simDeps(t)
		d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=1"}
		tm := generated(t, d, "JPEG 430×430")
		saveAs(t, tm, filepath.Join(d.SaveDir, "mycode.jpg"))
		waitScreen(t, tm, "✓ saved ")
		keys(tm, "shift+tab", "space") // endpoint → is_hyaline, on: a PNG
		waitScreen(t, tm, "[x] on")
		keys(tm, "ctrl+g")
		waitScreen(t, tm, "PNG 430×430")
		saveAs(t, tm, filepath.Join(d.SaveDir, "mycode.png"))
		waitScreen(t, tm, "✓ saved mycode.png (+ mycode.png.json)")
		tm.final(t)

		jpg, png := readSidecar(t, filepath.Join(d.SaveDir, "mycode.jpg")), readSidecar(t, filepath.Join(d.SaveDir, "mycode.png"))
		assert.Equal(t, "mycode.jpg", jpg.File)
		assert.Equal(t, wechat.FormatJPEG, jpg.Format)
		assert.Equal(t, "mycode.png", png.File)
		assert.Equal(t, wechat.FormatPNG, png.Format)
		data, err := os.ReadFile(filepath.Join(d.SaveDir, "mycode.jpg"))
		require.NoError(t, err)
		assert.Equal(t, codefile.ContentSHA256(data), jpg.SHA256, "the JPEG's metadata is still the JPEG's")
	})
}

// A missing folder is asked about, shown where the prompt is, and created
// only on yes.
func TestFlowSaveMissingFolder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := simDeps(t)
		d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=1"}
		tm := generated(t, d, "JPEG 430×430")
		dir := filepath.Join(d.SaveDir, "new", "codes")
		saveAs(t, tm, filepath.Join(dir, "a.jpg"))
		waitScreen(t, tm, "the folder "+dir+" does not exist. Create it and save? y / n")
		keys(tm, "n")
		waitScreen(t, tm, "was not created: give another name, or esc")
		_, err := os.Stat(filepath.Join(d.SaveDir, "new"))
		assert.ErrorIs(t, err, os.ErrNotExist, "nothing created on no")
		keys(tm, "enter")
		waitScreen(t, tm, "Create it and save? y / n")
		keys(tm, "y")
		waitScreen(t, tm, "✓ saved ")
		tm.final(t)
		_, err = os.Stat(filepath.Join(dir, "a.jpg"))
		require.NoError(t, err)
		st, err := os.Stat(dir)
		require.NoError(t, err)
		assert.True(t, st.IsDir())
	})
}

// Other failures stay on screen under the name, with their fix.
func TestFlowSaveFailureShown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := simDeps(t)
		d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=1"}
		require.NoError(t, os.Mkdir(filepath.Join(d.SaveDir, "taken.jpg"), 0o755))
		tm := generated(t, d, "JPEG 430×430")
		saveAs(t, tm, filepath.Join(d.SaveDir, "taken.jpg"))
		waitScreen(t, tm, "✗ not saved: that is a folder; wxacode writes only new or regular files")
		waitScreen(t, tm, "save as: ") // still editing the name
		keys(tm, "esc")
		waitScreen(t, tm, "not saved")
		tm.final(t)
	})
}

// PNG bytes into a .jpg: the name is corrected with a warning; entering the
// .jpg again keeps it, saying so.
func TestFlowSaveWrongExtension(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := simDeps(t)
		d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=1", Hyaline: true}
		tm := generated(t, d, "PNG 430×430")
		saveAs(t, tm, filepath.Join(d.SaveDir, "clear.jpg"))
		waitScreen(t, tm, "! the code is a PNG, not .jpg: now .png; enter saves it (type clear.jpg again to keep it)")
		waitScreen(t, tm, "save as: "+filepath.Join(d.SaveDir, "clear.png"))
		keys(tm, "enter")
		waitScreen(t, tm, "✓ saved clear.png (+ clear.png.json) in ")
		_, err := os.Stat(filepath.Join(d.SaveDir, "clear.png"))
		require.NoError(t, err)

		saveAs(t, tm, filepath.Join(d.SaveDir, "kept.jpg"))
		waitScreen(t, tm, "type kept.jpg again to keep it")
		keys(tm, "ctrl+u")
		tm.Type(filepath.Join(d.SaveDir, "kept.jpg"))
		keys(tm, "enter")
		waitScreen(t, tm, "! saved kept.jpg with PNG bytes under .jpg, as asked (+ kept.jpg.json)")
		tm.final(t)
		sc := readSidecar(t, filepath.Join(d.SaveDir, "kept.jpg"))
		assert.Equal(t, wechat.FormatPNG, sc.Format)
	})
}

// Overwriting keeps the mode the owner gave the image and its sidecar.
func TestFlowSaveKeepsMode(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := simDeps(t)
		d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=1"}
		path := filepath.Join(d.SaveDir, "mine.jpg")
		for _, p := range []string{path, codefile.SidecarPath(path)} {
			require.NoError(t, os.WriteFile(p, []byte("old"), 0o600))
			require.NoError(t, os.Chmod(p, 0o640))
		}
		tm := generated(t, d, "JPEG 430×430")
		saveAs(t, tm, path)
		waitScreen(t, tm, "mine.jpg exists. Overwrite it (and mine.jpg.json)? y / n")
		keys(tm, "y")
		waitScreen(t, tm, "✓ saved ")
		tm.final(t)
		for _, p := range []string{path, codefile.SidecarPath(path)} {
			st, err := os.Stat(p)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o640), st.Mode().Perm(), p)
		}
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.NotEqual(t, "old", string(data))
	})
}

// With Deps.Flatten (--flatten white) a transparent code is saved drawn
// onto white in the format its name asks for, without alpha, and its
// sidecar keeps WeChat's original; a .jpg name is not "corrected" to .png.
func TestFlowSaveFlattened(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := simDeps(t)
		white := color.RGBA{255, 255, 255, 255}
		d.Flatten = &white
		d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=1", Hyaline: true}
		tm := generated(t, d, "PNG 430×430")
		saveAs(t, tm, filepath.Join(d.SaveDir, "album.jpg"))
		waitScreen(t, tm, "✓ saved album.jpg onto #ffffff, no transparency (+ album.jpg.json)")
		saveAs(t, tm, filepath.Join(d.SaveDir, "album.png"))
		waitScreen(t, tm, "✓ saved album.png onto #ffffff")
		tm.final(t)

		for _, c := range []struct {
			name   string
			format wechat.Format
		}{{"album.jpg", wechat.FormatJPEG}, {"album.png", wechat.FormatPNG}} {
			path := filepath.Join(d.SaveDir, c.name)
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			img, f, err := codeimage.Decode(data, codeimage.File)
			require.NoError(t, err)
			assert.Equal(t, codeimage.Format(c.format), f, c.name)
			_, _, _, a := img.At(0, 0).RGBA()
			assert.Equal(t, uint32(0xffff), a, "%s: no transparency", c.name)
			r, g, b, _ := img.At(0, 0).RGBA()
			assert.Greater(t, min(r, g, b), uint32(0xf000), "%s: the transparent corner is white", c.name)
			sc := readSidecar(t, path)
			assert.Equal(t, c.format, sc.Format)
			assert.Equal(t, codefile.ContentSHA256(data), sc.SHA256)
			require.NotNil(t, sc.Flattened, c.name)
			assert.Equal(t, "#ffffff", sc.Flattened.Background)
			assert.Equal(t, "png", sc.Flattened.OriginalFormat)
			assert.NotEqual(t, sc.SHA256, sc.Flattened.OriginalSHA256)
		}
	})
}
