package cli

import (
	"time"

	"wxacode/wechat/scene"
)

// linkqrExplain is `linkqr explain`: what the page receives from a link QR
// of url scanned at now, and whether url matches rule.
func linkqrExplain(o sceneOut, url, rule string, now time.Time) error {
	l := scene.ExplainLink(url, rule, now)
	if o.json {
		o.encode(l)
		if l.Err != "" {
			return reported(exitUsage)
		}
		return nil
	}
	o.printf("Link QR (普通链接二维码): %q\n", l.URL)
	if l.Err != "" {
		o.printf("\n%s\n", l.Err)
		return reported(exitUsage)
	}
	if len(l.Problems) > 0 {
		o.printf("\nNot fit for a link QR (wxacode linkqr would refuse it):\n")
		printProblems(o, l.Problems)
	}
	printSteps(o, "Launch, step by step", l.Steps)
	o.printf("\nonLoad(query):                   { q: %q, scancode_time: %q }\n", l.Q, l.ScancodeTime)
	o.printf("App.onLaunch/onShow(options):    %s\n", l.AppOptions)
	note := "identical to the link"
	if !l.RoundTrip {
		note = "DIFFERENT from the link"
	}
	o.printf("decodeURIComponent(query.q):     %q (%s)\n", l.Decoded, note)
	o.printf("parseInt(query.scancode_time):   %s (Unix seconds of the scan; this one is now)\n", l.ScancodeTime)
	o.printf("\nParameters of the link (after ?, split on &, then at the first =; each value decoded once):\n")
	if len(l.Params) == 0 {
		o.printf("  (none)\n")
	}
	for _, p := range l.Params {
		switch {
		case !p.HasEq:
			o.printf("  %d. %q (no =)\n", p.Index, p.Key)
		case p.Decoded != p.Value:
			o.printf("  %d. %q = %q → %q\n", p.Index, p.Key, p.Value, p.Decoded)
		default:
			o.printf("  %d. %q = %q\n", p.Index, p.Key, p.Value)
		}
		for _, n := range p.Notes {
			o.printf("     ! %s\n", n)
		}
	}
	if l.Fragment != "" {
		o.printf("  fragment (after #, not a parameter): %q\n", l.Fragment)
	}
	if l.Rule != nil {
		verdict := "matches"
		if !l.Rule.Matches {
			verdict = "does NOT match"
		}
		o.printf("\nRule %s: the link %s\n  %s\n", l.Rule.Prefix, verdict, l.Rule.Reason)
		for _, s := range l.SubRules {
			o.printf("  - %s\n", s)
		}
	}
	o.printf("\nEntry scene (options.scene, a number):\n")
	for _, e := range l.EntryScenes {
		o.printf("  %d  %s\n", e.Value, e.Meaning)
	}
	o.printf("\nThe page:\n%s\n", indent(l.OnLoad))
	o.printf("\n%s\n", l.Game)
	if len(l.Unverified) > 0 {
		o.printf("\nNot documented (unverified):\n")
		for _, u := range l.Unverified {
			o.printf("  - %s\n", u)
		}
	}
	return nil
}
