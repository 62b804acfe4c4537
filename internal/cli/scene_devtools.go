package cli

import (
	"wxacode/wechat/scene"
)

// sceneDevTools is `scene devtools S`: the DevTools compile condition.
func sceneDevTools(o sceneOut, _ *IOStreams, s string, f sceneFlags) error {
	d, err := scene.DevToolsFor(s, f.page)
	if err != nil {
		return usageErrorf("wxacode scene devtools: %v: the argument is not valid UTF-8", err)
	}
	if o.json {
		o.encode(d)
		return nil
	}
	o.printf("Launch parameter (启动参数): %s\n", d.LaunchParam)
	o.printf("Entry scene (进入场景):      %d\n", d.EntryScene)
	if len(d.Problems) > 0 {
		o.printf("\nNote: WeChat would refuse this scene for a real code:\n")
		printProblems(o, d.Problems)
	}
	printSteps(o, "In DevTools", d.Steps)
	if d.Pitfall != "" {
		o.printf("\nPitfall: %s\n", d.Pitfall)
	}
	o.printf("\nPage:\n%s\n\nMini game:\n%s\n\nminiprogram-ci (same launch, on a phone):\n  %s\n", indent(d.PageSnippet), indent(d.GameSnippet), d.CI)
	return nil
}
