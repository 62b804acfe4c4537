package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"wxacode/codefile"
	"wxacode/preview"
	"wxacode/troubleshoot"
	"wxacode/wechat"
	"wxacode/wechat/snippet"
)

// pane is what the right-hand side shows.
type pane int

const (
	panePreview pane = iota
	paneHint
	paneScene
	paneRequest
	paneHistory
)

// Model is the designer's root model. It owns the screen and routes each
// message to the part it is for: the prompt while one is open, the panes'
// keys, the form; placement draws the code, status says what happened.
type Model struct {
	deps   Deps
	keys   KeyMap
	styles Styles
	help   help.Model

	width, height int

	form   form
	prompt prompt
	pane   pane
	status statusLine
	place  placement

	// Generation: every request gets a number; answers for older numbers are dropped.
	gen     int
	cancel  context.CancelFunc
	busy    bool
	editSeq int

	// The code on display (latest, or picked from history); nil: none yet.
	shown *shownCode

	// The last failure and what to do about it.
	lastErr error
	diag    troubleshoot.Diagnosis

	scroll int // first line of the text pane shown

	hist     []historyEntry
	histSel  int
	histMark int
	cmp      *comparison // two entries side by side in the Preview pane, or nil
	// The history's writes, numbered so an older one never lands last.
	histWriter *historyWriter
	histSeq    int

	// What the status line says about the token (from tokenMsg; never its value).
	tokenSource  string
	tokenExpires time.Time

	calls callRate // for the rate shown in the status line
	// asOf is the latest time the designer was told (at New, then by each
	// answer and rate expiry): what View shows as now, without a clock.
	asOf time.Time
}

// New builds the designer from its dependencies.
func New(d Deps) *Model {
	if d.Context == nil {
		d.Context = context.Background()
	}
	if d.Debounce == 0 {
		d.Debounce = defaultDebounce
	}
	if d.NameTemplate == "" {
		d.NameTemplate = defaultTemplate
	}
	if d.BaseURL == "" {
		d.BaseURL = wechat.DefaultBaseURL
	}
	if d.Ledger == nil {
		d.Ledger, _ = wechat.NewLedger("") // in memory: cannot fail
	}
	// The command line validates --graphics; a bad value here just means auto.
	mode, _ := preview.ParseMode(d.Graphics)
	m := &Model{
		deps:         d,
		keys:         DefaultKeyMap(),
		styles:       stylesFor(d.getenv, true),
		help:         help.New(),
		form:         newForm(d.Initial),
		prompt:       newPrompt(),
		status:       statusLine{ttl: d.StatusTTL, after: d.After},
		place:        newPlacement(preview.FromEnv(d.getenv), mode, d.After),
		histMark:     -1,
		histWriter:   &historyWriter{},
		tokenSource:  d.TokenSource,
		tokenExpires: d.TokenExpires,
		asOf:         d.now(),
	}
	if len(d.Notices) > 0 {
		m.status.text, m.status.level = strings.Join(d.Notices, "; "), levelWarn
	}
	m.resize(80, 24)
	m.applyStyles()
	m.updateKeys()
	m.form.quiet = m.quiet()
	return m
}

func (m *Model) applyStyles() {
	m.help.Styles = m.styles.Help
	m.form.SetStyles(m.styles)
	m.prompt.input.SetStyles(m.styles.Input)
}

func (m *Model) resize(w, h int) {
	m.width, m.height = w, h
	m.help.SetWidth(w)
	m.form.SetWidth(m.layout().formW)
}

// Init asks the terminal about itself and loads the history.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, m.form.focused().Focus(), tokenInfoCmd(m.deps.Context, m.deps.Tokens),
		cellSizeCmd(m.deps.CellSize)}
	if g := m.place.mode; g == preview.ModeAuto || g == preview.ModeSixel || g == preview.ModeKitty {
		cmds = append(cmds, tea.Raw(m.place.caps.Queries()))
	}
	if m.place.mode == preview.ModeAuto && m.place.caps.AsksTmux(m.deps.getenv) && m.deps.Tmux != nil {
		cmds = append(cmds, askTmuxCmd(m.deps.Context, m.deps.Tmux, m.deps.getenv))
	}
	if m.deps.StateDir != "" {
		cmds = append(cmds, loadHistoryCmd(m.historyDir()))
	}
	if m.deps.OnSim && m.deps.AutoRegenerate && m.form.valid() && !m.form.kindValue().Limited() {
		cmds = append(cmds, debounce(m.deps.After, time.Millisecond, 0))
	}
	return tea.Batch(cmds...)
}

func (m *Model) historyDir() string { return filepath.Join(m.deps.StateDir, "history") }

// Update applies one message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		m.place.Invalidate()                                               // the box changed: render again, and redraw graphics
		cmds := []tea.Cmd{m.renderPreview(), cellSizeCmd(m.deps.CellSize)} // a new font size comes as a resize
		if m.place.drawn != (footprint{}) {
			// The terminal reflows on a resize: the pixels may be anywhere.
			m.place.Forget()
			cmds = append(cmds, tea.ClearScreen)
		}
		cmd = tea.Batch(cmds...)
	case cellSizeMsg:
		if m.place.ApplyWinsizeCell(msg.w, msg.h) {
			cmd = m.renderPreview()
		}
	case repairMsg:
		cmd = m.place.Repair(msg, m.layout(), m.imageShown())
	case tea.BackgroundColorMsg:
		m.styles = stylesFor(m.deps.getenv, msg.IsDark())
		m.applyStyles()
	case tea.KeyPressMsg:
		cmd = m.handleKey(msg)
	case tea.PasteMsg:
		cmd = m.forward(msg)
	case promptMsg:
		cmd = m.answered(msg)
	case tea.MouseClickMsg:
		cmd = m.click(msg.Mouse())
	case tea.MouseWheelMsg:
		cmd = m.wheel(msg.Mouse())
	case composeMsg:
		cmd = m.gotComposed(msg)
	case codeMsg:
		cmd = m.gotCode(msg)
	case previewMsg:
		cmd = m.gotPreview(msg)
	case tmuxMsg:
		m.place.caps = m.place.caps.ApplyTmux(msg.client)
		cmd = m.renderPreview()
	case drawMsg:
		cmd = m.place.Draw(msg, m.layout(), m.imageShown())
	case debounceMsg:
		if msg.seq == m.editSeq && !m.prompt.open() && m.form.valid() && !m.form.kindValue().Limited() {
			cmd = m.startGenerate(m.form.params())
		}
	case savedMsg:
		cmd = m.gotSaved(msg)
	case historyLoadedMsg:
		if msg.err != nil {
			cmd = m.setStatus("history: "+msg.err.Error(), true)
		}
		// Codes generated before the load finished stay on top.
		for _, e := range msg.entries {
			if len(m.hist) < historyLimit {
				m.hist = append(m.hist, e)
			}
		}
	case historySavedMsg:
		if msg.err != nil {
			cmd = m.setStatus("history not saved: "+msg.err.Error(), true)
		}
	case rateMsg:
		m.calls.expire(msg.now)
		m.told(msg.now)
	case tokenMsg:
		if msg.source != "" {
			m.tokenSource = msg.source
		}
		m.tokenExpires = msg.expires
	case statusClearMsg:
		m.status = m.status.Update(msg)
	default:
		if caps, ok := foldReply(m.place.caps, msg); ok {
			m.place.caps = caps
			cmd = m.renderPreview()
			break
		}
		// Cursor blinks and other component messages.
		cmd = m.forward(msg)
	}
	m.updateKeys()
	m.form.quiet = m.quiet()
	m.form.listFocus = m.keys.Up.Enabled()
	return m, tea.Batch(cmd, m.place.Sync(m.layout(), m.imageShown(), m.formSig()))
}

// told moves asOf on to t, never back.
func (m *Model) told(t time.Time) {
	if t.After(m.asOf) {
		m.asOf = t
	}
}

// quiet says nothing was typed or sent yet: an empty field's requirement is
// then a note, not an error, since nothing has gone wrong.
func (m *Model) quiet() bool { return m.editSeq == 0 && m.lastErr == nil }

// imageShown says whether the preview's image is on screen now.
func (m *Model) imageShown() bool { return m.pane == panePreview && !m.prompt.open() }

// forward gives a non-key message to the part that may be waiting for it:
// the open prompt, else the focused field.
func (m *Model) forward(msg tea.Msg) tea.Cmd {
	if m.prompt.open() {
		var cmd tea.Cmd
		m.prompt, cmd = m.prompt.Update(msg)
		return cmd
	}
	cmd, changed := m.form.update(msg)
	if changed {
		return tea.Batch(cmd, m.edited())
	}
	return cmd
}

func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	if key.Matches(k, m.keys.Quit) {
		if m.cancel != nil {
			m.cancel()
		}
		return tea.Interrupt
	}
	if m.prompt.open() {
		return m.forward(k)
	}

	switch {
	case key.Matches(k, m.keys.Help), key.Matches(k, m.keys.CloseHelp):
		m.help.ShowAll = !m.help.ShowAll
		m.place.Invalidate()
		return m.renderPreview()
	case key.Matches(k, m.keys.Generate):
		return m.requestGenerate()
	case key.Matches(k, m.keys.Save):
		return m.openSave()
	case key.Matches(k, m.keys.Next):
		return m.form.move(1)
	case key.Matches(k, m.keys.Prev):
		return m.form.move(-1)
	case key.Matches(k, m.keys.Preview):
		return m.showPane(panePreview)
	case key.Matches(k, m.keys.Hint):
		return m.showPane(paneHint)
	case key.Matches(k, m.keys.Scene):
		return m.showPane(paneScene)
	case key.Matches(k, m.keys.Request):
		return m.showPane(paneRequest)
	case key.Matches(k, m.keys.History):
		return m.showPane(paneHistory)
	case key.Matches(k, m.keys.ScrollDown):
		m.scroll += max(1, m.layout().bodyH/2)
		return nil
	case key.Matches(k, m.keys.ScrollUp):
		m.scroll = max(0, m.scroll-max(1, m.layout().bodyH/2))
		return nil
	case key.Matches(k, m.keys.Background):
		m.place.checker = !m.place.checker
		return m.renderPreview()
	case key.Matches(k, m.keys.CopyCurl):
		if m.form.kindValue() == wechat.KindLinkQR {
			return m.setStatusAt(levelWarn, "no curl line: a link QR is drawn here, with no WeChat call")
		}
		line, err := snippet.Curl(m.deps.BaseURL, m.form.params())
		if err != nil {
			return m.setStatusAt(levelErr, "no curl line: "+err.Error())
		}
		return m.copy("curl line", line)
	case key.Matches(k, m.keys.CopyCloud):
		fn, err := snippet.Cloud(m.form.params())
		if err != nil {
			return m.setStatusAt(levelWarn, err.Error())
		}
		return m.copy("cloud function", fn)
	case key.Matches(k, m.keys.CopyLaunch):
		return m.copy("DevTools launch parameter", launchParam(m.form.params()))
	case key.Matches(k, m.keys.CopyScene):
		return m.copy("scene", m.form.params().Scene)
	case key.Matches(k, m.keys.Fix):
		return m.applyFix(slices.Index(m.keys.Fix.Keys(), k.String()))
	case key.Matches(k, m.keys.Up):
		m.histSel = max(0, m.histSel-1)
		return nil
	case key.Matches(k, m.keys.Down):
		m.histSel = min(len(m.hist)-1, m.histSel+1)
		return nil
	case key.Matches(k, m.keys.Compare):
		if m.histMark == m.histSel {
			m.histMark = -1
		} else {
			m.histMark = m.histSel
		}
		return nil
	case key.Matches(k, m.keys.Pick):
		return m.pickHistory()
	case key.Matches(k, m.keys.Load):
		return m.loadEntry()
	case key.Matches(k, m.keys.FieldUp):
		return m.form.move(-1)
	case key.Matches(k, m.keys.FieldDown):
		return m.form.move(1)
	}
	return m.forward(k)
}

// edited runs after any change to the form: on the simulator it schedules a
// regenerate once typing pauses.
func (m *Model) edited() tea.Cmd {
	m.editSeq++
	m.status.FormChanged()
	if m.deps.OnSim && m.deps.AutoRegenerate {
		return debounce(m.deps.After, m.deps.Debounce, m.editSeq)
	}
	return nil
}

// requestGenerate is ctrl+g: validate, confirm the pool for limited
// endpoints, then generate.
func (m *Model) requestGenerate() tea.Cmd {
	p := m.form.params()
	if err := p.Validate(); err != nil || !m.form.valid() {
		if err == nil {
			err = errors.New("the form has values that do not parse; see the messages under the fields")
		}
		m.lastErr = err
		m.diag = troubleshoot.Diagnose(p.Request(), err)
		m.pane, m.scroll = paneHint, 0
		return m.setFormStatus(levelErr, "not sent: fix the form first (alt+h shows why)")
	}
	if p.Kind.Limited() {
		m.prompt.ConfirmLimited()
		return nil
	}
	return m.startGenerate(p)
}

// answered acts on a prompt's answer.
func (m *Model) answered(a promptMsg) tea.Cmd {
	switch a.mode {
	case modeConfirmLimited:
		if a.accepted {
			return tea.Batch(m.startGenerate(m.form.params()))
		}
		return tea.Batch(m.setStatus("not generated: no quota spent", false))
	case modeSaveName:
		if !a.accepted {
			return m.setStatus("not saved", false)
		}
		// The prompt has refused an empty name and checked the extension.
		return saveCmd(a.value, m.prompt.job, false, "", m.deps.now)
	case modeConfirmOverwrite:
		return saveCmd(a.value, m.prompt.job, true, "", m.deps.now)
	case modeConfirmMkdir:
		return saveCmd(a.value, m.prompt.job, false, a.mkdir, m.deps.now)
	}
	return nil
}

// startGenerate supersedes any request in flight and sends a new one.
func (m *Model) startGenerate(p wechat.Params) tea.Cmd {
	if m.cancel != nil {
		m.cancel()
	}
	m.gen++
	ctx, cancel := context.WithCancel(m.deps.Context)
	m.cancel = cancel
	m.busy = true
	return generateCmd(ctx, m.deps.Generator, m.gen, p, m.deps.now)
}

func (m *Model) gotCode(msg codeMsg) tea.Cmd {
	if msg.gen != m.gen {
		return nil // superseded
	}
	m.busy = false
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	m.told(msg.at)
	if msg.err != nil {
		if errors.Is(msg.err, context.Canceled) {
			return nil
		}
		m.lastErr = msg.err
		m.diag = troubleshoot.Diagnose(msg.params.Request(), msg.err)
		m.pane, m.scroll = paneHint, 0
		return m.setFormStatus(levelErr, errSummary(msg.err))
	}
	code := *msg.code
	if code.Elapsed == 0 {
		code.Elapsed = msg.elapsed
	}
	m.lastErr, m.diag = nil, troubleshoot.Diagnosis{}
	shown := newShownCode(&code, msg.params)
	m.hist = addEntry(m.hist, shown.entry(msg.at), historyLimit)
	m.histSel = 0
	if m.histMark >= 0 {
		m.histMark = min(m.histMark+1, len(m.hist)-1)
	}
	m.showCode(shown)
	if m.pane == paneHint {
		m.pane = panePreview
	}
	cmds := []tea.Cmd{m.renderPreview(), tokenInfoCmd(m.deps.Context, m.deps.Tokens)}
	if msg.params.Kind != wechat.KindLinkQR { // drawn here: no call
		m.calls.add(msg.at)
		cmds = append(cmds, rateExpiryCmd(m.deps.After, m.deps.now))
	}
	if m.deps.StateDir != "" {
		m.histSeq++
		cmds = append(cmds, storeHistoryCmd(m.histWriter, m.histSeq, m.historyDir(), m.hist))
	}
	return tea.Batch(cmds...)
}

// shownCode is the code on display and the request it answers. Its hash,
// the rendering's key and the history entry's, is taken from the bytes when
// it is made (newShownCode), so the two cannot disagree.
type shownCode struct {
	code   *wechat.Code
	params wechat.Params
	sha    string
}

func newShownCode(c *wechat.Code, p wechat.Params) *shownCode {
	return &shownCode{code: c, params: p, sha: codefile.ContentSHA256(c.Bytes)}
}

func (m *Model) showCode(s *shownCode) {
	m.shown = s
	m.cmp = nil
	m.place.Invalidate()
}

// renderPreview renders the current code into the current box, unless that
// exact rendering is already on screen.
func (m *Model) renderPreview() tea.Cmd {
	if m.tooSmall() {
		return nil
	}
	l := m.layout()
	w, width, height, helpH := l.rightW-1, m.width, m.height, l.helpH
	note := func(out preview.Output) []string { return scanNote(out, w, width, height, helpH) }
	switch {
	case m.cmp != nil && m.cmp.img != nil:
		return m.place.Render(&wechat.Code{Bytes: []byte(m.cmp.key), Image: m.cmp.img}, m.cmp.key, l, note)
	case m.cmp != nil, m.shown == nil:
		return nil
	}
	return m.place.Render(m.shown.code, m.shown.sha, l, note)
}

func (m *Model) gotPreview(msg previewMsg) tea.Cmd {
	ok, cmd := m.place.Got(msg, m.layout(), m.imageShown())
	if ok && msg.err != nil {
		return m.setStatus("preview: "+msg.err.Error(), true)
	}
	return cmd
}

func (m *Model) showPane(p pane) tea.Cmd {
	if m.pane == p {
		return nil
	}
	m.pane, m.scroll = p, 0 // placement.Sync clears or draws the image
	return nil
}

// formSig is the form's row structure as drawn: which field each line
// belongs to, from the first line shown. Lines appearing or going under a
// field change it; typing within a line does not.
func (m *Model) formSig() string {
	if m.tooSmall() {
		return ""
	}
	fv := m.form.View()
	top := max(0, fv.focusLine-m.layout().bodyH+1)
	return fmt.Sprint(top, fv.fieldOf)
}

// applyFix puts the n-th fix's request into the form and sends it again.
func (m *Model) applyFix(n int) tea.Cmd {
	if n < 0 || n >= len(m.diag.Actions) {
		return nil
	}
	a := m.diag.Actions[n]
	m.form.setParams(a.Params)
	expire := m.setFormStatus(levelOK, "applied: "+a.Label)
	if m.form.valid() && !a.Params.Kind.Limited() {
		return tea.Batch(m.startGenerate(a.Params), expire)
	}
	return expire
}

func (m *Model) openSave() tea.Cmd {
	var job saveJob
	switch {
	case m.pane == paneHistory && m.histSel < len(m.hist):
		job = m.hist[m.histSel].job()
	case m.cmp != nil: // the left one: the selected entry
		job = m.cmp.a.job()
	case m.shown != nil:
		c := m.shown.code
		job = saveJob{Data: c.Bytes, Params: m.shown.params, Format: c.Format, Width: c.Width, Height: c.Height,
			NumUsed: c.NumUsed, Generated: c.Received}
		if job.Generated.IsZero() && len(m.hist) > 0 {
			job.Generated = m.hist[0].Time
		}
	default:
		return m.setStatus("nothing to save yet: ctrl+g generates a code", true)
	}
	job.Flatten = m.deps.Flatten
	name := fileName(m.deps.NameTemplate, job)
	if m.deps.SaveDir != "" {
		name = filepath.Join(m.deps.SaveDir, name)
	}
	return m.prompt.AskName(name, job)
}

// pickHistory is enter in the History pane: the selected entry in the
// Preview pane, beside the marked one when there is one and graphics can
// show both (the differences stay listed in the History pane otherwise).
func (m *Model) pickHistory() tea.Cmd {
	if m.histSel >= len(m.hist) {
		return nil
	}
	marked := m.histMark >= 0 && m.histMark < len(m.hist) && m.histMark != m.histSel
	if marked && m.sideBySide() {
		return m.compare()
	}
	m.showEntry(m.hist[m.histSel])
	if marked {
		return tea.Batch(m.renderPreview(), m.setStatus("side by side needs sixel, kitty or iTerm2 graphics: alt+y lists what differs", false))
	}
	return m.renderPreview()
}

// showEntry puts a history entry's code in the Preview pane.
func (m *Model) showEntry(e historyEntry) {
	c := &wechat.Code{Bytes: e.Data, Format: e.Format, Width: e.Width, Height: e.Height, NumUsed: e.NumUsed,
		Received: e.Time, Elapsed: e.Elapsed}
	m.showCode(newShownCode(c, e.Params))
	m.pane = panePreview
}

func (m *Model) copy(what, s string) tea.Cmd {
	if s == "" {
		return m.setStatus("nothing to copy: "+what+" is empty", true)
	}
	return tea.Batch(tea.SetClipboard(s), m.setStatusAt(levelOK, "copied the "+what+" (OSC 52)"))
}

// setStatus shows a transient message (redacted; an error when isErr) and
// schedules its expiry.
func (m *Model) setStatus(s string, isErr bool) tea.Cmd {
	if isErr {
		return m.setStatusAt(levelErr, s)
	}
	return m.setStatusAt(levelInfo, s)
}

// setStatusAt shows a transient message of level l (redacted) and schedules
// its expiry.
func (m *Model) setStatusAt(l level, s string) tea.Cmd { return m.status.Set(l, m.redact(s)) }

// setFormStatus is setStatusAt for a message about the form as it is now:
// the next edit clears it.
func (m *Model) setFormStatus(l level, s string) tea.Cmd { return m.status.SetForm(l, m.redact(s)) }

// updateKeys enables exactly the keys that do something now.
func (m *Model) updateKeys() {
	edit := !m.prompt.open()
	k := &m.keys
	for _, b := range []*key.Binding{&k.Next, &k.Prev, &k.Generate, &k.Preview, &k.Hint, &k.Scene, &k.Request,
		&k.History, &k.CopyCurl, &k.CopyLaunch, &k.CopyScene} {
		b.SetEnabled(edit)
	}
	hasCode := m.shown != nil
	histPane := edit && m.pane == paneHistory && len(m.hist) > 0
	k.Save.SetEnabled(edit && (hasCode || histPane))
	k.Background.SetEnabled(edit && hasCode)
	k.CopyCloud.SetEnabled(edit && snippet.CloudMethod(m.form.params().Kind) != "")
	k.setFixes(len(m.diag.Actions))
	k.Fix.SetEnabled(edit && len(m.diag.Actions) > 0)
	textPane := edit && m.pane != panePreview && m.pane != paneHistory
	k.ScrollUp.SetEnabled(textPane)
	k.ScrollDown.SetEnabled(textPane)
	k.Up.SetEnabled(histPane)
	k.Down.SetEnabled(histPane)
	k.Pick.SetEnabled(histPane)
	k.Load.SetEnabled(histPane)
	k.Compare.SetEnabled(histPane)
	k.FieldUp.SetEnabled(edit && !histPane)
	k.FieldDown.SetEnabled(edit && !histPane)
	k.Help.SetEnabled(edit)
	// "?" is also a scene and path character: in a text field only F1 opens the help.
	if m.form.focusedIsText() {
		k.Help.SetKeys("f1")
	} else {
		k.Help.SetKeys("?", "f1")
	}
	k.CloseHelp.SetEnabled(edit && m.help.ShowAll)
	if m.help.ShowAll {
		k.Help.SetHelp("esc/?", "close help")
	} else {
		k.Help.SetHelp("?/f1", "help")
	}
}

// redact is the status line's and the panes' sink of the session's redactor.
func (m *Model) redact(s string) string {
	if m.deps.Redact == nil {
		return wechat.Redact(s)
	}
	return m.deps.Redact(s)
}
