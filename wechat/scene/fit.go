package scene

import (
	"crypto/sha256"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"

	"wxacode/wechat"
)

// Fit strategies, in the order Fit offers them.
const (
	StrategyAsIs      = "as_is"      // the payload already fits
	StrategyShortKeys = "short_keys" // (a) one- or two-letter keys
	StrategyPosition  = "positional" // (a) keys and = dropped: values in a fixed order
	StrategyBase62    = "base62"     // (b) integers in base 62 (with short keys or positions)
	StrategyMappingID = "mapping_id" // (c) a short id; the payload lives in a mapping file
)

// DefaultIDLength is the length of mapping ids: 62^8 ≈ 2·10^14 ids.
const DefaultIDLength = 8

// FitOptions tunes Fit.
type FitOptions struct {
	// MapFile (.csv or .jsonl) is read to reuse an existing id for the payload
	// and to avoid collisions. Fit never writes it: AppendMapping does.
	MapFile string
	// IDLength is the mapping id length (default DefaultIDLength, at most 32).
	IDLength int
}

// KeyMap pairs an original key with its short form.
type KeyMap struct {
	Long  string `json:"long"`
	Short string `json:"short"`
}

// Proposal is one way to make a payload fit in a scene, with what it costs.
// Every proposal Fit returns passes wechat.SceneProblems.
type Proposal struct {
	Strategy string   `json:"strategy"`
	Scene    string   `json:"scene"`
	Length   int      `json:"length"` // characters, at most 32
	KeyMap   []KeyMap `json:"key_map,omitempty"`
	// Order lists the keys of a positional scene, in order.
	Order []string `json:"order,omitempty"`
	// Base62Keys lists the keys whose values are base62 integers.
	Base62Keys []string `json:"base62_keys,omitempty"`
	// Decode is JavaScript for the page: decodeScene(decodeURIComponent(query.scene)).
	Decode string   `json:"decode"`
	Costs  []string `json:"costs"`
	// MapFile and MapRow: the row AppendMapping adds (mapping_id only).
	MapFile string `json:"map_file,omitempty"`
	MapRow  string `json:"map_row,omitempty"`
	// Existing is true when MapFile already maps this payload (under Scene).
	Existing bool     `json:"existing,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

// Fit proposes ways to make payload a valid scene: shorter keys and dropped
// separators, base62 integers, or a short id with a mapping row. A payload
// that is already valid gets one as_is proposal. Nothing is changed silently:
// each proposal shows its key map, decoder and costs. An empty payload gets none.
func Fit(payload string, opts FitOptions) []Proposal {
	if payload == "" {
		return []Proposal{} // nothing to fit; SceneProblems says why a scene cannot be empty
	}
	if len(wechat.SceneProblems(payload)) == 0 {
		return []Proposal{{Strategy: StrategyAsIs, Scene: payload, Length: utf8.RuneCountInString(payload),
			Decode: "const scene = decodeURIComponent(query.scene)", Costs: []string{"none: it already fits"}}}
	}
	var out []Proposal
	offer := func(p Proposal, ok bool) {
		if ok && len(wechat.SceneProblems(p.Scene)) == 0 && !sameScene(out, p.Scene) {
			p.Length = utf8.RuneCountInString(p.Scene)
			out = append(out, p)
		}
	}
	if pairs, ok := cleanPairs(payload); ok {
		keys := shortKeys(pairs)
		offer(shortKeyProposal(pairs, keys, nil), true)
		offer(positionalProposal(pairs, nil))
		num := numericKeys(pairs)
		if len(num) > 0 {
			p := shortKeyProposal(pairs, keys, num)
			if len(wechat.SceneProblems(p.Scene)) != 0 {
				if pp, ok := positionalProposal(pairs, num); ok {
					p = pp
				}
			}
			offer(p, true)
		}
	} else if b, ok := Base62FromDecimal(payload); ok {
		offer(Proposal{Strategy: StrategyBase62, Scene: b, Decode: base62JS(payload) +
			"function decodeScene(scene) { return fromBase62(scene) }",
			Costs: []string{"decoding code in the page (fromBase62)", "readability: the number is no longer legible"}}, true)
	}
	offer(mappingProposal(payload, opts), true)
	return out
}

func sameScene(ps []Proposal, s string) bool {
	for _, p := range ps {
		if p.Scene == s {
			return true
		}
	}
	return false
}

// cleanPairs accepts k=v&k2=v2 with every piece a non-empty key and an '='.
func cleanPairs(s string) ([]Pair, bool) {
	if !strings.Contains(s, "=") {
		return nil, false
	}
	ps := SplitPairs(s)
	for _, p := range ps {
		if !p.HasEq || p.Key == "" {
			return nil, false
		}
	}
	return ps, true
}

// shortKeys gives every distinct key the shortest free abbreviation made of its
// own ASCII letters and digits, so the key map stays guessable.
func shortKeys(ps []Pair) map[string]string {
	out := map[string]string{}
	taken := map[string]bool{}
	for _, p := range ps { // one-character keys are short already: they keep their name
		if len(p.Key) == 1 && wechat.IsSceneChar(rune(p.Key[0])) && p.Key != "&" && p.Key != "=" {
			out[p.Key], taken[p.Key] = p.Key, true
		}
	}
	for _, p := range ps {
		if _, ok := out[p.Key]; ok {
			continue
		}
		var letters []byte
		var caps []byte
		for i := 0; i < len(p.Key); i++ {
			c := p.Key[i]
			if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' {
				letters = append(letters, c)
				if c >= 'A' && c <= 'Z' {
					caps = append(caps, c+'a'-'A')
				}
			}
		}
		var cands []string
		if len(letters) > 0 {
			first := strings.ToLower(string(letters[0]))
			cands = append(cands, first)
			if len(caps) > 0 {
				cands = append(cands, first+string(caps)) // productId → pi
			}
			for n := 2; n <= len(letters); n++ {
				cands = append(cands, strings.ToLower(string(letters[:n])))
			}
			for d := 2; d <= 9; d++ {
				cands = append(cands, fmt.Sprintf("%s%d", first, d))
			}
		}
		for c := 'a'; c <= 'z'; c++ {
			cands = append(cands, string(c))
		}
		for n := 1; ; n++ {
			if cands = append(cands, fmt.Sprintf("k%d", n)); n > len(ps) {
				break
			}
		}
		for _, c := range cands {
			if !taken[c] {
				out[p.Key], taken[c] = c, true
				break
			}
		}
	}
	return out
}

// numericKeys lists keys whose every value is a decimal integer base62 can
// carry, when at least one of them gets shorter.
func numericKeys(ps []Pair) map[string]bool {
	ok := map[string]bool{}
	bad := map[string]bool{}
	shrinks := false
	for _, p := range ps {
		b, isNum := Base62FromDecimal(p.Value)
		if !isNum {
			bad[p.Key] = true
			continue
		}
		ok[p.Key] = true
		if len(b) < len(p.Value) {
			shrinks = true
		}
	}
	for k := range bad {
		delete(ok, k)
	}
	if !shrinks {
		return nil
	}
	return ok
}

func encodeValue(p Pair, num map[string]bool) string {
	if num[p.Key] {
		b, _ := Base62FromDecimal(p.Value)
		return b
	}
	return p.Value
}

func orderedKeys(ps []Pair) []string {
	var keys []string
	seen := map[string]bool{}
	for _, p := range ps {
		if !seen[p.Key] {
			seen[p.Key] = true
			keys = append(keys, p.Key)
		}
	}
	return keys
}

func shortKeyProposal(ps []Pair, keys map[string]string, num map[string]bool) Proposal {
	pieces := make([]string, len(ps))
	for i, p := range ps {
		pieces[i] = keys[p.Key] + "=" + encodeValue(p, num)
	}
	p := Proposal{Strategy: StrategyShortKeys, Scene: strings.Join(pieces, "&")}
	var longJS []string
	for _, k := range orderedKeys(ps) {
		p.KeyMap = append(p.KeyMap, KeyMap{Long: k, Short: keys[k]})
		longJS = append(longJS, jsKey(keys[k])+": "+jsString(k))
	}
	p.Costs = []string{"decoding code in the page (a key map: keep it in one place, server and page)",
		"readability: short keys are harder to read in logs"}
	var numJS []string
	prefix, conv := "", "v"
	if len(num) > 0 {
		p.Strategy = StrategyBase62
		for _, k := range orderedKeys(ps) {
			if num[k] {
				p.Base62Keys = append(p.Base62Keys, k)
				numJS = append(numJS, jsKey(k)+": true")
			}
		}
		prefix = base62JS(maxValue(ps, num)) + "const numeric = { " + strings.Join(numJS, ", ") + " }\n"
		conv = "numeric[key] ? fromBase62(v) : v"
		p.Costs = append(p.Costs, "integers become unreadable in base 62; values with leading zeros are left as they are")
	}
	p.Decode = prefix + `function decodeScene(scene) {
  const long = { ` + strings.Join(longJS, ", ") + ` }
  const out = {}
  for (const piece of scene.split('&')) {
    const i = piece.indexOf('=')
    const key = long[piece.slice(0, i)] || piece.slice(0, i)
    const v = piece.slice(i + 1)
    out[key] = ` + conv + `
  }
  return out
}`
	return p
}

// positionalProposal drops keys and '=': values in key order, joined by a
// separator none of them contains. Not offered with duplicate keys.
func positionalProposal(ps []Pair, num map[string]bool) (Proposal, bool) {
	keys := orderedKeys(ps)
	if len(keys) != len(ps) {
		return Proposal{}, false
	}
	sep := ""
	for _, c := range []string{",", ".", "_", "-", "~", "!", "*"} {
		clash := false
		for _, p := range ps {
			if strings.Contains(encodeValue(p, num), c) {
				clash = true
				break
			}
		}
		if !clash {
			sep = c
			break
		}
	}
	if sep == "" {
		return Proposal{}, false
	}
	vals := make([]string, len(ps))
	fields := make([]string, len(ps))
	for i, p := range ps {
		vals[i] = encodeValue(p, num)
		v := fmt.Sprintf("v[%d]", i)
		if num[p.Key] {
			v = "fromBase62(" + v + ")"
		}
		fields[i] = jsKey(p.Key) + ": " + v
	}
	p := Proposal{Strategy: StrategyPosition, Scene: strings.Join(vals, sep), Order: keys,
		Costs: []string{"decoding code in the page (the key order is a contract between server and page)",
			"readability: values without names", "adding a key later needs a new order (append only)"}}
	prefix := ""
	if len(num) > 0 {
		p.Strategy = StrategyBase62
		for _, k := range keys {
			if num[k] {
				p.Base62Keys = append(p.Base62Keys, k)
			}
		}
		prefix = base62JS(maxValue(ps, num))
		p.Costs = append(p.Costs, "integers become unreadable in base 62")
	}
	p.Decode = prefix + "function decodeScene(scene) {\n  const v = scene.split(" + jsString(sep) + ")\n  return { " +
		strings.Join(fields, ", ") + " }\n}"
	return p, true
}

func maxValue(ps []Pair, num map[string]bool) string {
	m := new(big.Int)
	for _, p := range ps {
		if num[p.Key] {
			if n, ok := new(big.Int).SetString(p.Value, 10); ok && n.Cmp(m) > 0 {
				m = n
			}
		}
	}
	return m.String()
}

// base62JS is the decoder for base62 integers: Number while they are exact
// (≤ 2^53−1), BigInt beyond (iOS 14+ and current Android WebViews [?]).
func base62JS(maxDecimal string) string {
	n, _ := new(big.Int).SetString(maxDecimal, 10)
	if n != nil && n.Cmp(big.NewInt(1<<53-1)) <= 0 {
		return "const B62 = '" + Base62Alphabet + "'\n" +
			"function fromBase62(s) { let n = 0; for (const c of s) n = n * 62 + B62.indexOf(c); return String(n) }\n"
	}
	return "const B62 = '" + Base62Alphabet + "'\n" +
		"// beyond 2^53: BigInt keeps every digit\n" +
		"function fromBase62(s) { let n = 0n; for (const c of s) n = n * 62n + BigInt(B62.indexOf(c)); return n.toString() }\n"
}

// MappingID is the deterministic id of payload: the first n base62 digits of
// its SHA-256.
func MappingID(payload string, n int) string {
	sum := sha256.Sum256([]byte(payload))
	full := base62(new(big.Int).SetBytes(sum[:]))
	for len(full) < 43 {
		full = "0" + full
	}
	return full[:min(n, len(full))]
}

func mappingProposal(payload string, opts FitOptions) Proposal {
	n := opts.IDLength
	if n <= 0 {
		n = DefaultIDLength
	}
	n = min(n, wechat.MaxSceneLen)
	p := Proposal{Strategy: StrategyMappingID, MapFile: opts.MapFile,
		Costs: []string{"a server lookup at launch (id → payload) and a table to keep",
			"readability: the scene says nothing by itself; the mapping file does"}}
	format := MapCSV
	m := Mapping{ByID: map[string]string{}, ByPayload: map[string]string{}}
	if opts.MapFile != "" {
		f, err := MapFormatFor(opts.MapFile)
		if err != nil {
			p.Warnings = append(p.Warnings, err.Error())
		} else {
			format = f
			if m, err = ReadMapping(opts.MapFile); err != nil {
				p.Warnings = append(p.Warnings, err.Error()+" (collisions not checked)")
			}
		}
	}
	id, mapped := m.ByPayload[payload]
	if mapped && len(wechat.SceneProblems(id)) == 0 {
		p.Scene, p.Existing = id, true
	} else {
		if mapped {
			p.Warnings = append(p.Warnings, fmt.Sprintf("%s maps this payload to %q, which is not a valid scene: "+
				"replace that row's id by the one proposed here (nothing is appended while the payload is there)", opts.MapFile, id))
		}
		for l := n; l <= 43; l++ {
			id := MappingID(payload, l)
			if prev, taken := m.ByID[id]; !taken || prev == payload {
				p.Scene = id
				break
			}
		}
	}
	p.MapRow = MapRow(format, p.Scene, payload)
	p.Decode = `function decodeScene(scene, done) {
  // your server answers the payload stored for this id (imported from the mapping file)
  wx.request({ url: 'https://YOUR-SERVER/scene/' + encodeURIComponent(scene), success: res => done(res.data) })
}`
	return p
}
