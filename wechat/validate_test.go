package wechat

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// want is one expected problem: field, position (0 = any/none), errcode.
type want struct {
	field string
	pos   int
	code  int
}

func TestValidateTable(t *testing.T) {
	u := func(mod func(*UnlimitedRequest)) Request {
		r := &UnlimitedRequest{Scene: "id=42"}
		mod(r)
		return r
	}
	l := func(mod func(*LimitedRequest)) Request {
		r := &LimitedRequest{Path: "pages/index/index"}
		mod(r)
		return r
	}
	q := func(mod func(*QRCodeRequest)) Request {
		r := &QRCodeRequest{Path: "pages/index/index"}
		mod(r)
		return r
	}
	cases := []struct {
		name string
		req  Request
		want []want // nil = valid
	}{
		// scene
		{"scene ok", u(func(r *UnlimitedRequest) {}), nil},
		{"scene every allowed char", u(func(r *UnlimitedRequest) { r.Scene = "aZ09" + SceneCharset }), nil},
		{"scene 32 chars", u(func(r *UnlimitedRequest) { r.Scene = strings.Repeat("a", 32) }), nil},
		{"scene empty", u(func(r *UnlimitedRequest) { r.Scene = "" }), []want{{"scene", 0, 40169}}},
		{"scene 33 chars", u(func(r *UnlimitedRequest) { r.Scene = strings.Repeat("a", 33) }), []want{{"scene", 0, 40169}}},
		{"scene space", u(func(r *UnlimitedRequest) { r.Scene = "a b" }), []want{{"scene", 2, 40129}}},
		{"scene percent", u(func(r *UnlimitedRequest) { r.Scene = "id%3D1" }), []want{{"scene", 3, 40129}}},
		{"scene backslash", u(func(r *UnlimitedRequest) { r.Scene = `a\u0026b` }), []want{{"scene", 2, 40129}}},
		{"scene chinese counts runes", u(func(r *UnlimitedRequest) { r.Scene = "a中b文" }), []want{{"scene", 2, 40129}, {"scene", 4, 40129}}},
		{"scene tab newline control", u(func(r *UnlimitedRequest) { r.Scene = "\ta\n\x01" }), []want{{"scene", 1, 40129}, {"scene", 3, 40129}, {"scene", 4, 40129}}},
		{"scene invalid utf8", u(func(r *UnlimitedRequest) { r.Scene = "a\xffb" }), []want{{"scene", 2, 40129}}},
		{"scene quote and angle", u(func(r *UnlimitedRequest) { r.Scene = `"<>` }), []want{{"scene", 1, 40129}, {"scene", 2, 40129}, {"scene", 3, 40129}}},
		{"scene too long and bad char", u(func(r *UnlimitedRequest) { r.Scene = strings.Repeat("a", 40) + " " }), []want{{"scene", 0, 40169}, {"scene", 41, 40129}}},
		// page
		{"page ok", u(func(r *UnlimitedRequest) { r.Page = "pages/index/index" }), nil},
		{"page leading slash", u(func(r *UnlimitedRequest) { r.Page = "/pages/index/index" }), []want{{"page", 1, 41030}}},
		{"page query", u(func(r *UnlimitedRequest) { r.Page = "pages/a?id=1" }), []want{{"page", 8, 41030}}},
		{"page slash and query", u(func(r *UnlimitedRequest) { r.Page = "/p?x" }), []want{{"page", 1, 41030}, {"page", 3, 41030}}},
		{"page scancode_time", u(func(r *UnlimitedRequest) { r.Page = "pages/scancode_time" }), []want{{"page", 0, 85096}}},
		// env_version
		{"env release", u(func(r *UnlimitedRequest) { r.EnvVersion = "release" }), nil},
		{"env trial", u(func(r *UnlimitedRequest) { r.EnvVersion = "trial" }), nil},
		{"env develop", l(func(r *LimitedRequest) { r.EnvVersion = "develop" }), nil},
		{"env empty is omitted", u(func(r *UnlimitedRequest) { r.EnvVersion = "" }), nil},
		{"env unknown", u(func(r *UnlimitedRequest) { r.EnvVersion = "prod" }), []want{{"env_version", 0, 40097}}},
		{"env case", l(func(r *LimitedRequest) { r.EnvVersion = "Release" }), []want{{"env_version", 0, 40097}}},
		// width
		{"width default", u(func(r *UnlimitedRequest) { r.Width = 0 }), nil},
		{"width min", u(func(r *UnlimitedRequest) { r.Width = 280 }), nil},
		{"width max", l(func(r *LimitedRequest) { r.Width = 1280 }), nil},
		{"width below", u(func(r *UnlimitedRequest) { r.Width = 279 }), []want{{"width", 0, 40189}}},
		{"width above", l(func(r *LimitedRequest) { r.Width = 1281 }), []want{{"width", 0, 40189}}},
		{"width negative", q(func(r *QRCodeRequest) { r.Width = -1 }), []want{{"width", 0, 40189}}},
		{"width qrcode above", q(func(r *QRCodeRequest) { r.Width = 2000 }), []want{{"width", 0, 40189}}},
		// line_color
		{"colour bounds ok", u(func(r *UnlimitedRequest) { r.LineColor = &Color{0, 128, 255} }), nil},
		{"colour r", u(func(r *UnlimitedRequest) { r.LineColor = &Color{-1, 0, 0} }), []want{{"line_color", 0, 0}}},
		{"colour g", l(func(r *LimitedRequest) { r.LineColor = &Color{0, 256, 0} }), []want{{"line_color", 0, 0}}},
		{"colour b", l(func(r *LimitedRequest) { r.LineColor = &Color{0, 0, 300} }), []want{{"line_color", 0, 0}}},
		{"colour all", u(func(r *UnlimitedRequest) { r.LineColor = &Color{-5, 999, 256} }), []want{{"line_color", 0, 0}, {"line_color", 0, 0}, {"line_color", 0, 0}}},
		// path, limited: 1024 bytes
		{"limited path 1024", l(func(r *LimitedRequest) { r.Path = strings.Repeat("a", 1024) }), nil},
		{"limited path 1025", l(func(r *LimitedRequest) { r.Path = strings.Repeat("a", 1025) }), []want{{"path", 0, 40159}}},
		{"limited path bytes not chars", l(func(r *LimitedRequest) { r.Path = strings.Repeat("中", 342) }), []want{{"path", 0, 40159}}},
		{"limited path empty", l(func(r *LimitedRequest) { r.Path = "" }), []want{{"path", 0, 40159}}},
		{"limited query only", l(func(r *LimitedRequest) { r.Path = "?foo=bar" }), nil},
		{"limited scancode_time", l(func(r *LimitedRequest) { r.Path = "p?scancode_time=1" }), []want{{"path", 0, 85096}}},
		// path, qrcode: 128 bytes
		{"qrcode path 128", q(func(r *QRCodeRequest) { r.Path = strings.Repeat("a", 128) }), nil},
		{"qrcode path 129", q(func(r *QRCodeRequest) { r.Path = strings.Repeat("a", 129) }), []want{{"path", 0, 40159}}},
		{"qrcode path 43 chinese", q(func(r *QRCodeRequest) { r.Path = strings.Repeat("中", 43) }), []want{{"path", 0, 40159}}},
		{"qrcode path empty", q(func(r *QRCodeRequest) { r.Path = "" }), []want{{"path", 0, 40159}}},
		{"qrcode scancode_time", q(func(r *QRCodeRequest) { r.Path = "scancode_time" }), []want{{"path", 0, 85096}}},
		// everything at once
		{"all problems together", &UnlimitedRequest{Scene: "", Page: "/a?b", EnvVersion: "x", Width: 10, LineColor: &Color{R: 256}},
			[]want{{"scene", 0, 40169}, {"page", 1, 41030}, {"page", 3, 41030}, {"env_version", 0, 40097}, {"width", 0, 40189}, {"line_color", 0, 0}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.req.Validate()
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			var ve *ValidationError
			require.True(t, errors.As(err, &ve), "want a *ValidationError, got %v", err)
			assert.Equal(t, tc.req.Kind(), ve.Kind)
			require.Len(t, ve.Problems, len(tc.want), "%v", ve.Problems)
			for i, w := range tc.want {
				p := ve.Problems[i]
				assert.Equal(t, w.field, p.Field, "problem %d", i)
				if w.pos != 0 {
					assert.Equal(t, w.pos, p.Pos, "problem %d position", i)
				}
				assert.Equal(t, w.code, p.Code, "problem %d errcode", i)
				assert.NotEmpty(t, p.Message)
				assert.NotEmpty(t, p.Fix, "every problem says how to fix it")
				assert.Contains(t, err.Error(), p.Field)
			}
			assert.Len(t, ve.For(tc.want[0].field), countField(tc.want, tc.want[0].field))
			// Params.Validate is the same validator.
			assert.Equal(t, err.Error(), ParamsOf(tc.req).Validate().Error())
		})
	}
}

func countField(ws []want, f string) int {
	n := 0
	for _, w := range ws {
		if w.field == f {
			n++
		}
	}
	return n
}

func TestEmptyEnvVersionOmittedFromBody(t *testing.T) {
	for _, r := range []Request{&UnlimitedRequest{Scene: "a"}, &LimitedRequest{Path: "p"}} {
		b, err := r.Body()
		require.NoError(t, err)
		assert.NotContains(t, string(b), "env_version")
	}
}

// FuzzValidate checks the validators never panic, report positions inside
// the field, and agree with what Body sends.
func FuzzValidate(f *testing.F) {
	f.Add("id=42", "pages/index/index", "pages/a?x=1", "release", 430, 0, 0, 0)
	f.Add("", "/p?q", "", "", 0, -1, 256, 0)
	f.Add("a b%中\xff", "scancode_time", strings.Repeat("中", 400), "prod", 279, 0, 0, 1000)
	f.Add(strings.Repeat("x", 33), "", "?foo=bar", "develop", 1281, 255, 255, 255)
	f.Add(`a\u0026b&c<d>`, "p", "p?a=<b>&c", "trial", 1280, 1, 2, 3)
	f.Fuzz(func(t *testing.T, scene, page, path, env string, width, r, g, b int) {
		color := &Color{R: r, G: g, B: b}
		reqs := []Request{
			&UnlimitedRequest{Scene: scene, Page: page, EnvVersion: env, Width: width, LineColor: color, CheckPath: Bool(false)},
			&LimitedRequest{Path: path, EnvVersion: env, Width: width, LineColor: color},
			&QRCodeRequest{Path: path, Width: width},
		}
		for _, req := range reqs {
			err := req.Validate()
			body, berr := req.Body()
			if berr != nil {
				t.Fatalf("Body: %v", berr)
			}
			if !json.Valid(body) {
				t.Fatalf("Body is not JSON: %s", body)
			}
			if err == nil {
				// A valid request round-trips exactly, with & < > literal.
				back := map[string]any{}
				if json.Unmarshal(body, &back) != nil {
					t.Fatal("body does not decode")
				}
				if strings.Contains(string(body), `\u0026`) || strings.Contains(string(body), `\u003c`) {
					t.Fatalf("HTML-escaped body: %s", body)
				}
				if env == "" && strings.Contains(string(body), "env_version") {
					t.Fatal("empty env_version sent")
				}
				continue
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("want problems, got %v", err)
			}
			for _, p := range ve.Problems {
				if p.Field == "" || p.Message == "" {
					t.Fatalf("incomplete problem %+v", p)
				}
				field := map[string]string{"scene": scene, "page": page, "path": path}[p.Field]
				if p.Pos < 0 || p.Pos > utf8.RuneCountInString(field) {
					t.Fatalf("position %d outside %s %q", p.Pos, p.Field, field)
				}
			}
		}
		// Scene rule: valid iff 1–32 runes, all allowed.
		n := utf8.RuneCountInString(scene)
		ok := n >= 1 && n <= MaxSceneLen && utf8.ValidString(scene)
		for _, c := range scene {
			ok = ok && IsSceneChar(c)
		}
		if got := len(SceneProblems(scene)) == 0; got != ok {
			t.Fatalf("SceneProblems(%q) valid=%v, want %v", scene, got, ok)
		}
	})
}

func TestProblemLinesGroupsRepeats(t *testing.T) {
	err := (&UnlimitedRequest{Scene: "a b c d", Page: "/pages/a?x=1"}).Validate()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Problems, 5, "every offending character is still its own Problem")
	lines := ProblemLines(ve.Problems)
	require.Len(t, lines, 3)
	assert.True(t, strings.HasPrefix(lines[0], "scene (characters 2, 4 and 6): a space is not allowed"), lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "page (character 1): "), lines[1])
	assert.True(t, strings.HasPrefix(lines[2], "page (character 9): "), lines[2])
	assert.Contains(t, err.Error(), "characters 2, 4 and 6")
	assert.Equal(t, []string{"width: w"}, ProblemLines([]Problem{{Field: "width", Message: "w"}, {Field: "width", Message: "w"}}))
	assert.Empty(t, ProblemLines(nil))
}
