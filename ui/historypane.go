package ui

import (
	"fmt"
	"image"
	"image/draw"
	"strings"

	tea "charm.land/bubbletea/v2"
	xdraw "golang.org/x/image/draw"

	"wxacode/preview"
	"wxacode/wechat"
)

// historyPane is the History pane laid out for a w×h column: its lines
// and, for each line, the entry it shows (-1 for none), so a click can
// find the entry under the pointer.
type historyPane struct {
	lines   []string
	entryOf []int
}

// historyPane lists the entries, two or more lines each, from the first
// that keeps the selected one in view; then the differences between the
// selected and the marked entry, and the keys.
func (m *Model) historyPane(w, h int) historyPane {
	s := m.styles
	var tail []string
	if m.histMark >= 0 && m.histMark != m.histSel && m.histMark < len(m.hist) && m.histSel < len(m.hist) {
		tail = append(tail, "", s.Label.Render("compare: selected | marked (*)"))
		tail = append(tail, compareLines(m.hist[m.histSel], m.hist[m.histMark], w)...)
	}
	tail = append(tail, "")
	for _, line := range wrap("enter previews (beside * when marked) · alt+e loads into the form · ctrl+s saves · alt+m marks", w) {
		tail = append(tail, s.Muted.Render(line))
	}
	listH := max(3, h-len(tail)-1) // one line for the count

	blocks := make([][]string, len(m.hist))
	for i := range m.hist {
		blocks[i] = m.entryLines(i, w)
	}
	// The first entry shown: the latest one that still leaves the
	// selected entry inside the list's height.
	first, used := m.histSel, 0
	for i := m.histSel; i >= 0 && used+len(blocks[i]) <= listH; i-- {
		first, used = i, used+len(blocks[i])
	}
	var p historyPane
	used = 0
	last := first
	for i := first; i < len(blocks) && used+len(blocks[i]) <= listH; i++ {
		for _, line := range blocks[i] {
			p.lines = append(p.lines, line)
			p.entryOf = append(p.entryOf, i)
		}
		used += len(blocks[i])
		last = i
	}
	if first > 0 || last < len(m.hist)-1 {
		p.lines = append(p.lines, s.Muted.Render(fmt.Sprintf("%d–%d of %d (↑/↓ or the wheel)", first+1, last+1, len(m.hist))))
		p.entryOf = append(p.entryOf, -1)
	}
	for _, line := range tail {
		p.lines = append(p.lines, line)
		p.entryOf = append(p.entryOf, -1)
	}
	return p
}

// entryLines is entry i: the time, endpoint and page (or path) on the
// first line, then everything else it was made with, so entries that
// differ only in env, colour or transparency look different. The one ›
// on screen is the selected entry's (the form hides its own meanwhile).
func (m *Model) entryLines(i, w int) []string {
	s := m.styles
	e := m.hist[i]
	mark := "  "
	switch {
	case i == m.histSel && i == m.histMark:
		mark = "›*"
	case i == m.histSel:
		mark = "› "
	case i == m.histMark:
		mark = "* "
	}
	first := truncate(fmt.Sprintf("%s%s %s %s", mark, e.Time.Local().Format("15:04:05"), e.Params.Kind, describe(e.Params)), w)
	parts := append(settings(e.Params), strings.ToUpper(string(e.Format))+" "+humanBytes(e.Bytes))
	for j := range parts {
		parts[j] = strings.ReplaceAll(parts[j], " ", nbsp) // each part wraps as a whole
	}
	rest := hang("    ", strings.Join(parts, " · "), w)
	if i == m.histSel {
		first = s.FocusedLabel.Render(first)
	} else {
		for j := range rest {
			rest[j] = s.Muted.Render(rest[j])
		}
	}
	return append([]string{first}, rest...)
}

const nbsp = "\u00a0"

// settings is what a request was made with besides its page, scene or
// path, each only where its endpoint takes it: width, env, line colour,
// transparency and check_path.
func settings(p wechat.Params) []string {
	w := p.Width
	if w == 0 {
		w = wechat.DefaultWidth
	}
	out := []string{fmt.Sprintf("%dpx", w)}
	switch p.Kind {
	case wechat.KindQRCode:
		return out
	case wechat.KindTrial:
		return []string{"trial version"}
	case wechat.KindLinkQR:
		ec := p.EC
		if ec == 0 {
			ec = wechat.ECMedium
		}
		return append(out, "ec "+ec.String(), colourName(p))
	}
	out = append(out, "env "+envName(p.EnvVersion), colourName(p))
	if p.Hyaline {
		out = append(out, "transparent")
	}
	if p.Kind == wechat.KindUnlimited && p.CheckPath != nil && !*p.CheckPath {
		out = append(out, "check_path off")
	}
	return out
}

func envName(v string) string {
	if v == "" {
		return "release"
	}
	return v
}

func colourName(p wechat.Params) string {
	switch {
	case p.AutoColor:
		return "auto colour"
	case p.LineColor != nil:
		return p.LineColor.Hex()
	}
	return "black"
}

// compareLines lists, field by field, what differs between the selected
// entry a and the marked entry b, then their sizes.
func compareLines(a, b historyEntry, w int) []string {
	type row struct{ name, a, b string }
	onOff := func(on bool) string {
		if on {
			return "on"
		}
		return "off"
	}
	checkPath := func(p wechat.Params) string { return onOff(p.CheckPath == nil || *p.CheckPath) }
	width := func(p wechat.Params) string { return settings(p)[0] }
	pa, pb := a.Params, b.Params
	rows := []row{
		{"endpoint", string(pa.Kind), string(pb.Kind)},
		{"url", pa.URL, pb.URL},
		{"page", pa.Page, pb.Page},
		{"path", pa.Path, pb.Path},
		{"scene", pa.Scene, pb.Scene},
		{"width", width(pa), width(pb)},
		{"env", envName(pa.EnvVersion), envName(pb.EnvVersion)},
		{"colour", colourName(pa), colourName(pb)},
		{"hyaline", onOff(pa.Hyaline), onOff(pb.Hyaline)},
		{"check_path", checkPath(pa), checkPath(pb)},
	}
	var out []string
	for _, r := range rows {
		if r.a != r.b {
			out = append(out, hang(fit(r.name, formLabelW), orDash(r.a)+" | "+orDash(r.b), w)...)
		}
	}
	size := func(e historyEntry) string {
		return fmt.Sprintf("%d×%d %s %s", e.Width, e.Height, e.Format, humanBytes(e.Bytes))
	}
	out = append(out, hang(fit("image", formLabelW), size(a)+" | "+size(b), w)...)
	if a.SHA256 == b.SHA256 {
		out = append(out, "same image bytes")
	}
	return out
}

// comparison is two history entries shown side by side in the Preview
// pane: a the selected (left), b the marked (right). img is both composed,
// nil until composeCmd answers.
type comparison struct {
	a, b historyEntry
	key  string
	img  image.Image
}

// composeMsg is the two codes of comparison key composed into one image.
type composeMsg struct {
	key string
	img image.Image
	err error
}

// sideBySide says whether two codes can be shown next to each other:
// with graphics (sixel, kitty, iTerm2) each stays sharp; half blocks of
// two codes in one pane would be a blur.
func (m *Model) sideBySide() bool {
	switch m.place.caps.Resolve(m.place.mode) {
	case preview.ModeSixel, preview.ModeKitty, preview.ModeITerm:
		return true
	}
	return false
}

// compare shows the selected and the marked entry side by side.
func (m *Model) compare() tea.Cmd {
	a, b := m.hist[m.histSel], m.hist[m.histMark]
	m.cmp = &comparison{a: a, b: b, key: "cmp:" + a.SHA256 + ":" + b.SHA256}
	m.pane = panePreview
	m.place.Invalidate()
	return composeCmd(m.cmp.key, a.Data, b.Data)
}

// composeCmd decodes two codes and puts them next to each other, the
// same height, a gap between them; transparent pixels stay transparent.
func composeCmd(key string, a, b []byte) tea.Cmd {
	return func() tea.Msg {
		ia, err := preview.Decode(a)
		if err != nil {
			return composeMsg{key: key, err: err}
		}
		ib, err := preview.Decode(b)
		if err != nil {
			return composeMsg{key: key, err: err}
		}
		return composeMsg{key: key, img: besideEachOther(ia, ib)}
	}
}

// besideEachOther is a and b scaled to the taller one's height, left and
// right, with a gap of a twelfth of that height.
func besideEachOther(a, b image.Image) image.Image {
	h := max(a.Bounds().Dy(), b.Bounds().Dy())
	wa := a.Bounds().Dx() * h / a.Bounds().Dy()
	wb := b.Bounds().Dx() * h / b.Bounds().Dy()
	gap := h / 12
	out := image.NewNRGBA(image.Rect(0, 0, wa+gap+wb, h))
	xdraw.CatmullRom.Scale(out, image.Rect(0, 0, wa, h), a, a.Bounds(), draw.Over, nil)
	xdraw.CatmullRom.Scale(out, image.Rect(wa+gap, 0, wa+gap+wb, h), b, b.Bounds(), draw.Over, nil)
	return out
}

// gotComposed takes the composed image, if it is still the one wanted.
func (m *Model) gotComposed(msg composeMsg) tea.Cmd {
	if m.cmp == nil || m.cmp.key != msg.key {
		return nil
	}
	if msg.err != nil {
		m.cmp = nil
		return m.setStatus("compare: "+msg.err.Error(), true)
	}
	m.cmp.img = msg.img
	return m.renderPreview()
}

// compareView is the Preview pane while it compares: which entry is on
// which side, and the box for the composed image.
func (m *Model) compareView(l layout) []string {
	s := m.styles
	c := m.cmp
	side := func(e historyEntry) string {
		return e.Time.Local().Format("15:04:05") + " " + describe(e.Params)
	}
	out := []string{truncate("left "+side(c.a)+" · right * "+side(c.b), l.rightW-1),
		s.Muted.Render(truncate("side by side · alt+y lists what differs", l.rightW-1))}
	if m.place.out.Raw != "" {
		for range m.place.out.Rows {
			out = append(out, strings.Repeat(" ", m.place.out.Cols))
		}
	} else {
		out = append(out, s.Muted.Render("rendering…"))
	}
	return out
}

// loadEntry puts the selected entry's request back into the form and its
// code in the Preview pane, so the form and the code shown agree.
func (m *Model) loadEntry() tea.Cmd {
	if m.histSel >= len(m.hist) {
		return nil
	}
	e := m.hist[m.histSel]
	m.form.setParams(e.Params)
	var focus tea.Cmd
	if !m.form.focused().AppliesTo(m.form.kindValue()) {
		focus = m.form.focusOn(m.form.visible()[0])
	}
	m.editSeq++ // the form was changed by hand, as far as quiet notes go
	m.showEntry(e)
	expire := m.setFormStatus(levelOK, "loaded "+e.Time.Local().Format("15:04:05")+" into the form: edit, then ctrl+g")
	return tea.Batch(focus, m.renderPreview(), expire)
}
