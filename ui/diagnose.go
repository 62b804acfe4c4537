package ui

import (
	"fmt"

	"wxacode/troubleshoot"
	"wxacode/wechat"
	"wxacode/wechat/scene"
)

// diagnose explains err for the request built from p: troubleshoot.Diagnose, plus
// the fit-scene fix that only a caller with wechat/scene can add.
func diagnose(p wechat.Params, err error) troubleshoot.Diagnosis {
	d := troubleshoot.Diagnose(p.Request(), err)
	if fit, ok := fitScene(p.Scene); ok && p.Kind == wechat.KindUnlimited {
		q := p
		q.Scene = fit
		d.Actions = append(d.Actions, troubleshoot.Action{ID: troubleshoot.ActionFitScene,
			Label: fmt.Sprintf("fit the scene into %d characters: %s", wechat.MaxSceneLen, fit), Params: q})
	}
	return d
}

// fitScene proposes a scene that fits, from wechat/scene's Fit. Mapping ids
// are skipped: they only work with a mapping file the user has not chosen.
func fitScene(s string) (string, bool) {
	if s == "" || len(wechat.SceneProblems(s)) == 0 {
		return "", false
	}
	for _, p := range scene.Fit(s, scene.FitOptions{}) {
		if p.Strategy != scene.StrategyAsIs && p.Strategy != scene.StrategyMappingID && p.Scene != s {
			return p.Scene, true
		}
	}
	return "", false
}

// launchParam is the DevTools launch parameter for the form's scene and page.
func launchParam(p wechat.Params) string {
	d, err := scene.DevToolsFor(p.Scene, p.Page)
	if err != nil {
		return ""
	}
	return d.LaunchParam
}
