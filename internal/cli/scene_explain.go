package cli

import (
	"strings"

	"wxacode/wechat"
	"wxacode/wechat/scene"
)

// sceneExplain is `scene explain`: the launch a code gives, step by step.
func sceneExplain(o sceneOut, _ *IOStreams, s string, f sceneFlags) error {
	var l scene.Launch
	if f.pathSet {
		kind, err := wechat.ParseKind(f.kind)
		if err != nil || kind == wechat.KindUnlimited && f.kind != "" {
			return sceneUsageError("scene explain --path: --kind is limited (default) or qrcode")
		}
		if f.page != "" {
			return sceneUsageError("scene explain: give --page with a scene, or --path alone")
		}
		if kind == wechat.KindQRCode {
			l = scene.ExplainQRCode(f.path)
		} else {
			l = scene.ExplainPath(f.path)
		}
	} else {
		if f.kind != "" {
			return sceneUsageError("scene explain: --kind goes with --path")
		}
		l = scene.Explain(s, f.page)
	}
	if o.json {
		o.encode(l)
		return nil
	}
	if l.Kind == wechat.KindUnlimited {
		o.printf("Unlimited code (getwxacodeunlimit): scene %q, page %s\n", l.Scene, pageLabel(l.Page))
	} else {
		o.printf("%s code (%s): path %q\n", strings.ToUpper(string(l.Kind[:1]))+string(l.Kind[1:]), l.Kind.Path(), l.Path)
	}
	if l.Err != "" {
		o.printf("\n%s\n", l.Err)
		return reported(exitUsage)
	}
	if len(l.Problems) > 0 {
		o.printf("\nWeChat would refuse this request (no code is made):\n")
		printProblems(o, l.Problems)
	}
	printSteps(o, "Launch, step by step", l.Steps)
	o.printf("\nonLoad(query):                  %s\n", l.OnLoad)
	o.printf("App.onLaunch/onShow(options):   %s\n", l.AppOptions)
	if l.Kind == wechat.KindUnlimited {
		note := "identical to the scene sent"
		if !l.RoundTrip {
			note = "DIFFERENT from the scene sent"
		}
		o.printf("decodeURIComponent(query.scene): %q (%s)\n", l.Decoded, note)
	}
	o.printf("\nPairs (split on &, then at the first =):\n")
	if len(l.Pairs) == 0 {
		o.printf("  (none)\n")
	}
	for _, p := range l.Pairs {
		if p.HasEq {
			o.printf("  %d. %q = %q\n", p.Index, p.Key, p.Value)
		} else {
			o.printf("  %d. %q (no =)\n", p.Index, p.Key)
		}
		for _, n := range p.Notes {
			o.printf("     ! %s\n", n)
		}
	}
	o.printf("\nEntry scene (options.scene, a number: not your scene string):\n")
	for _, e := range l.EntryScenes {
		mark := ""
		if !e.Verified {
			mark = " [unverified for this code]"
		}
		o.printf("  %d  %s%s\n", e.Value, e.Meaning, mark)
	}
	o.printf("\n%s\n", l.Game)
	if len(l.Unverified) > 0 {
		o.printf("\nNot documented (unverified):\n")
		for _, u := range l.Unverified {
			o.printf("  - %s\n", u)
		}
	}
	return nil
}
