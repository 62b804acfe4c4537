package scene

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"wxacode/wechat"
)

// EntryScene is a launch scene value (场景值): the number in options.scene,
// which people confuse with the scene string in options.query.scene.
type EntryScene struct {
	Value    int    `json:"value"`
	Meaning  string `json:"meaning"`
	Verified bool   `json:"verified"` // false: that this code produces it is not documented
}

// The documented entry scenes for codes.
var (
	Scan1047      = EntryScene{1047, "scan a 小程序码 with the camera (扫一扫)", true}
	LongPress1048 = EntryScene{1048, "long-press an image of a 小程序码 (长按识别)", true}
	Album1049     = EntryScene{1049, "pick a 小程序码 image from the album", true}
	ScanQR1011    = EntryScene{1011, "scan a QR code", true}
	LongPressQR12 = EntryScene{1012, "long-press an image of a QR code", true}
	AlbumQR1013   = EntryScene{1013, "pick a QR code image from the album", true}
)

// Pair is one piece of the common k=v&k2=v2 split: pieces split on '&', each
// at its first '='.
type Pair struct {
	Index int      `json:"index"` // 1-based position of the piece
	Key   string   `json:"key"`
	Value string   `json:"value"`
	HasEq bool     `json:"has_eq"` // false: the piece had no '=' (Value is empty)
	Notes []string `json:"notes,omitempty"`
}

// Launch is what a mini program (or mini game) receives when a code is scanned.
type Launch struct {
	Kind     wechat.Kind `json:"kind"`
	Scene    string      `json:"scene,omitempty"` // S as sent to getwxacodeunlimit
	Path     string      `json:"path,omitempty"`  // limited/qrcode: the path as sent
	Page     string      `json:"page"`            // the page that opens; "" = the home page
	HomePage bool        `json:"home_page"`
	// Query is the query object the page receives, in order.
	Query []Pair `json:"query"`
	// QueryScene is query.scene: encodeURIComponent(S). Unlimited only.
	QueryScene string `json:"query_scene,omitempty"`
	// Decoded is decodeURIComponent(query.scene): S again when RoundTrip.
	Decoded   string `json:"decoded,omitempty"`
	RoundTrip bool   `json:"round_trip"`
	// Pairs is Decoded (or the path's query) split the common way.
	Pairs       []Pair           `json:"pairs"`
	EntryScenes []EntryScene     `json:"entry_scenes"`
	OnLoad      string           `json:"on_load"`         // onLoad(query) argument as a JS literal
	AppOptions  string           `json:"app_options"`     // App.onLaunch/onShow(options) as a JS literal
	Game        string           `json:"game"`            // what a mini game reads
	Steps       []string         `json:"steps"`           // the launch, step by step
	Unverified  []string         `json:"unverified"`      // what the docs do not say
	Problems    []wechat.Problem `json:"problems"`        // what WeChat would reject
	Err         string           `json:"error,omitempty"` // encoding failed (invalid UTF-8)
}

// Valid reports whether WeChat would accept the request behind this launch.
func (l Launch) Valid() bool { return len(l.Problems) == 0 && l.Err == "" }

func pageName(page string) string {
	if page == "" {
		return "the home page (first entry of pages in app.json)"
	}
	return page
}

// Explain describes the launch of an unlimited code (getwxacodeunlimit) with
// scene S and page P ("" = home page).
func Explain(scene, page string) Launch {
	l := Launch{Kind: wechat.KindUnlimited, Scene: scene, Page: page, HomePage: page == "",
		EntryScenes: []EntryScene{Scan1047, LongPress1048, Album1049}}
	l.Problems = append(wechat.SceneProblems(scene), wechat.PageProblems(page)...)
	enc, err := EncodeURIComponent(scene)
	if err != nil {
		l.Err = fmt.Sprintf("scene is not valid UTF-8 (%v): no JavaScript string can hold it", err)
		l.Query, l.Pairs, l.Steps = []Pair{}, []Pair{}, []string{l.Err}
		l.Unverified = []string{}
		return l
	}
	l.QueryScene = enc
	l.Query = []Pair{{Index: 1, Key: "scene", Value: enc, HasEq: true}}
	dec, derr := DecodeURIComponent(enc)
	l.Decoded, l.RoundTrip = dec, derr == nil && dec == scene
	l.Pairs = SplitPairs(dec)
	l.OnLoad = jsObject(l.Query)
	l.AppOptions = appOptions(page, l.Query, Scan1047.Value)
	l.Game = "mini game: wx.getLaunchOptionsSync().query.scene at cold start, or wx.onShow(res => res.query.scene) " +
		"when brought back; the same string " + jsString(enc) + ": decodeURIComponent it once"
	l.Steps = []string{
		fmt.Sprintf("WeChat opens %s", pageName(page)),
		fmt.Sprintf("onLoad(query): query.scene is %s, encodeURIComponent(S) — WeChat encodes it, you do not", jsString(enc)),
		fmt.Sprintf("decodeURIComponent(query.scene) gives %s%s", jsString(dec), roundTripNote(l.RoundTrip)),
		fmt.Sprintf("split on & and at the first = gives %d piece(s)%s", len(l.Pairs), pairsNote(l.Pairs)),
		"options.scene (a number, e.g. 1047) is the entry scene, not your scene string: read options.query.scene",
	}
	if !l.Valid() {
		l.Steps = append([]string{"WeChat would refuse this request (see problems): no code, no launch; shown as it would arrive"}, l.Steps...)
	}
	l.Unverified = []string{
		"mini games have no pages: what page does for a mini game code is not documented",
	}
	return l
}

// ExplainPath describes the launch of a limited code (getwxacode) whose path
// may carry a query ("pages/a/b?id=1", or "?id=1" for mini games).
func ExplainPath(path string) Launch {
	return explainPath(wechat.KindLimited, path)
}

// ExplainQRCode is ExplainPath for a square code (createwxaqrcode).
func ExplainQRCode(path string) Launch {
	return explainPath(wechat.KindQRCode, path)
}

// ExplainParams explains the launch for whichever endpoint p.Kind names.
func ExplainParams(p wechat.Params) Launch {
	switch p.Kind {
	case wechat.KindLimited, wechat.KindQRCode, wechat.KindTrial:
		return explainPath(p.Kind, p.Path)
	}
	return Explain(p.Scene, p.Page)
}

func explainPath(kind wechat.Kind, path string) Launch {
	page, query, hasQuery := strings.Cut(path, "?")
	l := Launch{Kind: kind, Path: path, Page: strings.TrimPrefix(page, "/"), HomePage: page == ""}
	p := wechat.Params{Kind: kind, Path: path}
	if err := p.Request().Validate(); err != nil {
		if ve, ok := err.(*wechat.ValidationError); ok {
			l.Problems = ve.Problems
		}
	}
	l.Query = SplitPairs(query)
	if !hasQuery || query == "" {
		l.Query = []Pair{}
	}
	l.Pairs = l.Query
	l.RoundTrip = true
	l.EntryScenes = []EntryScene{Scan1047, LongPress1048, Album1049}
	if kind == wechat.KindQRCode || kind == wechat.KindTrial { // QR codes: which scenes is not documented
		l.EntryScenes = []EntryScene{unverified(Scan1047), unverified(LongPress1048), unverified(Album1049),
			unverified(ScanQR1011), unverified(LongPressQR12), unverified(AlbumQR1013)}
	}
	l.OnLoad = jsObject(l.Query)
	l.AppOptions = appOptions(l.Page, l.Query, Scan1047.Value)
	l.Game = "mini game: wx.getLaunchOptionsSync().query at cold start, or wx.onShow(res => res.query) when brought back; " +
		"a query-only path such as ?foo=bar arrives as " + jsObject([]Pair{{Key: "foo", Value: "bar", HasEq: true}})
	l.Steps = []string{
		fmt.Sprintf("WeChat opens %s", pageName(l.Page)),
		fmt.Sprintf("onLoad(query): query is %s — the keys of the path's query, no scene key", l.OnLoad),
	}
	if hasEscapes(query) {
		l.Steps = append(l.Steps, "the query holds %XX escapes: call decodeURIComponent on each value you need (see unverified)")
	}
	if strings.HasPrefix(page, "/") {
		l.Steps = append(l.Steps, "the leading / is tolerated in path (observed, not documented)")
	}
	l.Steps = append(l.Steps, "options.scene (a number) is the entry scene, not a value of your query")
	l.Unverified = []string{
		"whether WeChat percent-decodes path query values before onLoad is not documented: values are shown as written; " +
			"decode defensively (decodeURIComponent is a no-op on values without %)",
	}
	if kind == wechat.KindQRCode || kind == wechat.KindTrial { // QR codes: which scenes is not documented
		l.Unverified = append(l.Unverified, "which entry scene a square createwxaqrcode code gives (1047/1048/1049 or 1011/1012/1013) is not documented")
	}
	if !l.Valid() {
		l.Steps = append([]string{"WeChat would refuse this request (see problems): no code, no launch; shown as it would arrive"}, l.Steps...)
	}
	return l
}

func unverified(e EntryScene) EntryScene { e.Verified = false; return e }

func hasEscapes(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i] == '%' {
			if _, ok := escapeAt(s, i); ok {
				return true
			}
		}
	}
	return false
}

func roundTripNote(ok bool) string {
	if ok {
		return ": exactly the scene that was sent"
	}
	return ": NOT the scene that was sent"
}

func pairsNote(ps []Pair) string {
	n := 0
	for _, p := range ps {
		n += len(p.Notes)
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d note(s): see pairs)", n)
}

// SplitPairs splits s the common way (s.split('&') then the first '=' of each
// piece) and notes duplicates, empty keys, empty values, pieces without '=' and
// values holding another '='. An empty s gives no pairs.
func SplitPairs(s string) []Pair {
	if s == "" {
		return []Pair{}
	}
	pieces := strings.Split(s, "&")
	out := make([]Pair, 0, len(pieces))
	seen := map[string]int{}
	for i, piece := range pieces {
		k, v, eq := strings.Cut(piece, "=")
		p := Pair{Index: i + 1, Key: k, Value: v, HasEq: eq}
		switch {
		case piece == "":
			p.Notes = append(p.Notes, "empty piece (&& or a trailing/leading &)")
		case !eq:
			p.Notes = append(p.Notes, "no '=': a key without a value")
		}
		if k == "" && piece != "" {
			p.Notes = append(p.Notes, "empty key")
		}
		if eq && v == "" {
			p.Notes = append(p.Notes, "empty value")
		}
		if strings.Contains(v, "=") {
			p.Notes = append(p.Notes, "value holds '=': code that does piece.split('=')[1] loses everything after it")
		}
		if first, dup := seen[k]; dup && piece != "" {
			p.Notes = append(p.Notes, fmt.Sprintf("duplicate key %q (first at piece %d): an object holds one value per key (the usual parsers keep the last)", k, first))
		} else if piece != "" {
			seen[k] = i + 1
		}
		out = append(out, p)
	}
	return out
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if !utf8.ValidString(s) {
		s = replaceInvalid(s)
	}
	_ = enc.Encode(s) // strings always encode
	return strings.TrimSuffix(b.String(), "\n")
}

// jsObject renders pairs as the object a JS query parser builds (the last duplicate wins).
func jsObject(ps []Pair) string {
	if len(ps) == 0 {
		return "{}"
	}
	var keys []string
	vals := map[string]string{}
	for _, p := range ps {
		if p.Key == "" && !p.HasEq {
			continue
		}
		if _, ok := vals[p.Key]; !ok {
			keys = append(keys, p.Key)
		}
		vals[p.Key] = p.Value
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = jsKey(k) + ": " + jsString(vals[k])
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

func jsKey(k string) string {
	if k == "" {
		return `""`
	}
	for i, r := range k {
		if !(r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return jsString(k)
		}
	}
	return k
}

func appOptions(page string, query []Pair, entry int) string {
	path := page
	if path == "" {
		path = "<home page>"
	}
	return fmt.Sprintf("{ path: %s, query: %s, scene: %d }", jsString(path), jsObject(query), entry)
}
