package ui

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"wxacode/wechat"
)

// Field indexes, in screen order.
const (
	fKind = iota
	fURL
	fPage
	fPath
	fScene
	fEnv
	fCheckPath
	fWidth
	fEC
	fAutoColor
	fLineColor
	fHyaline
	fieldCount
)

var (
	allKinds   = []wechat.Kind{wechat.KindUnlimited, wechat.KindLimited, wechat.KindQRCode}
	roundKinds = []wechat.Kind{wechat.KindUnlimited, wechat.KindLimited}
	// designerKinds are the endpoint choices: WeChat's three codes, then the link
	// QR (普通链接二维码), drawn here (package linkqr) with no call and no quota.
	// The trial version's QR (get_qrcode) comes before it: a path only.
	designerKinds = append(slices.Clone(wechat.Kinds), wechat.KindTrial, wechat.KindLinkQR)
)

// Width placeholders, by what the kind takes.
const (
	widthPlaceholder       = "default 430 (280–1280)"
	linkWidthPlaceholder   = "default 430 (21–4096)"
	linkQRLabel            = "linkqr"
	linkQRNote             = "普通链接二维码: drawn here, no WeChat call, no quota"
	linkQRURLPlaceholder   = "https://example.com/shop?id=42"
	linkQRDefaultLineColor = "black (#rrggbb)"
)

// formLabelW is the label column; the value follows after a space.
const formLabelW = 11

// form is the request editor: every field, which one has focus, and the
// problems the validator found in the current values.
type form struct {
	kind              choiceField
	url               textField
	page, path, scene textField
	env               choiceField
	checkPath         toggleField
	width             textField
	ec                choiceField
	autoColor         toggleField
	lineColor         textField
	hyaline           toggleField
	// beforeLink is the kind chosen before linkqr: page, scene and path
	// carry from it when a code kind is chosen again.
	beforeLink wechat.Kind

	focus    int                 // index into fields()
	problems map[string][]string // by field id; from wechat's validator plus local parse errors
	styles   Styles
	w        int // the column's width
	// quiet: nothing typed or sent yet (the model says), so an empty
	// field's requirement is a quiet note, not a red error.
	quiet bool
	// listFocus: the History list has the arrows, and the one › on
	// screen is its own; the focused field keeps its bold label.
	listFocus bool
}

func newForm(p wechat.Params) form {
	kinds := make([]string, len(designerKinds))
	display := make([]string, len(designerKinds))
	for i, k := range designerKinds {
		kinds[i] = string(k)
		if k == wechat.KindLinkQR {
			display[i] = linkQRLabel
		}
	}
	ecs := make([]string, len(wechat.ECLevels))
	for i, e := range wechat.ECLevels {
		ecs[i] = e.String()
	}
	envs := append([]string{""}, wechat.EnvVersions...)
	f := form{
		kind:      newChoice("kind", "endpoint", kinds, display, designerKinds...),
		url:       newText("url", "url", linkQRURLPlaceholder, wechat.KindLinkQR),
		page:      newText("page", "page", "pages/index/index (empty: home)", wechat.KindUnlimited),
		path:      newText("path", "path", "e.g. pages/index/index?id=1", wechat.KindLimited, wechat.KindQRCode, wechat.KindTrial),
		scene:     newText("scene", "scene", "e.g. id=42", wechat.KindUnlimited),
		env:       newChoice("env_version", "env", envs, []string{"default", "", "", ""}, roundKinds...),
		checkPath: newToggle("check_path", "check_path", true, wechat.KindUnlimited),
		width:     newText("width", "width", widthPlaceholder, wechat.KindUnlimited, wechat.KindLimited, wechat.KindQRCode, wechat.KindLinkQR),
		ec:        newChoice("ec", "ec level", ecs, []string{"L 7%", "M 15%", "Q 25%", "H 30%"}, wechat.KindLinkQR),
		autoColor: newToggle("auto_color", "auto_color", false, roundKinds...),
		lineColor: newText("line_color", "line_color", linkQRDefaultLineColor, wechat.KindUnlimited, wechat.KindLimited, wechat.KindLinkQR),
		hyaline:   newToggle("is_hyaline", "is_hyaline", false, roundKinds...),
	}
	// Longer than a QR code holds at any level, so the validator can say so.
	f.url.input.CharLimit = wechat.LinkQRCapacity(wechat.ECLow) + 100
	f.scene.suffix = sceneCounter
	f.lineColor.suffix = func(v string, s Styles) string {
		if sw := swatch(v); sw != "" && s.Color { // NO_COLOR: no swatch
			return " " + sw
		}
		return ""
	}
	f.setParams(p)
	f.focused().Focus()
	return f
}

// sceneCounter is the scene's n/32, red past the limit.
func sceneCounter(v string, s Styles) string {
	n := utf8.RuneCountInString(v)
	st := s.Muted
	if n > wechat.MaxSceneLen {
		st = s.Error
	}
	return st.Render(fmt.Sprintf(" %d/%d", n, wechat.MaxSceneLen))
}

// fields lists the rows in screen order (pointers into f).
func (f *form) fields() [fieldCount]field {
	return [fieldCount]field{&f.kind, &f.url, &f.page, &f.path, &f.scene, &f.env, &f.checkPath, &f.width, &f.ec,
		&f.autoColor, &f.lineColor, &f.hyaline}
}

func (f *form) focused() field { return f.fields()[f.focus] }

// SetStyles gives every field the styles to draw with.
func (f *form) SetStyles(s Styles) {
	f.styles = s
	f.kind.styles, f.env.styles, f.ec.styles = s, s, s
	f.checkPath.styles, f.autoColor.styles, f.hyaline.styles = s, s, s
	for _, t := range []*textField{&f.url, &f.page, &f.path, &f.scene, &f.width, &f.lineColor} {
		t.styles = s
		t.input.SetStyles(s.Input)
		t.fitInput()
	}
}

// SetWidth sets the column's width; each field's value gets what the label leaves.
func (f *form) SetWidth(w int) {
	f.w = w
	for _, fl := range f.fields() {
		fl.SetWidth(w - formLabelW - 2)
	}
}

// setParams puts p into the fields, keeping focus where it is.
func (f *form) setParams(p wechat.Params) {
	if p.Kind == "" {
		p.Kind = wechat.KindUnlimited
	}
	f.kind.SetValue(string(p.Kind))
	f.url.SetValue(p.URL)
	ec := p.EC
	if ec == 0 {
		ec = wechat.ECMedium
	}
	f.ec.SetValue(ec.String())
	f.page.SetValue(p.Page)
	f.path.SetValue(p.Path)
	f.scene.SetValue(p.Scene)
	f.env.SetValue(p.EnvVersion)
	f.checkPath.SetOn(p.CheckPath == nil || *p.CheckPath)
	w := ""
	if p.Width != 0 {
		w = strconv.Itoa(p.Width)
	}
	f.width.SetValue(w)
	f.autoColor.SetOn(p.AutoColor)
	c := ""
	if p.LineColor != nil {
		c = p.LineColor.Hex()
	}
	f.lineColor.SetValue(c)
	f.hyaline.SetOn(p.Hyaline)
	f.kindChanged()
	f.validate()
}

// kindChanged fits what the fields say to the chosen kind: the width's range.
func (f *form) kindChanged() {
	ph := widthPlaceholder
	if f.kindValue() == wechat.KindLinkQR {
		ph = linkWidthPlaceholder
	}
	f.width.input.Placeholder = ph
}

func (f *form) kindValue() wechat.Kind { return wechat.Kind(f.kind.Value()) }

// params reads the fields into wechat.Params. Values that do not parse (width,
// line colour) are left at their zero value and reported by validate.
func (f *form) params() wechat.Params {
	p := wechat.Params{
		Kind:       f.kindValue(),
		Page:       f.page.Value(),
		Path:       f.path.Value(),
		Scene:      f.scene.Value(),
		EnvVersion: f.env.Value(),
		AutoColor:  f.autoColor.On(),
		Hyaline:    f.hyaline.On(),
	}
	if p.Kind == wechat.KindLinkQR {
		p.URL = f.url.Value()
		p.EC, _ = wechat.ParseECLevel(f.ec.Value())
	}
	if !f.checkPath.On() {
		p.CheckPath = wechat.Bool(false)
	}
	if w, err := strconv.Atoi(strings.TrimSpace(f.width.Value())); err == nil {
		p.Width = w
	}
	if c, err := wechat.ParseColor(f.lineColor.Value()); err == nil {
		p.LineColor = &c
	}
	return p
}

// validate recomputes the problems shown under each field, using the one
// validator (wechat.Params.Validate) plus the two parse errors only the form can have.
func (f *form) validate() {
	problems := map[string][]string{}
	k := f.kindValue()
	if s := strings.TrimSpace(f.width.Value()); s != "" {
		if _, err := strconv.Atoi(s); err != nil {
			problems["width"] = append(problems["width"], "width: "+strconv.Quote(s)+" is not a whole number of pixels")
		}
	}
	if s := f.lineColor.Value(); s != "" && f.lineColor.AppliesTo(k) {
		if _, err := wechat.ParseColor(s); err != nil {
			problems["line_color"] = append(problems["line_color"], err.Error())
		}
	}
	var ve *wechat.ValidationError
	if err := f.params().Validate(); errors.As(err, &ve) {
		grouped := map[string]bool{}
		for _, p := range ve.Problems {
			if !grouped[p.Field] { // a repeated problem reads as one line
				grouped[p.Field] = true
				problems[p.Field] = append(problems[p.Field], wechat.ProblemLines(ve.For(p.Field))...)
			}
		}
	}
	f.problems = problems
}

// valid reports whether the request can be sent.
func (f *form) valid() bool { return len(f.problems) == 0 }

// visible lists the indexes of the fields that apply to the chosen endpoint.
func (f *form) visible() []int {
	k := f.kindValue()
	var out []int
	for i, fl := range f.fields() {
		if fl.AppliesTo(k) {
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
	return f.focusOn(vis[pos])
}

// focusOn gives field i the keyboard.
func (f *form) focusOn(i int) tea.Cmd {
	f.focused().Blur()
	f.focus = i
	return f.focused().Focus()
}

// update sends msg to the focused field; changed says the request may differ.
func (f *form) update(msg tea.Msg) (tea.Cmd, bool) {
	from := f.kindValue()
	cmd, changed := f.focused().update(msg)
	if changed {
		f.carry(from, f.kindValue())
		f.validate()
	}
	return cmd, changed
}

// click hands a click x cells into field i's value to it, as the field
// is drawn now; changed as for update.
func (f *form) click(i, x int) bool {
	from := f.kindValue()
	changed := f.fields()[i].click(x)
	if changed {
		f.carry(from, f.kindValue())
		f.validate()
	}
	return changed
}

// carry keeps what was typed when the endpoint changes: page and scene
// become path (page?scene) for limited and qrcode codes, and path becomes
// page and scene again for an unlimited one.
func (f *form) carry(from, to wechat.Kind) {
	if from != to {
		f.kindChanged()
	}
	switch {
	case to == wechat.KindLinkQR:
		f.beforeLink = from // page, scene and path wait, as they are
		return
	case from == wechat.KindLinkQR:
		if from = f.beforeLink; from == "" {
			return
		}
		f.carry(from, to)
		return
	case from == to, from != wechat.KindUnlimited && to != wechat.KindUnlimited:
		return // limited and qrcode share path
	case to != wechat.KindUnlimited:
		page, sc := f.page.Value(), f.scene.Value()
		if page == "" && sc == "" {
			return
		}
		path := page
		if sc != "" {
			path += "?" + sc
		}
		f.path.SetValue(path)
	default:
		path := f.path.Value()
		if path == "" {
			return
		}
		page, query, _ := strings.Cut(path, "?")
		f.page.SetValue(page)
		f.scene.SetValue(query)
	}
}

// focusedIsText says whether printable keys belong to the focused field.
func (f *form) focusedIsText() bool {
	_, ok := f.focused().(*textField)
	return ok
}

// formView is the column as lines, with the field each line belongs to
// (-1 for none: problems, notes) and the line of the focused field.
type formView struct {
	lines     []string
	fieldOf   []int
	focusLine int
}

// View lays the form out: one row per visible field, its problems under it,
// then what the endpoint does not use.
func (f *form) View() formView {
	s := f.styles
	var v formView
	add := func(line string, field int) {
		v.lines = append(v.lines, line)
		v.fieldOf = append(v.fieldOf, field)
	}
	k := f.kindValue()
	for i, fl := range f.fields() {
		if !fl.AppliesTo(k) {
			continue
		}
		marker, label := "  ", s.Label.Render(fit(fl.Label(), formLabelW))
		if i == f.focus {
			marker, label = s.FocusedLabel.Render("› "), s.FocusedLabel.Render(fit(fl.Label(), formLabelW))
			if f.listFocus {
				marker = "  "
			}
			v.focusLine = len(v.lines)
		}
		add(marker+label+fl.View(), i)
		for _, line := range f.problemLines(fl, f.w) {
			add(line, i)
		}
		if i == fKind && k == wechat.KindLinkQR {
			for _, line := range wrap(linkQRNote, f.w-4) {
				add(s.Muted.Render("    "+line), i)
			}
		}
		if i == fLineColor && f.autoColor.On() && f.autoColor.AppliesTo(k) && fl.Value() != "" {
			add(s.Muted.Render("    (ignored while auto_color is on)"), i)
		}
	}
	var hidden []string
	for _, fl := range f.fields() {
		// The link QR's own fields (url, ec) go unsaid for WeChat's kinds.
		linkOnly := fl.AppliesTo(wechat.KindLinkQR) && !fl.AppliesTo(wechat.KindUnlimited) &&
			!fl.AppliesTo(wechat.KindLimited) && !fl.AppliesTo(wechat.KindQRCode)
		if !fl.AppliesTo(k) && !linkOnly {
			hidden = append(hidden, fl.Label())
		}
	}
	if len(hidden) > 0 {
		add("", -1)
		name := string(k)
		if k == wechat.KindLinkQR {
			name = linkQRLabel
		}
		for _, line := range wrap("not used by "+name+": "+strings.Join(hidden, ", "), f.w-2) {
			add(s.Hidden.Render("  "+line), -1)
		}
	}
	return v
}

// problemLines are a field's problems under it, each wrapped in full to w
// cells. Before anything was typed or sent (quiet), an empty field's
// requirement is a quiet note, not a red error: nothing has gone wrong yet.
func (f *form) problemLines(fl field, w int) []string {
	s := f.styles
	prefix, st := "  "+symErr, s.Error
	if f.quiet && fl.Value() == "" {
		prefix, st = "  · ", s.Muted
	}
	var out []string
	pad := strings.Repeat(" ", ansi.StringWidth(prefix))
	for _, p := range f.problems[fl.ID()] {
		// At spaces when a word fits, else inside it (a long path).
		for i, line := range strings.Split(ansi.Wrap(p, w-len(pad), ""), "\n") {
			lead := pad
			if i == 0 {
				lead = prefix
			}
			out = append(out, st.Render(lead+strings.TrimRight(line, " ")))
		}
	}
	return out
}
