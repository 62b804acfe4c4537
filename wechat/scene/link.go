package scene

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"wxacode/wechat"
)

// The entry scenes of a link QR (普通链接二维码), documented.
var linkEntryScenes = []EntryScene{ScanQR1011, LongPressQR12, AlbumQR1013}

// LinkParam is one parameter of the scanned URL's query: the raw piece and
// the value as the page's decoding gives it.
type LinkParam struct {
	Pair
	// Decoded is decodeURIComponent(Value), or Value when that throws (Err).
	Decoded string `json:"decoded"`
	Err     string `json:"error,omitempty"`
}

// LinkLaunch is what a page receives when a link QR is scanned: WeChat
// matches the text against the published rules and opens the rule's page
// with query.q and query.scancode_time.
type LinkLaunch struct {
	URL string `json:"url"`
	// Q is query.q as it arrives: encodeURIComponent(URL), once.
	Q string `json:"q"`
	// Decoded is decodeURIComponent(Q): URL again when RoundTrip.
	Decoded   string `json:"decoded"`
	RoundTrip bool   `json:"round_trip"`
	// ScancodeTime is query.scancode_time for a scan at the given time: Unix seconds, as a string.
	ScancodeTime string `json:"scancode_time"`
	// Query is the page's query object: q and scancode_time.
	Query []Pair `json:"query"`
	// Params are the decoded URL's query (after ?, before #), split on & and at the first =.
	Params      []LinkParam       `json:"params"`
	Fragment    string            `json:"fragment,omitempty"`
	EntryScenes []EntryScene      `json:"entry_scenes"`
	Rule        *wechat.RuleMatch `json:"rule,omitempty"`
	SubRules    []string          `json:"sub_rules,omitempty"` // permit_sub_rule 1 and 2, for the rule
	OnLoad      string            `json:"on_load"`             // the page's onLoad, runnable
	AppOptions  string            `json:"app_options"`
	Game        string            `json:"game"`
	Steps       []string          `json:"steps"`
	Unverified  []string          `json:"unverified"`
	Problems    []wechat.Problem  `json:"problems"` // what makes the URL unfit for a link QR
	Err         string            `json:"error,omitempty"`
}

// ExplainLink describes the launch from a link QR of url scanned at
// scanned; rule, when not "", is the prefix rule to match it against.
func ExplainLink(url, rule string, scanned time.Time) LinkLaunch {
	l := LinkLaunch{URL: url, ScancodeTime: strconv.FormatInt(scanned.Unix(), 10), EntryScenes: linkEntryScenes,
		Query: []Pair{}, Params: []LinkParam{}, Unverified: []string{}}
	l.Problems = wechat.LinkURLProblems(url, wechat.ECLow)
	q, err := EncodeURIComponent(url)
	if err != nil {
		l.Err = fmt.Sprintf("the URL is not valid UTF-8 (%v): no JavaScript string can hold it", err)
		l.Steps = []string{l.Err}
		return l
	}
	l.Q = q
	l.Decoded, err = DecodeURIComponent(q)
	l.RoundTrip = err == nil && l.Decoded == url
	l.Query = []Pair{{Index: 1, Key: "q", Value: q, HasEq: true}, {Index: 2, Key: "scancode_time", Value: l.ScancodeTime, HasEq: true}}
	rest, frag, _ := strings.Cut(l.Decoded, "#")
	l.Fragment = frag
	if _, search, ok := strings.Cut(rest, "?"); ok {
		for _, p := range SplitPairs(search) {
			lp := LinkParam{Pair: p, Decoded: p.Value}
			if d, err := DecodeURIComponent(p.Value); err != nil {
				lp.Err = err.Error()
				lp.Notes = append(lp.Notes, "decodeURIComponent throws on this value: the snippet keeps it as it is")
			} else {
				lp.Decoded = d
			}
			if strings.Contains(p.Value, "+") {
				lp.Notes = append(lp.Notes, "+ stays + (decodeURIComponent is not form decoding): send a space as %20")
			}
			l.Params = append(l.Params, lp)
		}
	}
	l.OnLoad = linkOnLoad(url)
	l.AppOptions = fmt.Sprintf("{ path: \"<the rule's page>\", query: %s, scene: %d }", jsObject(l.Query), ScanQR1011.Value)
	l.Game = "mini game: wx.getEnterOptionsSync().query.q (and .scancode_time): the same " + jsString(q) + "; decodeURIComponent it once"
	l.Steps = []string{
		fmt.Sprintf("the QR code's text is %s (%d bytes): WeChat matches it against the mini program's published rules", jsString(url), len(url)),
	}
	if rule != "" {
		m := wechat.MatchLinkRule(rule, url)
		l.Rule = &m
		l.SubRules = []string{wechat.SubRulesFree.Explain(rule), wechat.SubRulesOccupied.Explain(rule)}
		if m.Matches {
			l.Steps = append(l.Steps, fmt.Sprintf("it matches the rule %s (%s): %s", rule, m.How, m.Reason))
			if m.How != "exact" {
				l.Steps = append(l.Steps, "a longer rule another mini program added under this one (permit_sub_rule 1) would take this link: see sub_rules")
			}
		} else {
			l.Steps = append(l.Steps, fmt.Sprintf("it does NOT match the rule %s: %s; WeChat opens it as a web page", rule, m.Reason))
		}
		if m.Inferred != "" {
			l.Unverified = append(l.Unverified, m.Inferred)
		}
	}
	l.Steps = append(l.Steps,
		"the rule must be published (state 2); a draft rule opens the mini program only for its debug_url links, for the testers of its open_version",
		fmt.Sprintf("WeChat opens the rule's page: onLoad(query) gets query.q = %s, encodeURIComponent(URL) once", jsString(q)),
		fmt.Sprintf("and query.scancode_time = %s: the scan's Unix time in seconds, a string (parseInt it)", jsString(l.ScancodeTime)),
		fmt.Sprintf("decodeURIComponent(query.q) gives %s%s", jsString(l.Decoded), linkRoundTrip(l.RoundTrip)),
		fmt.Sprintf("its query split on & and at the first = gives %d parameter(s); each value keeps its own %%XX escapes: decode each once", len(l.Params)),
		fmt.Sprintf("options.scene is %d (scan), %d (long-press) or %d (album): a number, the entry scene", ScanQR1011.Value, LongPressQR12.Value, AlbumQR1013.Value),
		"opened any other way (a share, a recent-apps entry) there is no query.q, and decodeURIComponent(undefined) is the string \"undefined\": check query.q first",
	)
	if len(l.Problems) > 0 {
		l.Steps = append([]string{"this URL is not fit for a link QR (see problems); shown as it would arrive"}, l.Steps...)
	}
	l.Unverified = append(l.Unverified,
		"which rule wins when several published rules match (another account's longer sub-rule, say) is not documented: presumably the longest",
		"whether the fragment (#…) takes part in matching is not documented")
	return l
}

func linkRoundTrip(ok bool) string {
	if ok {
		return ": exactly the link"
	}
	return ": NOT the link"
}

// Valid reports whether the URL is fit for a link QR.
func (l LinkLaunch) Valid() bool { return len(l.Problems) == 0 && l.Err == "" }

// linkOnLoad is the page code that reads a link QR's launch; `wxacode
// linkqr explain` prints it and the tests run it in node.
func linkOnLoad(url string) string {
	return `Page({
  onLoad(query) {
    // Opened by a link QR: query.q is encodeURIComponent(link), query.scancode_time the scan's Unix seconds.
    if (!query.q) return // opened another way: decodeURIComponent(undefined) would be "undefined"
    const link = decodeURIComponent(query.q)
    const scannedAt = parseInt(query.scancode_time, 10)
    const params = {}
    const search = link.split('#')[0].split('?').slice(1).join('?')
    for (const piece of search ? search.split('&') : []) {
      const i = piece.indexOf('=')
      const key = i >= 0 ? piece.slice(0, i) : piece
      let value = i >= 0 ? piece.slice(i + 1) : ''
      try { value = decodeURIComponent(value) } catch (e) { /* a broken %XX: keep it as it is */ }
      params[key] = value
    }
    // link === ` + jsString(url) + `
  }
})`
}

// LinkParamsObject is the params object the onLoad snippet builds: decoded
// values by key, the last of a duplicate key winning, keys in first-seen order.
func LinkParamsObject(ps []LinkParam) ([]string, map[string]string) {
	var keys []string
	vals := map[string]string{}
	for _, p := range ps {
		if _, ok := vals[p.Key]; !ok {
			keys = append(keys, p.Key)
		}
		vals[p.Key] = p.Decoded
	}
	return keys, vals
}
