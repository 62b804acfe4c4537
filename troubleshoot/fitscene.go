package troubleshoot

import (
	"fmt"

	"wxacode/wechat"
	"wxacode/wechat/scene"
)

// fitScene offers ActionFitScene for an unlimited request whose scene does
// not fit: the first of scene.Fit's proposals that rewrites the scene by
// itself. A mapping id is never offered, since it only works with a mapping
// file the user has not chosen; as_is means there is nothing to fix.
func (dg *diagnoser) fitScene() {
	p := dg.p
	if !dg.hasReq || p.Kind != wechat.KindUnlimited || p.Scene == "" || len(wechat.SceneProblems(p.Scene)) == 0 {
		return
	}
	for _, fp := range scene.Fit(p.Scene, scene.FitOptions{}) {
		if fp.Strategy == scene.StrategyAsIs || fp.Strategy == scene.StrategyMappingID || fp.Scene == p.Scene {
			continue
		}
		q := clonedParams(p)
		q.Scene = fp.Scene
		dg.act(ActionFitScene, fmt.Sprintf("fit the scene into %d characters: %s", wechat.MaxSceneLen, fp.Scene), q)
		return
	}
}
