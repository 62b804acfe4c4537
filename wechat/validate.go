package wechat

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Documented limits. The simulator enforces the same numbers on its side.
const (
	MaxSceneLen       = 32
	MinWidth          = 280
	MaxWidth          = 1280
	DefaultWidth      = 430
	MaxLimitedPath    = 1024 // bytes; current docs say 1024 characters, WeChat counts bytes
	MaxLegacyPath     = 128  // bytes; createwxaqrcode, and getwxacode under the old rule
	ReservedQueryName = "scancode_time"
)

// SceneCharset is every character WeChat accepts in a scene besides ASCII letters and digits.
const SceneCharset = "!#$&'()*+,/:;=?@-._~"

// IsSceneChar reports whether WeChat accepts r in a scene.
func IsSceneChar(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' ||
		r < utf8.RuneSelf && strings.ContainsRune(SceneCharset, r)
}

// EnvVersions lists the accepted env_version values; "" means the field is omitted.
var EnvVersions = []string{"release", "trial", "develop"}

// Problem is one thing wrong with a request, found before any call is made.
type Problem struct {
	Field   string // JSON field name: scene, page, path, width, env_version, line_color
	Pos     int    // 1-based character position in the field, 0 when not about one character
	Message string // what is wrong
	Fix     string // how to fix it
	Code    int    // the errcode WeChat would answer with, 0 when unknown
}

// String is the problem as one line: the field, where, what and the fix.
func (p Problem) String() string {
	var pos []int
	if p.Pos > 0 {
		pos = []int{p.Pos}
	}
	return p.describe(pos)
}

// describe is the problem as one line, naming the positions it stands at.
func (p Problem) describe(pos []int) string {
	var b strings.Builder
	b.WriteString(p.Field)
	switch len(pos) {
	case 0:
	case 1:
		fmt.Fprintf(&b, " (character %d)", pos[0])
	default:
		nums := make([]string, len(pos))
		for i, n := range pos {
			nums[i] = strconv.Itoa(n)
		}
		fmt.Fprintf(&b, " (characters %s and %s)", strings.Join(nums[:len(nums)-1], ", "), nums[len(nums)-1])
	}
	b.WriteString(": ")
	b.WriteString(p.Message)
	if p.Fix != "" {
		b.WriteString("; ")
		b.WriteString(p.Fix)
	}
	return b.String()
}

// ValidationError lists every problem with a request. No call is made for it.
type ValidationError struct {
	Kind     Kind
	Problems []Problem
}

// Error lists every problem, one a line.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("%s request is invalid: %s", e.Kind, strings.Join(ProblemLines(e.Problems), "; "))
}

// ProblemLines is the problems for people to read: one line per distinct
// problem, the positions of a repeated one listed together ("scene
// (characters 3, 6 and 9): a space is not allowed; …") rather than a line each.
func ProblemLines(ps []Problem) []string {
	// The same problem at other positions: one entry, its positions gathered.
	type key struct{ field, message, fix string }
	var order []Problem
	positions := map[key][]int{}
	for _, p := range ps {
		k := key{p.Field, p.Message, p.Fix}
		if _, seen := positions[k]; !seen {
			order = append(order, p)
			positions[k] = nil
		}
		if p.Pos > 0 {
			positions[k] = append(positions[k], p.Pos)
		}
	}
	lines := make([]string, len(order))
	for i, p := range order {
		lines[i] = p.describe(positions[key{p.Field, p.Message, p.Fix}])
	}
	return lines
}

// For returns the problems about one field.
func (e *ValidationError) For(field string) []Problem {
	var out []Problem
	for _, p := range e.Problems {
		if p.Field == field {
			out = append(out, p)
		}
	}
	return out
}

type problems []Problem

func (ps *problems) add(p Problem) { *ps = append(*ps, p) }

func (ps problems) err(k Kind) error {
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{Kind: k, Problems: ps}
}

// Validate implements Request.
func (r *UnlimitedRequest) Validate() error {
	var ps problems
	ps = append(ps, SceneProblems(r.Scene)...)
	ps = append(ps, PageProblems(r.Page)...)
	checkEnv(&ps, r.EnvVersion)
	checkWidth(&ps, r.Width)
	checkColor(&ps, r.LineColor)
	return ps.err(KindUnlimited)
}

// Validate implements Request.
func (r *LimitedRequest) Validate() error {
	var ps problems
	checkPath(&ps, r.Path, MaxLimitedPath)
	checkEnv(&ps, r.EnvVersion)
	checkWidth(&ps, r.Width)
	checkColor(&ps, r.LineColor)
	return ps.err(KindLimited)
}

// Validate implements Request.
func (r *QRCodeRequest) Validate() error {
	var ps problems
	checkPath(&ps, r.Path, MaxLegacyPath)
	checkWidth(&ps, r.Width)
	return ps.err(KindQRCode)
}

// MaxTrialPath bounds a trial QR's path: get_qrcode documents none, and a
// path sent in a URL should not be longer than getwxacode's.
const MaxTrialPath = MaxLimitedPath

// Validate implements Request. get_qrcode documents no rule for path but
// that it is optional; it must be text a URL can carry.
func (r *TrialRequest) Validate() error {
	var ps problems
	if len(r.Path) > MaxTrialPath {
		ps.add(Problem{Field: "path", Message: fmt.Sprintf("is %d bytes, more than %d", len(r.Path), MaxTrialPath),
			Fix: "shorten it; non-ASCII characters take 3 bytes each"})
	}
	pos := 0
	for i, c := range r.Path {
		pos++
		switch {
		case c == utf8.RuneError && !strings.HasPrefix(r.Path[i:], "\uFFFD"):
			ps.add(Problem{Field: "path", Pos: pos, Message: "is not valid UTF-8", Fix: "remove the broken byte"})
		case c < 0x20 || c == 0x7f:
			ps.add(Problem{Field: "path", Pos: pos, Message: describeRune(c) + " is not allowed", Fix: "remove it"})
		}
	}
	return ps.err(KindTrial)
}

// SceneProblems checks a scene: present, at most 32 characters, every character
// from the allowed set. Each offending character is reported with its position.
func SceneProblems(scene string) []Problem {
	var ps problems
	n := utf8.RuneCountInString(scene)
	switch {
	case n == 0:
		ps.add(Problem{Field: "scene", Code: 40169, Message: "is empty; getwxacodeunlimit requires a scene",
			Fix: "give it 1 to 32 characters, for example id=42"})
	case n > MaxSceneLen:
		ps.add(Problem{Field: "scene", Code: 40169,
			Message: fmt.Sprintf("has %d characters, more than the %d WeChat allows", n, MaxSceneLen),
			Fix:     "shorten keys, drop separators, or store the payload server-side and put a short id in the scene (wxacode scene fit)"})
	}
	pos := 0
	for i, r := range scene {
		pos++
		if r == utf8.RuneError && !strings.HasPrefix(scene[i:], "\uFFFD") {
			ps.add(Problem{Field: "scene", Pos: pos, Code: 40129, Message: "is not valid UTF-8", Fix: "remove the broken byte"})
			continue
		}
		if IsSceneChar(r) {
			continue
		}
		ps.add(Problem{Field: "scene", Pos: pos, Code: 40129,
			Message: fmt.Sprintf("%s is not allowed", describeRune(r)), Fix: sceneCharFix(r)})
	}
	return ps
}

func describeRune(r rune) string {
	switch r {
	case ' ':
		return "a space"
	case '\t':
		return "a tab"
	case '\n', '\r':
		return "a line break"
	}
	if r < 0x20 || r == 0x7f {
		return fmt.Sprintf("control character U+%04X", r)
	}
	return fmt.Sprintf("%q (U+%04X)", r, r)
}

func sceneCharFix(r rune) string {
	switch {
	case r == '%':
		return "do not URL-encode the scene: WeChat encodes it for you, and % is not in the allowed set"
	case r == ' ':
		return "remove it or use one of - _ . ~"
	case r == '\\':
		return "a backslash usually comes from a JSON encoder writing \\u0026 for &: send & as it is"
	case r >= utf8.RuneSelf:
		return "non-ASCII cannot be sent; map it to an id or base62 (wxacode scene fit)"
	}
	return "use letters, digits or " + SceneCharset
}

// PageProblems checks an unlimited code's page.
func PageProblems(page string) []Problem {
	var ps problems
	if strings.HasPrefix(page, "/") {
		ps.add(Problem{Field: "page", Pos: 1, Code: 41030, Message: "starts with /",
			Fix: "write it without the leading slash, for example " + strings.TrimLeft(page, "/")})
	}
	if i := strings.IndexByte(page, '?'); i >= 0 {
		ps.add(Problem{Field: "page", Pos: utf8.RuneCountInString(page[:i]) + 1, Code: 41030,
			Message: "contains a query (?…)", Fix: "move the parameters into the scene; page takes the bare page path"})
	}
	if strings.Contains(page, ReservedQueryName) {
		ps.add(Problem{Field: "page", Code: 85096, Message: "contains the reserved name scancode_time",
			Fix: "rename that parameter"})
	}
	return ps
}

func checkPath(ps *problems, path string, max int) {
	switch {
	case path == "":
		ps.add(Problem{Field: "path", Code: 40159, Message: "is empty; this endpoint requires a path",
			Fix: "give the page path, with an optional query, for example pages/index/index?id=1"})
	case len(path) > max:
		ps.add(Problem{Field: "path", Code: 40159,
			Message: fmt.Sprintf("is %d bytes, more than the %d allowed", len(path), max),
			Fix:     "shorten it; non-ASCII characters take 3 bytes each"})
	}
	if strings.Contains(path, ReservedQueryName) {
		ps.add(Problem{Field: "path", Code: 85096, Message: "contains the reserved name scancode_time",
			Fix: "rename that parameter"})
	}
}

func checkEnv(ps *problems, env string) {
	if env == "" {
		return
	}
	for _, v := range EnvVersions {
		if env == v {
			return
		}
	}
	ps.add(Problem{Field: "env_version", Code: 40097, Message: fmt.Sprintf("%q is not a version", env),
		Fix: "use release, trial or develop, or leave it empty for release"})
}

func checkWidth(ps *problems, w int) {
	if w == 0 || w >= MinWidth && w <= MaxWidth {
		return
	}
	ps.add(Problem{Field: "width", Code: 40189, Message: fmt.Sprintf("%d is outside %d–%d", w, MinWidth, MaxWidth),
		Fix: fmt.Sprintf("use a width from %d to %d pixels (default %d)", MinWidth, MaxWidth, DefaultWidth)})
}

func checkColor(ps *problems, c *Color) {
	if c == nil {
		return
	}
	for _, comp := range []struct {
		name string
		v    int
	}{{"r", c.R}, {"g", c.G}, {"b", c.B}} {
		if comp.v < 0 || comp.v > 255 {
			ps.add(Problem{Field: "line_color", Message: fmt.Sprintf("%s=%d is outside 0–255", comp.name, comp.v),
				Fix: "each component is a whole number from 0 to 255"})
		}
	}
}
