package cli

import (
	"strings"
	"unicode/utf8"

	"wxacode/wechat"
	"wxacode/wechat/scene"
)

// sceneFit is `scene fit PAYLOAD`: ways to make it fit, re-validated; with
// --map, the mapping row appended (never twice).
func sceneFit(o sceneOut, _ *IOStreams, payload string, f sceneFlags) error {
	if payload == "" {
		return sceneUsageError("scene fit: the payload is empty; give the full data you want the page to receive")
	}
	if f.mapFile != "" {
		if _, err := scene.MapFormatFor(f.mapFile); err != nil {
			return sceneUsageError("scene fit --map: " + err.Error())
		}
	}
	problems := wechat.SceneProblems(payload)
	props := scene.Fit(payload, scene.FitOptions{MapFile: f.mapFile})
	var mr *mapResult
	code := exitOK
	if f.mapFile != "" && len(problems) > 0 {
		for _, p := range props {
			if p.Strategy != scene.StrategyMappingID {
				continue
			}
			mr = &mapResult{File: f.mapFile, ID: p.Scene, Row: p.MapRow, Existing: p.Existing, DryRun: f.dryRun}
			if !f.dryRun && !p.Existing {
				added, err := scene.AppendMapping(f.mapFile, p.Scene, payload)
				mr.Appended = added
				if err != nil {
					mr.Error = err.Error()
					code = exitUnexpected
				}
			}
		}
	}
	if len(props) == 0 {
		code = exitUsage
	}
	if o.json {
		o.encode(struct {
			Payload   string              `json:"payload"`
			Length    int                 `json:"length"`
			Fits      bool                `json:"fits"`
			Problems  []scene.ProblemJSON `json:"problems"`
			Proposals []scene.Proposal    `json:"proposals"`
			Map       *mapResult          `json:"map,omitempty"`
		}{payload, utf8.RuneCountInString(payload), len(problems) == 0, scene.ProblemsJSON(problems), props, mr})
		return fitResult(code, mr)
	}
	if len(problems) == 0 {
		o.printf("OK: %q already fits (%d/%d characters, allowed characters only); send it as it is\n",
			payload, utf8.RuneCountInString(payload), wechat.MaxSceneLen)
		return nil
	}
	o.printf("%q does not fit as a scene:\n", payload)
	printProblems(o, problems)
	o.printf("\n%d way(s) to make it fit (each re-validated):\n", len(props))
	for i, p := range props {
		o.printf("\n(%c) %s: %s  (%d/%d characters)\n", 'a'+i, p.Strategy, p.Scene, p.Length, wechat.MaxSceneLen)
		if len(p.KeyMap) > 0 {
			var km []string
			for _, k := range p.KeyMap {
				km = append(km, k.Long+" → "+k.Short)
			}
			o.printf("    keys: %s\n", strings.Join(km, ", "))
		}
		if len(p.Order) > 0 {
			o.printf("    order: %s\n", strings.Join(p.Order, ", "))
		}
		if len(p.Base62Keys) > 0 {
			o.printf("    base62 values: %s\n", strings.Join(p.Base62Keys, ", "))
		}
		for _, c := range p.Costs {
			o.printf("    cost: %s\n", c)
		}
		for _, w := range p.Warnings {
			o.printf("    warning: %s\n", w)
		}
		if p.Strategy == scene.StrategyMappingID {
			o.printf("    mapping row: %s", p.MapRow)
		}
		o.printf("    decode in the page (after decodeURIComponent(query.scene)):\n%s\n", indent(indent(p.Decode)))
	}
	if mr != nil {
		o.printf("\n")
		switch {
		case mr.Existing:
			o.printf("%s already maps %s to this payload: nothing appended\n", mr.File, mr.ID)
		case mr.DryRun:
			o.printf("dry run: would append to %s: %s", mr.File, mr.Row)
		case mr.Error != "":
			// reported on stderr by fitResult
		case mr.Appended:
			o.printf("appended to %s: %s", mr.File, mr.Row)
		default:
			o.printf("%s already holds this payload: nothing appended\n", mr.File)
		}
	} else if len(problems) > 0 {
		o.printf("\nadd --map FILE.csv (or .jsonl) to append the mapping row for your server to import\n")
	}
	return fitResult(code, mr)
}

// mapResult is what --map did with the mapping row.
type mapResult struct {
	File     string `json:"file"`
	ID       string `json:"id"`
	Row      string `json:"row"`
	Appended bool   `json:"appended"`
	Existing bool   `json:"existing"`
	DryRun   bool   `json:"dry_run"`
	Error    string `json:"error,omitempty"`
}

// fitResult ends fit with code, reporting a mapping file that could not be written.
func fitResult(code int, mr *mapResult) error {
	if mr != nil && mr.Error != "" {
		return fail(code, "wxacode scene fit: %s", mr.Error)
	}
	return reported(code)
}
