package scene

import (
	"fmt"
	"strings"

	"wxacode/wechat"
)

// DevTools is how to reproduce a scan of an unlimited code in WeChat DevTools.
type DevTools struct {
	Scene string `json:"scene"`
	Page  string `json:"page"`
	// LaunchParam goes in 自定义编译条件 → 启动参数: scene=<encodeURIComponent(S)>.
	LaunchParam string `json:"launch_param"`
	// EntryScene goes in 进入场景: 1047, scanning a 小程序码.
	EntryScene int      `json:"entry_scene"`
	Steps      []string `json:"steps"`
	// Pitfall is what happens when the parameter is typed unencoded.
	Pitfall     string           `json:"pitfall,omitempty"`
	PageSnippet string           `json:"page_snippet"`
	GameSnippet string           `json:"game_snippet"`
	CI          string           `json:"ci"` // miniprogram-ci's ci.preview with the same query and entry scene
	Problems    []wechat.Problem `json:"-"`
}

// DevToolsFor builds the DevTools compile condition for scene S and page P.
// The error is a *URIError when S is not valid UTF-8.
func DevToolsFor(scene, page string) (DevTools, error) {
	enc, err := EncodeURIComponent(scene)
	if err != nil {
		return DevTools{}, err
	}
	d := DevTools{Scene: scene, Page: page, LaunchParam: "scene=" + enc, EntryScene: Scan1047.Value,
		Problems: append(wechat.SceneProblems(scene), wechat.PageProblems(page)...)}
	pageStep := "启动页面 (start page): " + page
	if page == "" {
		pageStep = "启动页面 (start page): your home page (the first entry of pages in app.json)"
	}
	d.Steps = []string{
		"DevTools → 编译模式 (compile mode) → 添加编译模式 (add compile mode, 自定义编译条件)",
		pageStep,
		"启动参数 (launch parameters): " + d.LaunchParam,
		fmt.Sprintf("进入场景 (entry scene): %d %s", d.EntryScene, Scan1047.Meaning),
		"or 通过二维码编译 (compile from a QR code) with a generated image, which needs no encoding by hand",
	}
	if enc != scene {
		kept := scene
		if i := strings.IndexAny(scene, "=&"); i >= 0 {
			kept = scene[:i]
		}
		d.Pitfall = fmt.Sprintf("typing scene=%s unencoded: DevTools splits it at & and =, so query.scene is %s, not %s",
			scene, jsString(kept), jsString(scene))
	}
	d.PageSnippet = fmt.Sprintf(`Page({
  onLoad(query) {
    // query.scene is %s: WeChat URL-encodes the scene; decode it once
    const scene = decodeURIComponent(query.scene || '')
    const params = {}
    for (const piece of scene.split('&')) {
      const i = piece.indexOf('=')
      if (i >= 0) params[piece.slice(0, i)] = piece.slice(i + 1)
    }
    // scene === %s
  }
})`, jsString(enc), jsString(scene))
	d.GameSnippet = fmt.Sprintf(`// cold start
const { query, scene: entryScene } = wx.getLaunchOptionsSync() // entryScene is %d, a number
const scene = decodeURIComponent(query.scene || '') // %s
// brought back from the background with another code
wx.onShow(({ query }) => {
  const scene = decodeURIComponent(query.scene || '')
})`, d.EntryScene, jsString(scene))
	ciPage := jsString(page)
	if page == "" {
		ciPage = `"pages/index/index" /* your home page */`
	}
	// ci.preview's scene defaults to 1011 (a QR code), so 1047 must be given.
	d.CI = fmt.Sprintf("ci.preview({ project, pagePath: %s, searchQuery: %s, scene: %d /* default 1011 */, qrcodeFormat: 'terminal' })",
		ciPage, jsString(d.LaunchParam), d.EntryScene)
	return d, nil
}

// MarshalJSON gives problems snake_case names.
func (d DevTools) MarshalJSON() ([]byte, error) {
	type alias DevTools
	return marshalJSON(struct {
		alias
		Problems []ProblemJSON `json:"problems"`
	}{alias(d), ProblemsJSON(d.Problems)})
}
