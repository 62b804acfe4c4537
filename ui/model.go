package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"wxacode/preview"
	"wxacode/troubleshoot"
	"wxacode/wechat"
)

// mode is what the keyboard is doing besides editing the form.
type mode int

const (
	modeEdit             mode = iota
	modeConfirmLimited        // y/n before a call that spends the lifetime pool
	modeSaveName              // the file-name prompt
	modeConfirmOverwrite      // the file exists: y/n
	modeConfirmMkdir          // the folder is missing: y creates it
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

// Model is the designer's root model.
type Model struct {
	deps   Deps
	ctx    context.Context
	keys   KeyMap
	styles Styles
	help   help.Model

	width, height int

	form form
	mode mode
	pane pane

	// Generation: every request gets a number; answers for older numbers are dropped.
	gen     int
	cancel  context.CancelFunc
	busy    bool
	editSeq int

	// The code on display (latest, or picked from history).
	code       *wechat.Code
	codeParams wechat.Params
	codeSHA    string
	out        preview.Output
	outKey     string
	drawSeq    int
	drawn      footprint // the out-of-band image on screen now, if any
	checker    bool
	caps       preview.Caps
	graphics   preview.Mode
	renderer   *preview.Renderer

	// The last failure and what to do about it.
	lastErr error
	diag    troubleshoot.Diagnosis

	scroll int // first line of the text pane shown

	hist     []historyEntry
	histSel  int
	histMark int

	saveInput textinput.Model
	saveJob   saveJob
	save      savePrompt

	status      string
	statusLevel level
	statusForm  bool // about the form as it was: the next edit clears it
	statusSeq   int

	calls []time.Time // for the rate shown in the status line
}

// New builds the designer from its dependencies.
func New(d Deps) Model {
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
	m := Model{
		deps:     d,
		ctx:      d.Context,
		keys:     DefaultKeyMap(),
		styles:   stylesFor(d.getenv, true),
		help:     help.New(),
		form:     newForm(d.Initial),
		histMark: -1,
		caps:     preview.FromEnv(d.getenv),
		renderer: preview.NewRenderer(8),
		width:    80,
		height:   24,
	}
	// The command line validates --graphics; a bad value here just means auto.
	m.graphics, _ = preview.ParseMode(d.Graphics)
	if len(d.Notices) > 0 {
		m.status, m.statusLevel = strings.Join(d.Notices, "; "), levelWarn
	}
	m.saveInput = textinput.New()
	m.saveInput.Prompt = "save as: "
	m.saveInput.CharLimit = 4096
	m.applyStyles()
	m.updateKeys()
	return m
}

func (m *Model) applyStyles() {
	m.help.Styles = m.styles.Help
	for i := range m.form.fields {
		if m.form.fields[i].kind == fieldText {
			m.form.fields[i].input.SetStyles(m.styles.Input)
		}
	}
	m.saveInput.SetStyles(m.styles.Input)
}

// Init asks the terminal about itself and loads the history.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, m.form.fields[m.form.focus].Focus(), tokenInfoCmd(m.ctx, m.deps.Tokens)}
	if m.graphics == preview.ModeAuto || m.graphics == preview.ModeSixel || m.graphics == preview.ModeKitty {
		cmds = append(cmds, tea.Raw(m.caps.Queries()))
	}
	if m.graphics == preview.ModeAuto && m.caps.AsksTmux(m.deps.getenv) && m.deps.Tmux != nil {
		cmds = append(cmds, askTmuxCmd(m.ctx, m.deps.Tmux, m.deps.getenv))
	}
	if m.deps.StateDir != "" {
		cmds = append(cmds, loadHistoryCmd(m.historyDir()))
	}
	if m.deps.OnSim && m.deps.AutoRegenerate && m.form.valid() && !m.form.kind().Limited() {
		cmds = append(cmds, debounce(time.Millisecond, 0))
	}
	return tea.Batch(cmds...)
}

func (m Model) historyDir() string { return filepath.Join(m.deps.StateDir, "history") }

// Update applies one message. Handlers compute their command before returning
// m: the order of a plain read and a call in one return list is unspecified.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.SetWidth(msg.Width)
		m.outKey = "" // the box changed: render again, and redraw graphics
		cmd = m.renderPreview()
	case tea.BackgroundColorMsg:
		m.styles = stylesFor(m.deps.getenv, msg.IsDark())
		m.applyStyles()
	case tea.KeyPressMsg:
		m, cmd = m.handleKey(msg)
	case tea.PasteMsg:
		cmd = m.forward(msg)
	case codeMsg:
		m, cmd = m.gotCode(msg)
	case previewMsg:
		m, cmd = m.gotPreview(msg)
	case tmuxMsg:
		m.caps = m.caps.ApplyTmux(msg.client)
		cmd = m.renderPreview()
	case drawMsg:
		if fp := m.footprint(); msg.seq == m.drawSeq && fp != (footprint{}) {
			cmd = rawImage(m.out.Raw, fp.x, fp.y)
			m.drawn = fp
		}
	case debounceMsg:
		if msg.seq == m.editSeq && m.mode == modeEdit && m.form.valid() && !m.form.kind().Limited() {
			m, cmd = m.startGenerate(m.form.params())
		}
	case savedMsg:
		m, cmd = m.gotSaved(msg)
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
	case tokenMsg:
		if msg.source != "" {
			m.deps.TokenSource = msg.source
		}
		m.deps.TokenExpires = msg.expires
	case statusClearMsg:
		if msg.seq == m.statusSeq {
			m.status = ""
		}
	default:
		if caps, ok := foldReply(m.caps, msg); ok {
			m.caps = caps
			cmd = m.renderPreview()
			break
		}
		// Cursor blinks and other component messages.
		cmd = m.forward(msg)
	}
	m.keepDrawn()
	m.updateKeys()
	return m, cmd
}

// forward gives a non-key message to the inputs that may be waiting for it.
func (m *Model) forward(msg tea.Msg) tea.Cmd {
	if m.mode == modeSaveName {
		var cmd tea.Cmd
		m.saveInput, cmd = m.saveInput.Update(msg)
		return cmd
	}
	cmd, changed := m.form.update(msg)
	if changed {
		return tea.Batch(cmd, m.edited())
	}
	return cmd
}

func (m Model) handleKey(k tea.KeyPressMsg) (Model, tea.Cmd) {
	if key.Matches(k, m.keys.Quit) {
		if m.cancel != nil {
			m.cancel()
		}
		return m, tea.Interrupt
	}
	switch m.mode {
	case modeConfirmLimited:
		switch {
		case key.Matches(k, m.keys.Yes), k.String() == "enter":
			m.mode = modeEdit
			var cmd tea.Cmd
			m, cmd = m.startGenerate(m.form.params())
			then := tea.Batch(cmd, m.redraw())
			return m, then
		case key.Matches(k, m.keys.Cancel):
			m.mode = modeEdit
			then := tea.Batch(m.setStatus("not generated: no quota spent", false), m.redraw())
			return m, then
		}
		return m, nil
	case modeSaveName:
		switch k.String() {
		case "enter":
			return m.submitSave()
		case "esc":
			m.mode = modeEdit
			m.saveInput.Blur()
			m.save = savePrompt{}
			then := m.setStatus("not saved", false)
			return m, then
		}
		before := m.saveInput.Value()
		var cmd tea.Cmd
		m.saveInput, cmd = m.saveInput.Update(k)
		if m.saveInput.Value() != before {
			m.save.note = "" // it was about the name before this edit
		}
		return m, cmd
	case modeConfirmOverwrite:
		switch {
		case key.Matches(k, m.keys.Yes):
			m.mode = modeSaveName
			then := saveCmd(strings.TrimSpace(m.saveInput.Value()), m.saveJob, true, "", m.deps.now())
			return m, then
		case key.Matches(k, m.keys.Cancel):
			m.mode = modeSaveName // back to the prompt to pick another name
			return m, nil
		}
		return m, nil
	case modeConfirmMkdir:
		switch {
		case key.Matches(k, m.keys.Yes):
			m.mode = modeSaveName
			then := saveCmd(strings.TrimSpace(m.saveInput.Value()), m.saveJob, false, m.save.mkdir, m.deps.now())
			return m, then
		case key.Matches(k, m.keys.Cancel):
			m.mode = modeSaveName
			m.save.note, m.save.noteLevel = "the folder "+m.save.mkdir+" was not created: give another name, or esc", levelInfo
			return m, nil
		}
		return m, nil
	}

	typing := m.form.focusedIsText()
	switch {
	case key.Matches(k, m.keys.Help) && (k.String() == "f1" || !typing):
		m.help.ShowAll = !m.help.ShowAll
		m.outKey = ""
		then := tea.Batch(m.clearScreen(), m.renderPreview())
		return m, then
	case key.Matches(k, m.keys.Generate):
		return m.requestGenerate()
	case key.Matches(k, m.keys.Save):
		return m.openSave()
	case key.Matches(k, m.keys.Next):
		then := m.form.move(1)
		return m, then
	case key.Matches(k, m.keys.Prev):
		then := m.form.move(-1)
		return m, then
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
		return m, nil
	case key.Matches(k, m.keys.ScrollUp):
		m.scroll = max(0, m.scroll-max(1, m.layout().bodyH/2))
		return m, nil
	case key.Matches(k, m.keys.Background):
		m.checker = !m.checker
		then := m.renderPreview()
		return m, then
	case key.Matches(k, m.keys.CopyCurl):
		then := m.copy("curl line", curlLine(m.deps.BaseURL, m.form.params()))
		return m, then
	case key.Matches(k, m.keys.CopyLaunch):
		then := m.copy("DevTools launch parameter", launchParam(m.form.params()))
		return m, then
	case key.Matches(k, m.keys.CopyScene):
		then := m.copy("scene", m.form.params().Scene)
		return m, then
	case key.Matches(k, m.keys.Fix):
		n := int(k.String()[len(k.String())-1] - '1')
		return m.applyFix(n)
	case m.pane == paneHistory && key.Matches(k, m.keys.Up):
		m.histSel = max(0, m.histSel-1)
		return m, nil
	case m.pane == paneHistory && key.Matches(k, m.keys.Down):
		m.histSel = min(len(m.hist)-1, m.histSel+1)
		return m, nil
	case m.pane == paneHistory && key.Matches(k, m.keys.Compare):
		if m.histMark == m.histSel {
			m.histMark = -1
		} else {
			m.histMark = m.histSel
		}
		return m, nil
	case m.pane == paneHistory && key.Matches(k, m.keys.Pick):
		return m.pickHistory()
	case k.String() == "up" || k.String() == "down":
		d := 1
		if k.String() == "up" {
			d = -1
		}
		then := m.form.move(d)
		return m, then
	}
	then := m.forward(k)
	return m, then
}

// edited runs after any change to the form: on the simulator it schedules a
// regenerate once typing pauses.
func (m *Model) edited() tea.Cmd {
	m.editSeq++
	m.formChanged()
	if m.deps.OnSim && m.deps.AutoRegenerate {
		return debounce(m.deps.Debounce, m.editSeq)
	}
	return nil
}

// requestGenerate is ctrl+g: validate, confirm the pool for limited
// endpoints, then generate.
func (m Model) requestGenerate() (Model, tea.Cmd) {
	p := m.form.params()
	if err := p.Validate(); err != nil || !m.form.valid() {
		if err == nil {
			err = errors.New("the form has values that do not parse; see the messages under the fields")
		}
		m.lastErr = err
		m.diag = troubleshoot.Diagnose(p.Request(), err)
		m.pane, m.scroll = paneHint, 0
		then := tea.Batch(m.redraw(), m.setFormStatus(levelErr, "not sent: fix the form first (alt+h shows why)"))
		return m, then
	}
	if p.Kind.Limited() {
		m.mode = modeConfirmLimited
		then := m.redraw()
		return m, then
	}
	return m.startGenerate(p)
}

// startGenerate supersedes any request in flight and sends a new one.
func (m Model) startGenerate(p wechat.Params) (Model, tea.Cmd) {
	if m.cancel != nil {
		m.cancel()
	}
	m.gen++
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancel = cancel
	m.busy = true
	then := generateCmd(ctx, m.deps.Generator, m.gen, p)
	return m, then
}

func (m Model) gotCode(msg codeMsg) (Model, tea.Cmd) {
	if msg.gen != m.gen {
		return m, nil // superseded
	}
	m.busy = false
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	if msg.err != nil {
		if errors.Is(msg.err, context.Canceled) {
			return m, nil
		}
		m.lastErr = msg.err
		m.diag = troubleshoot.Diagnose(msg.params.Request(), msg.err)
		m.pane, m.scroll = paneHint, 0
		then := tea.Batch(m.redraw(), m.setFormStatus(levelErr, errSummary(msg.err)))
		return m, then
	}
	now := m.deps.now()
	m.calls = append(m.calls, now)
	code := *msg.code
	if code.Elapsed == 0 {
		code.Elapsed = msg.elapsed
	}
	m.lastErr, m.diag = nil, troubleshoot.Diagnosis{}
	e := entryFromCode(msg.params, &code, now)
	m.hist = addEntry(m.hist, e, historyLimit)
	m.histSel = 0
	if m.histMark >= 0 {
		m.histMark = min(m.histMark+1, len(m.hist)-1)
	}
	m.showCode(&code, msg.params, e.SHA256)
	if m.pane == paneHint {
		m.pane = panePreview
	}
	cmds := []tea.Cmd{m.renderPreview(), tokenInfoCmd(m.ctx, m.deps.Tokens)}
	if m.deps.StateDir != "" {
		cmds = append(cmds, storeHistoryCmd(m.historyDir(), m.hist))
	}
	return m, tea.Batch(cmds...)
}

func (m *Model) showCode(c *wechat.Code, p wechat.Params, sum string) {
	m.code, m.codeParams, m.codeSHA = c, p, sum
	m.outKey = ""
}

// renderPreview renders the current code into the current box, unless that
// exact rendering is already on screen.
func (m *Model) renderPreview() tea.Cmd {
	if m.code == nil || m.tooSmall() {
		return nil
	}
	l := m.layout()
	opts := preview.Options{Mode: m.graphics, ImageID: kittyImageID}
	if m.checker {
		opts.Background = preview.BackgroundChecker
	}
	// A terminal wider than preview.MaxCells still gets a code, at that size.
	box := preview.Box{Cols: min(l.boxW, preview.MaxCells), Rows: min(l.boxH, preview.MaxCells)}
	key := fmt.Sprintf("%s|%v|%v|%v", m.codeSHA, box, opts, m.caps)
	if key == m.outKey {
		return nil
	}
	m.outKey = key
	w, width, height, helpH := l.rightW-1, m.width, m.height, l.helpH
	note := func(out preview.Output) []string { return scanNote(out, w, width, height, helpH) }
	return renderCmd(key, m.renderer, m.code, box, m.caps, opts, note)
}

func (m Model) gotPreview(msg previewMsg) (Model, tea.Cmd) {
	if msg.key != m.outKey {
		return m, nil // a newer code or box is being rendered
	}
	if msg.err != nil {
		m.out = preview.Output{}
		then := m.setStatus("preview: "+msg.err.Error(), true)
		return m, then
	}
	m.out = msg.out
	if m.out.Raw == "" {
		return m, nil
	}
	m.drawSeq++ // any draw still pending is for the previous image
	if fp := m.footprint(); fp.mode == preview.ModeSixel && fp == m.drawn {
		// Same box, same size, every pixel painted: straight over the last one.
		then := rawImage(m.out.Raw, fp.x, fp.y)
		return m, then
	}
	// Graphics: clear what the last image left, then draw once the box is painted.
	then := tea.Batch(m.clearScreen(), drawAfter(m.drawSeq))
	return m, then
}

func (m Model) showPane(p pane) (Model, tea.Cmd) {
	if m.pane == p {
		return m, nil
	}
	m.pane, m.scroll = p, 0
	then := m.redraw()
	return m, then
}

// redraw repaints after the right-hand side changed while an out-of-band
// image may be on screen: pixels are not cells, so the renderer cannot erase
// them. Kitty placements are deleted explicitly; the image comes back once
// the preview's blank box is painted again.
func (m *Model) redraw() tea.Cmd {
	if m.out.Raw == "" {
		return nil
	}
	cmds := []tea.Cmd{m.clearScreen()}
	if m.out.Mode == preview.ModeKitty {
		del := preview.KittyDelete(kittyImageID)
		if m.out.Passthrough {
			del = preview.Passthrough(del)
		}
		cmds = append(cmds, tea.Raw(del))
	}
	if m.pane == panePreview && m.mode == modeEdit {
		m.drawSeq++
		cmds = append(cmds, drawAfter(m.drawSeq))
	}
	return tea.Batch(cmds...)
}

// applyFix puts the n-th fix's request into the form and sends it again.
func (m Model) applyFix(n int) (Model, tea.Cmd) {
	if n < 0 || n >= len(m.diag.Actions) {
		return m, nil
	}
	a := m.diag.Actions[n]
	m.form.setParams(a.Params)
	expire := m.setFormStatus(levelOK, "applied: "+a.Label)
	if m.form.valid() && !a.Params.Kind.Limited() {
		var cmd tea.Cmd
		m, cmd = m.startGenerate(a.Params)
		return m, tea.Batch(cmd, expire)
	}
	return m, expire
}

func (m Model) openSave() (Model, tea.Cmd) {
	var job saveJob
	switch {
	case m.pane == paneHistory && m.histSel < len(m.hist):
		job = m.hist[m.histSel].job()
	case m.code != nil:
		c := m.code
		job = saveJob{Data: c.Bytes, Params: m.codeParams, Format: c.Format, Width: c.Width, Height: c.Height,
			NumUsed: c.NumUsed, Generated: c.Received}
		if job.Generated.IsZero() && len(m.hist) > 0 {
			job.Generated = m.hist[0].Time
		}
	default:
		then := m.setStatus("nothing to save yet: ctrl+g generates a code", true)
		return m, then
	}
	m.saveJob = job
	name := fileName(m.deps.NameTemplate, job)
	if m.deps.SaveDir != "" {
		name = filepath.Join(m.deps.SaveDir, name)
	}
	m.saveInput.SetValue(name)
	m.saveInput.CursorEnd()
	m.mode = modeSaveName
	then := m.saveInput.Focus()
	return m, then
}

func (m Model) pickHistory() (Model, tea.Cmd) {
	if m.histSel >= len(m.hist) {
		return m, nil
	}
	e := m.hist[m.histSel]
	c := &wechat.Code{Bytes: e.Data, Format: e.Format, Width: e.Width, Height: e.Height, NumUsed: e.NumUsed,
		Received: e.Time, Elapsed: e.Elapsed}
	m.showCode(c, e.Params, e.SHA256)
	m.pane = panePreview
	then := tea.Batch(m.clearScreen(), m.renderPreview())
	return m, then
}

func (m *Model) copy(what, s string) tea.Cmd {
	if s == "" {
		return m.setStatus("nothing to copy: "+what+" is empty", true)
	}
	return tea.Batch(tea.SetClipboard(s), m.setStatusAt(levelOK, "copied the "+what+" (OSC 52)"))
}

// updateKeys enables exactly the keys that do something now.
func (m *Model) updateKeys() {
	edit := m.mode == modeEdit
	k := &m.keys
	for _, b := range []*key.Binding{&k.Next, &k.Prev, &k.Generate, &k.Preview, &k.Hint, &k.Scene, &k.Request,
		&k.History, &k.CopyCurl, &k.CopyLaunch, &k.CopyScene} {
		b.SetEnabled(edit)
	}
	hasCode := m.code != nil
	histPane := edit && m.pane == paneHistory && len(m.hist) > 0
	k.Save.SetEnabled(edit && (hasCode || histPane))
	k.Background.SetEnabled(edit && hasCode)
	k.Fix.SetEnabled(edit && len(m.diag.Actions) > 0)
	textPane := edit && m.pane != panePreview && m.pane != paneHistory
	k.ScrollUp.SetEnabled(textPane)
	k.ScrollDown.SetEnabled(textPane)
	k.Up.SetEnabled(histPane)
	k.Down.SetEnabled(histPane)
	k.Pick.SetEnabled(histPane)
	k.Compare.SetEnabled(histPane)
	k.Accept.SetEnabled(m.mode == modeSaveName)
	k.Yes.SetEnabled(m.mode == modeConfirmLimited || m.mode == modeConfirmOverwrite || m.mode == modeConfirmMkdir)
	k.Cancel.SetEnabled(!edit)
	if m.mode == modeSaveName {
		k.Cancel.SetHelp("esc", "cancel")
	} else {
		k.Cancel.SetHelp("esc/n", "cancel")
	}
	k.Help.SetEnabled(edit)
}

// redact is the status line's and the panes' sink of the session's redactor.
func (m Model) redact(s string) string {
	if m.deps.Redact == nil {
		return wechat.Redact(s)
	}
	return m.deps.Redact(s)
}
