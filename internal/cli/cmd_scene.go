package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"wxacode/wechat"
	"wxacode/wechat/scene"
)

const sceneUsage = `wxacode scene: what a mini program receives for a scene, and how to make a payload fit

Usage:
  wxacode scene check S               exit 0 when S is a valid scene, 2 with every problem
  wxacode scene explain S [--page P]  the launch of an unlimited code: query.scene, decoding, pairs
  wxacode scene explain --path PATH [--kind limited|qrcode]
                                      the launch of a code whose path carries a query
  wxacode scene encode S              encodeURIComponent(S), exactly as JavaScript
  wxacode scene decode S              decodeURIComponent(S); exit 2 on a URIError
  wxacode scene analyze RAW           a value pasted from logs, decoded step by step, with findings
                                      (exit 2 when a finding is an error)
  wxacode scene devtools S [--page P] the DevTools compile condition and onLoad snippets
  wxacode scene fit PAYLOAD [--map FILE] [--dry-run]
                                      ways to make PAYLOAD fit in 32 characters; with --map, the
                                      mapping row (id → payload) is appended to FILE (.csv or .jsonl)

Flags may come before or after S; put S after -- when it starts with -.
  --json    print JSON (snake_case field names) instead of text
`

// sceneFlags are the flags of every scene subcommand; each accepts a subset.
type sceneFlags struct {
	json    bool
	page    string
	path    string
	pathSet bool
	kind    string
	mapFile string
	dryRun  bool
}

// parseSceneArgs reads flags anywhere among the arguments (Go's flag package
// stops at the first positional one). allowed names the flags the subcommand
// takes; value flags are page, path, kind and map.
func parseSceneArgs(args []string, allowed ...string) (pos []string, f sceneFlags, err error) {
	ok := map[string]bool{"json": true}
	for _, a := range allowed {
		ok[a] = true
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(pos, args[i+1:]...), f, nil
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !ok[name] {
			return nil, f, fmt.Errorf("unknown flag %s (a value starting with - goes after --)", a)
		}
		switch name {
		case "json", "dry-run":
			b := true
			if hasVal {
				switch val {
				case "true", "1":
				case "false", "0":
					b = false
				default:
					return nil, f, fmt.Errorf("flag %s takes true or false", a)
				}
			}
			if name == "json" {
				f.json = b
			} else {
				f.dryRun = b
			}
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return nil, f, fmt.Errorf("flag --%s needs a value", name)
			}
			i++
			val = args[i]
		}
		switch name {
		case "page":
			f.page = val
		case "path":
			f.path, f.pathSet = val, true
		case "kind":
			f.kind = val
		case "map":
			f.mapFile = val
		}
	}
	return pos, f, nil
}

func cmdScene(_ context.Context, args []string, io stdio) int {
	if len(args) == 0 {
		fmt.Fprint(io.err, sceneUsage)
		return exitUsage
	}
	sub, rest := args[0], args[1:]
	for _, a := range rest {
		if a == "--" {
			break
		}
		if a == "-h" || a == "--help" || a == "-help" {
			fmt.Fprint(io.out, sceneUsage)
			return exitOK
		}
	}
	var allowed []string
	switch sub {
	case "check", "encode", "decode", "analyze":
	case "explain":
		allowed = []string{"page", "path", "kind"}
	case "devtools":
		allowed = []string{"page"}
	case "fit":
		allowed = []string{"map", "dry-run"}
	case "help", "-h", "--help":
		fmt.Fprint(io.out, sceneUsage)
		return exitOK
	default:
		return sceneUsageError(io, fmt.Sprintf("unknown subcommand %q: use check, explain, encode, decode, analyze, devtools or fit", sub))
	}
	pos, f, err := parseSceneArgs(rest, allowed...)
	if err != nil {
		return sceneUsageError(io, fmt.Sprintf("scene %s: %v", sub, err))
	}
	want := 1
	if sub == "explain" && f.pathSet {
		want = 0
	}
	if len(pos) != want {
		what := map[string]string{"fit": "PAYLOAD", "analyze": "RAW"}[sub]
		if what == "" {
			what = "S"
		}
		if want == 0 {
			return sceneUsageError(io, "scene explain --path PATH takes no scene: the path carries the query")
		}
		return sceneUsageError(io, fmt.Sprintf("scene %s needs exactly one %s (got %d); quote it: wxacode scene %s 'a=1&b=2'", sub, what, len(pos), sub))
	}
	out := sceneOut{w: io.out, json: f.json}
	var s string
	if len(pos) > 0 {
		s = pos[0]
	}
	switch sub {
	case "check":
		return sceneCheck(out, s)
	case "explain":
		return sceneExplain(out, io, s, f)
	case "encode":
		return sceneEncode(out, io, s)
	case "decode":
		return sceneDecode(out, io, s)
	case "analyze":
		return sceneAnalyze(out, s)
	case "devtools":
		return sceneDevTools(out, io, s, f.page)
	default:
		return sceneFit(out, io, s, f)
	}
}

func sceneUsageError(io stdio, msg string) int {
	fmt.Fprintf(io.err, "wxacode %s\nrun wxacode scene --help for usage\n", msg)
	return exitUsage
}

// sceneOut prints text or JSON to stdout.
type sceneOut struct {
	w    io.Writer
	json bool
}

func (o sceneOut) printf(format string, a ...any) { fmt.Fprintf(o.w, format, a...) }

func (o sceneOut) encode(v any) {
	enc := json.NewEncoder(o.w)
	enc.SetEscapeHTML(false) // scenes are full of & and =
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func sceneCheck(o sceneOut, s string) int {
	ps := wechat.SceneProblems(s)
	n := utf8.RuneCountInString(s)
	if o.json {
		o.encode(struct {
			Scene     string              `json:"scene"`
			Valid     bool                `json:"valid"`
			Length    int                 `json:"length"`
			MaxLength int                 `json:"max_length"`
			Problems  []scene.ProblemJSON `json:"problems"`
		}{s, len(ps) == 0, n, wechat.MaxSceneLen, scene.ProblemsJSON(ps)})
	} else if len(ps) == 0 {
		o.printf("OK: %q is a valid scene (%d/%d characters)\n", s, n, wechat.MaxSceneLen)
	} else {
		o.printf("invalid scene %q (%d/%d characters): %d problem(s)\n", s, n, wechat.MaxSceneLen, len(ps))
		printProblems(o, ps)
		o.printf("wxacode scene fit %s proposes ways to make it fit\n", shellQuote(s))
	}
	if len(ps) > 0 {
		return exitUsage
	}
	return exitOK
}

// printSteps prints a titled, numbered list after a blank line.
func printSteps(o sceneOut, title string, steps []string) {
	o.printf("\n%s:\n", title)
	for i, st := range steps {
		o.printf("  %d. %s\n", i+1, st)
	}
}

func printProblems(o sceneOut, ps []wechat.Problem) {
	for _, p := range ps {
		code := ""
		if p.Code != 0 {
			code = fmt.Sprintf(" [errcode %d]", p.Code)
		}
		o.printf("  %s%s\n", p, code)
	}
}

func sceneExplain(o sceneOut, io stdio, s string, f sceneFlags) int {
	var l scene.Launch
	if f.pathSet {
		kind, err := wechat.ParseKind(f.kind)
		if err != nil || kind == wechat.KindUnlimited && f.kind != "" {
			return sceneUsageError(io, "scene explain --path: --kind is limited (default) or qrcode")
		}
		if f.page != "" {
			return sceneUsageError(io, "scene explain: give --page with a scene, or --path alone")
		}
		if kind == wechat.KindQRCode {
			l = scene.ExplainQRCode(f.path)
		} else {
			l = scene.ExplainPath(f.path)
		}
	} else {
		if f.kind != "" {
			return sceneUsageError(io, "scene explain: --kind goes with --path")
		}
		l = scene.Explain(s, f.page)
	}
	if o.json {
		o.encode(l)
		return exitOK
	}
	if l.Kind == wechat.KindUnlimited {
		o.printf("Unlimited code (getwxacodeunlimit): scene %q, page %s\n", l.Scene, pageLabel(l.Page))
	} else {
		o.printf("%s code (%s): path %q\n", strings.ToUpper(string(l.Kind[:1]))+string(l.Kind[1:]), l.Kind.Path(), l.Path)
	}
	if l.Err != "" {
		o.printf("\n%s\n", l.Err)
		return exitUsage
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
	return exitOK
}

func pageLabel(page string) string {
	if page == "" {
		return "(home page)"
	}
	return page
}

func uriErrorJSON(input string, err error) any {
	var ue *scene.URIError
	pos, kind := -1, ""
	if errors.As(err, &ue) {
		pos, kind = ue.Pos, ue.Kind
	}
	return struct {
		Input     string `json:"input"`
		Error     string `json:"error"`
		ErrorKind string `json:"error_kind"`
		ErrorPos  int    `json:"error_pos"`
	}{input, err.Error(), kind, pos}
}

type codecJSON struct {
	Input  string `json:"input"`
	Output string `json:"output"`
}

func sceneEncode(o sceneOut, io stdio, s string) int {
	return sceneCodec(o, io, s, scene.EncodeURIComponent, func(err error) string {
		return fmt.Sprintf("wxacode scene encode: %v: the argument is not valid UTF-8\n", err)
	})
}

func sceneDecode(o sceneOut, io stdio, s string) int {
	return sceneCodec(o, io, s, scene.DecodeURIComponent, func(err error) string {
		return fmt.Sprintf("wxacode scene decode: %v\nwxacode scene analyze %s explains what went wrong\n", err, shellQuote(s))
	})
}

// sceneCodec prints convert(s), or on a URIError the message (and, with
// --json, the error as JSON) and exit 2.
func sceneCodec(o sceneOut, io stdio, s string, convert func(string) (string, error), message func(error) string) int {
	out, err := convert(s)
	if err != nil {
		if o.json {
			o.encode(uriErrorJSON(s, err))
		}
		fmt.Fprint(io.err, message(err))
		return exitUsage
	}
	if o.json {
		o.encode(codecJSON{s, out})
	} else {
		o.printf("%s\n", out)
	}
	return exitOK
}

func sceneAnalyze(o sceneOut, s string) int {
	a := scene.Analyze(s)
	code := exitOK
	for _, f := range a.Findings {
		if f.Severity == "error" {
			code = exitUsage
		}
	}
	if o.json {
		o.encode(a)
		return code
	}
	o.printf("Raw:   %q\n", a.Raw)
	if a.Value != a.Raw {
		o.printf("Value: %q\n", a.Value)
	}
	o.printf("\nDecoding steps (decodeURIComponent until stable):\n")
	for _, st := range a.Steps {
		if st.Error != "" {
			o.printf("  %d. %q → %s\n", st.N, st.Input, st.Error)
			if st.ErrorPos >= 0 {
				o.printf("     %s^\n", strings.Repeat(" ", len(fmt.Sprintf("%q", st.Input[:st.ErrorPos]))-1))
			}
			continue
		}
		note := ""
		if st.Output == st.Input {
			note = " (unchanged: stable)"
		}
		o.printf("  %d. %q → %q%s\n", st.N, st.Input, st.Output, note)
	}
	o.printf("\nResult: %q (decoded %d time(s))\n", a.Final, a.Layers)
	if len(a.Pairs) > 0 && strings.Contains(a.Final, "=") {
		o.printf("Pairs:\n")
		for _, p := range a.Pairs {
			o.printf("  %d. %q = %q\n", p.Index, p.Key, p.Value)
			for _, n := range p.Notes {
				o.printf("     ! %s\n", n)
			}
		}
	}
	if len(a.Findings) > 0 {
		o.printf("\nFindings:\n")
		for _, f := range a.Findings {
			where := ""
			if f.Pos >= 0 {
				where = fmt.Sprintf(" (step %d, byte %d)", f.Step, f.Pos)
			}
			o.printf("  [%s] %s%s: %s\n      fix: %s\n", f.Severity, f.Kind, where, f.Message, f.Fix)
		}
	}
	if len(a.Problems) > 0 && a.Final != "" {
		o.printf("\nAs a scene, WeChat would refuse %q:\n", a.Final)
		printProblems(o, a.Problems)
	}
	return code
}

func sceneDevTools(o sceneOut, io stdio, s, page string) int {
	d, err := scene.DevToolsFor(s, page)
	if err != nil {
		fmt.Fprintf(io.err, "wxacode scene devtools: %v: the argument is not valid UTF-8\n", err)
		return exitUsage
	}
	if o.json {
		o.encode(d)
		return exitOK
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
	return exitOK
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

func sceneFit(o sceneOut, io stdio, payload string, f sceneFlags) int {
	if payload == "" {
		return sceneUsageError(io, "scene fit: the payload is empty; give the full data you want the page to receive")
	}
	if f.mapFile != "" {
		if _, err := scene.MapFormatFor(f.mapFile); err != nil {
			return sceneUsageError(io, "scene fit --map: "+err.Error())
		}
	}
	problems := wechat.SceneProblems(payload)
	props := scene.Fit(payload, scene.FitOptions{MapFile: f.mapFile})
	type mapResult struct {
		File     string `json:"file"`
		ID       string `json:"id"`
		Row      string `json:"row"`
		Appended bool   `json:"appended"`
		Existing bool   `json:"existing"`
		DryRun   bool   `json:"dry_run"`
		Error    string `json:"error,omitempty"`
	}
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
		if mr != nil && mr.Error != "" {
			fmt.Fprintf(io.err, "wxacode scene fit: %s\n", mr.Error)
		}
		return code
	}
	if len(problems) == 0 {
		o.printf("OK: %q already fits (%d/%d characters, allowed characters only); send it as it is\n",
			payload, utf8.RuneCountInString(payload), wechat.MaxSceneLen)
		return exitOK
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
			fmt.Fprintf(io.err, "wxacode scene fit: %s\n", mr.Error)
		case mr.Appended:
			o.printf("appended to %s: %s", mr.File, mr.Row)
		default:
			o.printf("%s already holds this payload: nothing appended\n", mr.File)
		}
	} else if len(problems) > 0 {
		o.printf("\nadd --map FILE.csv (or .jsonl) to append the mapping row for your server to import\n")
	}
	return code
}

// shellQuote quotes s for a copy-pasteable command line.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,:/@%+=") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
