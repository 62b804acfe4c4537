package ui

import (
	"errors"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"wxacode/wechat"
)

// Field indexes, in screen order.
const (
	fKind = iota
	fPage
	fPath
	fScene
	fEnv
	fCheckPath
	fWidth
	fAutoColor
	fLineColor
	fHyaline
	fieldCount
)

var (
	allKinds   = []wechat.Kind{wechat.KindUnlimited, wechat.KindLimited, wechat.KindQRCode}
	roundKinds = []wechat.Kind{wechat.KindUnlimited, wechat.KindLimited}
)

// form is the request editor: every field, which one has focus, and the
// problems the validator found in the current values.
type form struct {
	// An array, not a slice: copies of the model must not share fields.
	fields   [fieldCount]field
	focus    int
	problems map[string][]string // by field id; from wechat's validator plus local parse errors
}

func newForm(p wechat.Params) form {
	kinds := make([]string, len(wechat.Kinds))
	for i, k := range wechat.Kinds {
		kinds[i] = string(k)
	}
	envs := append([]string{""}, wechat.EnvVersions...)
	f := form{fields: [fieldCount]field{
		fKind:      newChoice("kind", "endpoint", kinds, nil, allKinds...),
		fPage:      newText("page", "page", "pages/index/index (empty: home)", wechat.KindUnlimited),
		fPath:      newText("path", "path", "e.g. pages/index/index?id=1", wechat.KindLimited, wechat.KindQRCode),
		fScene:     newText("scene", "scene", "e.g. id=42", wechat.KindUnlimited),
		fEnv:       newChoice("env_version", "env", envs, []string{"default", "", "", ""}, roundKinds...),
		fCheckPath: newToggle("check_path", "check_path", true, wechat.KindUnlimited),
		fWidth:     newText("width", "width", "default 430 (280–1280)", allKinds...),
		fAutoColor: newToggle("auto_color", "auto_color", false, roundKinds...),
		fLineColor: newText("line_color", "line_color", "black (#rrggbb)", roundKinds...),
		fHyaline:   newToggle("is_hyaline", "is_hyaline", false, roundKinds...),
	}}
	f.setParams(p)
	f.fields[f.focus].Focus()
	return f
}

// setParams puts p into the fields, keeping focus where it is.
func (f *form) setParams(p wechat.Params) {
	if p.Kind == "" {
		p.Kind = wechat.KindUnlimited
	}
	f.fields[fKind].setValue(string(p.Kind))
	f.fields[fPage].setValue(p.Page)
	f.fields[fPath].setValue(p.Path)
	f.fields[fScene].setValue(p.Scene)
	f.fields[fEnv].setValue(p.EnvVersion)
	f.fields[fCheckPath].on = p.CheckPath == nil || *p.CheckPath
	w := ""
	if p.Width != 0 {
		w = strconv.Itoa(p.Width)
	}
	f.fields[fWidth].setValue(w)
	f.fields[fAutoColor].on = p.AutoColor
	c := ""
	if p.LineColor != nil {
		c = p.LineColor.Hex()
	}
	f.fields[fLineColor].setValue(c)
	f.fields[fHyaline].on = p.Hyaline
	f.validate()
}

func (f form) kind() wechat.Kind { return wechat.Kind(f.fields[fKind].value()) }

// params reads the fields into wechat.Params. Values that do not parse (width,
// line colour) are left at their zero value and reported by validate.
func (f form) params() wechat.Params {
	p := wechat.Params{
		Kind:       f.kind(),
		Page:       f.fields[fPage].value(),
		Path:       f.fields[fPath].value(),
		Scene:      f.fields[fScene].value(),
		EnvVersion: f.fields[fEnv].value(),
		AutoColor:  f.fields[fAutoColor].on,
		Hyaline:    f.fields[fHyaline].on,
	}
	if !f.fields[fCheckPath].on {
		p.CheckPath = wechat.Bool(false)
	}
	if w, err := strconv.Atoi(strings.TrimSpace(f.fields[fWidth].value())); err == nil {
		p.Width = w
	}
	if c, err := wechat.ParseColor(f.fields[fLineColor].value()); err == nil {
		p.LineColor = &c
	}
	return p
}

// validate recomputes the problems shown under each field, using the one
// validator (wechat.Params.Validate) plus the two parse errors only the form can have.
func (f *form) validate() {
	f.problems = map[string][]string{}
	k := f.kind()
	if s := strings.TrimSpace(f.fields[fWidth].value()); s != "" {
		if _, err := strconv.Atoi(s); err != nil {
			f.problems["width"] = append(f.problems["width"], "width: "+strconv.Quote(s)+" is not a whole number of pixels")
		}
	}
	if s := f.fields[fLineColor].value(); s != "" && f.fields[fLineColor].appliesTo(k) {
		if _, err := wechat.ParseColor(s); err != nil {
			f.problems["line_color"] = append(f.problems["line_color"], err.Error())
		}
	}
	var ve *wechat.ValidationError
	if err := f.params().Validate(); errors.As(err, &ve) {
		grouped := map[string]bool{}
		for _, p := range ve.Problems {
			if !grouped[p.Field] { // a repeated problem reads as one line
				grouped[p.Field] = true
				f.problems[p.Field] = append(f.problems[p.Field], wechat.ProblemLines(ve.For(p.Field))...)
			}
		}
	}
}

// valid reports whether the request can be sent.
func (f form) valid() bool { return len(f.problems) == 0 }

// visible lists the indexes of the fields that apply to the chosen endpoint.
func (f form) visible() []int {
	k := f.kind()
	var out []int
	for i, fl := range f.fields {
		if fl.appliesTo(k) {
			out = append(out, i)
		}
	}
	return out
}

// move shifts focus by delta over the visible fields, wrapping around.
func (f *form) move(delta int) tea.Cmd {
	vis := f.visible()
	pos := 0
	for i, idx := range vis {
		if idx == f.focus {
			pos = i
		}
	}
	pos = (pos + delta + len(vis)) % len(vis)
	f.fields[f.focus].Blur()
	f.focus = vis[pos]
	return f.fields[f.focus].Focus()
}

// update sends msg to the focused field; changed says the request may differ.
func (f *form) update(msg tea.Msg) (tea.Cmd, bool) {
	var cmd tea.Cmd
	var changed bool
	f.fields[f.focus], cmd, changed = f.fields[f.focus].Update(msg)
	if changed {
		f.validate()
	}
	return cmd, changed
}

// focusedIsText says whether printable keys belong to the focused field.
func (f form) focusedIsText() bool { return f.fields[f.focus].kind == fieldText }
