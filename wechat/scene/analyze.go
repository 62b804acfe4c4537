package scene

import (
	"errors"
	"fmt"
	"strings"

	"wxacode/wechat"
)

// MaxDecodeSteps bounds Analyze's decode loop; real values are encoded once or twice.
const MaxDecodeSteps = 8

// Step is one decodeURIComponent applied by Analyze.
type Step struct {
	N      int    `json:"n"` // 1-based
	Input  string `json:"input"`
	Output string `json:"output,omitempty"`
	Error  string `json:"error,omitempty"`
	// ErrorPos is the byte offset of the bad sequence in Input; -1 without error.
	ErrorPos int `json:"error_pos"`
}

// Finding kinds reported by Analyze.
const (
	FindingScenePrefix  = "scene_prefix"  // raw holds scene=… or a whole path: the value was extracted
	FindingCutAtEquals  = "cut_at_equals" // an unencoded value after scene=: receivers keep it up to the first =
	FindingMaybeCut     = "maybe_cut"     // no = where pairs may have been expected
	FindingDoubleEncode = "double_encoded"
	FindingPlus         = "plus_as_space" // + that a form encoder meant as a space
	FindingSpace        = "space_from_plus"
	FindingUndecodable  = "undecodable"
	FindingJSEscape     = "js_escape" // %uXXXX from escape()
	FindingNotEncoded   = "not_encoded"
)

// Finding is one thing Analyze noticed, with what to change.
type Finding struct {
	Kind     string `json:"kind"`
	Severity string `json:"severity"` // error, warning, info
	// Step is the decode step the finding is about (0: the raw value).
	Step int `json:"step"`
	// Pos is a byte offset in that step's input (raw for step 0); -1 when not about one place.
	Pos     int    `json:"pos"`
	Message string `json:"message"`
	Fix     string `json:"fix"`
}

// Analysis is what a raw value pasted from logs decodes to, step by step.
type Analysis struct {
	Raw string `json:"raw"`
	// Value is the part analysed: Raw, or what follows scene= in it.
	Value string `json:"value"`
	Steps []Step `json:"steps"`
	// Final is the last value decoded without error (Value when the first step fails).
	Final string `json:"final"`
	// Layers counts the decodes that changed the value: 1 is normal, 2+ is double encoding.
	Layers int `json:"layers"`
	// Stable is true when decoding stopped because nothing changed, false when it hit an error.
	Stable bool `json:"stable"`
	// ValueStart is the byte offset of Value in Raw.
	ValueStart int              `json:"value_start"`
	Pairs      []Pair           `json:"pairs"`
	Findings   []Finding        `json:"findings"`
	Problems   []wechat.Problem `json:"-"` // Final checked as a scene; none when decoding failed
}

// MarshalJSON gives problems snake_case names.
func (a Analysis) MarshalJSON() ([]byte, error) {
	type alias Analysis
	return marshalJSON(struct {
		alias
		Problems []ProblemJSON `json:"problems"`
	}{alias(a), ProblemsJSON(a.Problems)})
}

// Analyze decodes a raw value (query.scene as logged, scene=… from a launch
// parameter, or a whole path with ?scene=) until it is stable or an error
// stops it, and reports double encoding, + meant as space, values cut at the
// first =, and undecodable sequences, each with what to change.
func Analyze(raw string) Analysis {
	a := Analysis{Raw: raw, Value: raw, Steps: []Step{}, Findings: []Finding{}}
	a.extract()
	cur := a.Value
	a.Final = cur
	for n := 1; n <= MaxDecodeSteps; n++ {
		out, err := DecodeURIComponent(cur)
		st := Step{N: n, Input: cur, ErrorPos: -1}
		if err != nil {
			st.Error = err.Error()
			var ue *URIError
			if errors.As(err, &ue) {
				st.ErrorPos = ue.Pos
				a.Findings = append(a.Findings, undecodable(n, cur, ue))
			}
			a.Steps = append(a.Steps, st)
			break
		}
		st.Output = out
		a.Steps = append(a.Steps, st)
		a.Final = out
		if out == cur {
			a.Stable = true
			break
		}
		a.Layers++
		cur = out
	}
	a.Pairs = SplitPairs(a.Final)
	if a.Stable {
		a.Problems = wechat.SceneProblems(a.Final)
	}
	a.checkLayers()
	a.checkPlusAndSpace()
	a.checkCut()
	return a
}

func (a *Analysis) add(f Finding) { a.Findings = append(a.Findings, f) }

// extract takes the value out of "scene=…" or "pages/x?scene=…&…".
func (a *Analysis) extract() {
	raw := a.Raw
	start := -1
	switch {
	case strings.HasPrefix(raw, "scene="):
		start = len("scene=")
	case strings.Contains(raw, "?scene="):
		start = strings.Index(raw, "?scene=") + len("?scene=")
	case strings.Contains(raw, "&scene="):
		start = strings.Index(raw, "&scene=") + len("&scene=")
	}
	if start < 0 {
		return
	}
	rest := raw[start:]
	a.add(Finding{Kind: FindingScenePrefix, Severity: "info", Pos: start,
		Message: "this is a query, not the value: analysing what follows scene=",
		Fix:     "in the page, query.scene already holds only the value"})
	if strings.ContainsAny(rest, "=") && !hasEscapes(rest) {
		// Nothing is encoded, so the & and = belong to the scene: the common mistake.
		kept := rest
		if i := strings.IndexAny(rest, "=&"); i >= 0 {
			kept = rest[:i]
		}
		a.Value, a.ValueStart = rest, start
		a.add(Finding{Kind: FindingCutAtEquals, Severity: "error", Pos: start + len(kept),
			Message: fmt.Sprintf("the value after scene= is not encoded: DevTools and older Android wx.scanCode split it at = and &, so query.scene is %s, not %s",
				jsString(kept), jsString(rest)),
			Fix: "write the launch parameter encoded: scene=" + MustEncode(rest)})
		return
	}
	if i := strings.IndexByte(rest, '&'); i >= 0 {
		rest = rest[:i] // another query parameter follows
	}
	a.Value, a.ValueStart = rest, start
}

func undecodable(step int, in string, e *URIError) Finding {
	f := Finding{Kind: FindingUndecodable, Severity: "error", Step: step, Pos: e.Pos,
		Message: fmt.Sprintf("decodeURIComponent throws URIError at byte %d (%s)", e.Pos, e.Reason)}
	seq := in[e.Pos:min(len(in), e.Pos+12)]
	switch e.Kind {
	case URIErrorBadEscape:
		switch {
		case strings.HasPrefix(in[e.Pos:], "%u") || strings.HasPrefix(in[e.Pos:], "%U"):
			f.Kind = FindingJSEscape
			f.Message = fmt.Sprintf("%s at byte %d is escape() output, which decodeURIComponent rejects", seq, e.Pos)
			f.Fix = "the sender used escape(): use encodeURIComponent (or unescape() on this side)"
		case e.Pos+2 >= len(in):
			f.Message = fmt.Sprintf("the value ends inside an escape (%q at byte %d): it was cut", in[e.Pos:], e.Pos)
			f.Fix = "log or copy the whole value; a length limit or a log line limit cut it"
		default:
			f.Fix = "a literal % must be written %25; note that % is not allowed in a scene at all (40129)"
		}
	case URIErrorTruncated:
		f.Message = fmt.Sprintf("the value ends inside a multi-byte character (%s at byte %d needs more %%XX escapes): it was cut", seq, e.Pos)
		f.Fix = "log or copy the whole value; a length limit or a log line limit cut it"
	case URIErrorBadLead, URIErrorBadContinuation:
		f.Fix = "these bytes are not UTF-8 (GBK or Latin-1 percent-encoding, e.g. a server encoding in a legacy charset): encode the text as UTF-8 with encodeURIComponent"
	case URIErrorInvalidSequence:
		f.Fix = "an overlong, surrogate or out-of-range sequence (CESU-8, Java modified UTF-8, or built by hand): encode the text as standard UTF-8"
	default:
		f.Fix = "re-encode the original text with encodeURIComponent"
	}
	return f
}

func (a *Analysis) checkLayers() {
	switch {
	case a.Layers >= 2:
		chain := make([]string, 0, a.Layers+1)
		for _, s := range a.Steps {
			if s.Error == "" && s.Output != s.Input {
				chain = append(chain, jsString(s.Input))
			}
		}
		chain = append(chain, jsString(a.Final))
		a.add(Finding{Kind: FindingDoubleEncode, Severity: "warning", Step: 1, Pos: strings.Index(a.Value, "%25"),
			Message: fmt.Sprintf("encoded %d times: %s", a.Layers, strings.Join(chain, " → ")),
			Fix: "query.scene arrives encoded once, and one decodeURIComponent gives the scene back; something encoded it again " +
				"(forwarding query.scene through encodeURIComponent into a navigateTo url, or a logger/URL builder): " +
				"pass the decoded value on, or decode once per encoding"})
	case a.Layers == 0 && a.Stable && strings.ContainsAny(a.Value, "=&") && !hasFinding(a.Findings, FindingCutAtEquals):
		a.add(Finding{Kind: FindingNotEncoded, Severity: "info", Step: 1, Pos: -1,
			Message: "nothing to decode: this is already the decoded scene (decodeURIComponent returns it unchanged)",
			Fix:     "none needed: decoding an already decoded scene is harmless unless it contains %"})
	}
}

func (a *Analysis) checkPlusAndSpace() {
	if i := strings.IndexByte(a.Value, '+'); i >= 0 {
		f := Finding{Kind: FindingPlus, Step: 0, Pos: a.ValueStart + i}
		if a.Layers > 0 {
			// encodeURIComponent writes + as %2B: a bare + next to escapes came from a form encoder.
			f.Severity = "warning"
			f.Message = "a bare '+' in an encoded value: encodeURIComponent (and so WeChat) writes '+' as %2B, " +
				"but form encoders (URLSearchParams, Java URLEncoder, PHP urlencode, Go url.QueryEscape) write a space as '+'; " +
				"decodeURIComponent leaves it a '+'"
			f.Fix = "find the form encoder and use encodeURIComponent; if '+' meant a space, the scene had a space, which WeChat rejects (40129)"
		} else {
			f.Severity = "info"
			f.Message = "'+' is data here (decodeURIComponent leaves it alone); had a form encoder produced this value, it would mean a space"
			f.Fix = "none if this is the decoded scene; never form-encode a scene (WeChat encodes it)"
		}
		a.add(f)
	}
	if i := strings.IndexByte(a.Raw, ' '); i >= 0 {
		a.add(Finding{Kind: FindingSpace, Severity: "warning", Step: 0, Pos: i,
			Message: "a space in the logged value: a form decoder (URLSearchParams, PHP urldecode, Go url.QueryUnescape) turns '+' into a space",
			Fix:     "decode query.scene with decodeURIComponent, which leaves '+' alone; a scene cannot contain a space"})
	}
}

func (a *Analysis) checkCut() {
	if hasFinding(a.Findings, FindingCutAtEquals) || a.Final == "" {
		return
	}
	for _, p := range a.Pairs {
		if !p.HasEq && p.Key != "" && len(a.Pairs) > 1 {
			a.add(Finding{Kind: FindingMaybeCut, Severity: "warning", Step: len(a.Steps), Pos: -1,
				Message: fmt.Sprintf("piece %d (%s) has no '=' while others do: if pairs were expected, its value was lost", p.Index, jsString(p.Key)),
				Fix:     "check the sender: write key=value for every piece"})
			return
		}
	}
	if len(a.Pairs) == 1 && !a.Pairs[0].HasEq && isWord(a.Final) {
		a.add(Finding{Kind: FindingMaybeCut, Severity: "info", Step: len(a.Steps), Pos: -1,
			Message: fmt.Sprintf("no '=' at all: if you expected k=v pairs, %s is the key before the first '=' and the rest was cut "+
				"(an unencoded DevTools launch parameter, or an older Android wx.scanCode)", jsString(a.Final)),
			Fix: "in DevTools write scene=<encodeURIComponent(scene)> (wxacode scene devtools S); decode wx.scanCode paths defensively"})
	}
}

func isWord(s string) bool {
	if len(s) > 20 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_') {
			return false
		}
	}
	return true
}

func hasFinding(fs []Finding, kind string) bool {
	for _, f := range fs {
		if f.Kind == kind {
			return true
		}
	}
	return false
}
