package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"wxacode/codefile"
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

// promptKeyMap answers a prompt.
type promptKeyMap struct {
	Accept, Yes, Cancel key.Binding
}

func defaultPromptKeyMap() promptKeyMap {
	return promptKeyMap{
		Accept: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "accept")),
		Yes:    key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
		Cancel: key.NewBinding(key.WithKeys("esc", "n", "N"), key.WithHelp("esc/n", "cancel")),
	}
}

// promptMsg is a prompt's answer: accepted or not, and for the name
// prompt the name (trimmed); mkdir is the missing folder a yes to
// modeConfirmMkdir allows the save to create.
type promptMsg struct {
	mode     mode
	accepted bool
	value    string
	mkdir    string
}

// prompt is the confirmation before a limited call and the save prompt
// (a name, then overwrite y/n when the file exists, or y/n to create a
// missing folder). It takes the keyboard while open and answers with a
// promptMsg.
type prompt struct {
	mode  mode
	input textinput.Model
	job   saveJob
	keys  promptKeyMap
	save  savePrompt
}

func newPrompt() prompt {
	in := textinput.New()
	in.Prompt = "save as: "
	in.CharLimit = 4096
	p := prompt{input: in, keys: defaultPromptKeyMap()}
	p.updateKeys()
	return p
}

func (p prompt) open() bool { return p.mode != modeEdit }

// ConfirmLimited opens the y/n before a limited call.
func (p *prompt) ConfirmLimited() {
	p.mode = modeConfirmLimited
	p.updateKeys()
}

// AskName opens the save prompt with a proposed name.
func (p *prompt) AskName(name string, job saveJob) tea.Cmd {
	p.job, p.save = job, savePrompt{}
	p.input.SetValue(name)
	p.input.CursorEnd()
	p.mode = modeSaveName
	p.updateKeys()
	return p.input.Focus()
}

// AskOverwrite turns the name prompt into the overwrite y/n.
func (p *prompt) AskOverwrite() {
	p.mode = modeConfirmOverwrite
	p.updateKeys()
}

// AskMkdir turns the name prompt into the y/n to create the missing folder dir.
func (p *prompt) AskMkdir(dir string) {
	p.mode, p.save.mkdir = modeConfirmMkdir, dir
	p.updateKeys()
}

// BackToName reopens the name prompt.
func (p *prompt) BackToName() {
	p.mode = modeSaveName
	p.updateKeys()
}

// Fail reopens the name prompt after a failed save, the problem (and its
// fix) under the name.
func (p *prompt) Fail(problem string) {
	p.BackToName()
	p.save.note, p.save.noteLevel = problem, levelErr
}

// Close gives the keyboard back to the form.
func (p *prompt) Close() {
	p.mode = modeEdit
	p.save = savePrompt{}
	p.input.Blur()
	p.updateKeys()
}

func (p *prompt) updateKeys() {
	p.keys.Accept.SetEnabled(p.mode == modeSaveName)
	p.keys.Yes.SetEnabled(p.mode == modeConfirmLimited || p.mode == modeConfirmOverwrite || p.mode == modeConfirmMkdir)
	if p.mode == modeConfirmLimited {
		p.keys.Yes.SetKeys("y", "Y", "enter") // the pane says "y / enter generate"
	} else {
		p.keys.Yes.SetKeys("y", "Y")
	}
	p.keys.Cancel.SetEnabled(p.mode != modeEdit)
	if p.mode == modeSaveName {
		p.keys.Cancel.SetKeys("esc")
		p.keys.Cancel.SetHelp("esc", "cancel")
	} else {
		p.keys.Cancel.SetKeys("esc", "n", "N")
		p.keys.Cancel.SetHelp("esc/n", "cancel")
	}
}

func answer(m mode, accepted bool, value string) tea.Cmd {
	return func() tea.Msg { return promptMsg{mode: m, accepted: accepted, value: value} }
}

// Update handles a message while the prompt is open.
func (p prompt) Update(msg tea.Msg) (prompt, tea.Cmd) {
	k, isKey := msg.(tea.KeyPressMsg)
	switch p.mode {
	case modeConfirmLimited:
		switch {
		case isKey && key.Matches(k, p.keys.Yes):
			p.Close()
			return p, answer(modeConfirmLimited, true, "")
		case isKey && key.Matches(k, p.keys.Cancel):
			p.Close()
			return p, answer(modeConfirmLimited, false, "")
		}
		return p, nil
	case modeSaveName:
		switch {
		case isKey && key.Matches(k, p.keys.Accept):
			return p.submit()
		case isKey && key.Matches(k, p.keys.Cancel):
			p.Close()
			return p, answer(modeSaveName, false, "")
		}
		if pm, ok := msg.(tea.PasteMsg); ok {
			pm.Content = strings.TrimRight(pm.Content, "\r\n")
			msg = pm
		}
		before := p.input.Value()
		var cmd tea.Cmd
		p.input, cmd = p.input.Update(msg)
		if p.input.Value() != before {
			p.save.note = "" // it was about the name before this edit
		}
		return p, cmd
	case modeConfirmOverwrite:
		switch {
		case isKey && key.Matches(k, p.keys.Yes):
			p.BackToName()
			return p, answer(modeConfirmOverwrite, true, strings.TrimSpace(p.input.Value()))
		case isKey && key.Matches(k, p.keys.Cancel):
			p.BackToName() // back to the prompt to pick another name
			return p, nil
		}
	case modeConfirmMkdir:
		switch {
		case isKey && key.Matches(k, p.keys.Yes):
			p.BackToName()
			a := promptMsg{mode: modeConfirmMkdir, accepted: true, value: strings.TrimSpace(p.input.Value()), mkdir: p.save.mkdir}
			return p, func() tea.Msg { return a }
		case isKey && key.Matches(k, p.keys.Cancel):
			p.BackToName()
			p.save.note, p.save.noteLevel = "the folder "+p.save.mkdir+" was not created: give another name, or esc", levelInfo
			return p, nil
		}
	}
	return p, nil
}

// submit is enter in the save prompt: an empty name is refused, a name
// whose extension does not fit the bytes is corrected first (and kept when
// entered again); otherwise the answer carries the name to save under.
func (p prompt) submit() (prompt, tea.Cmd) {
	path := strings.TrimSpace(p.input.Value())
	if path == "" {
		p.save.note, p.save.noteLevel = "give a file name, or esc to cancel", levelErr
		return p, nil
	}
	f := p.job.saveFormat(path)
	if p.job.flattens() {
		f = wechat.FormatPNG // for a name that asks for neither JPEG nor PNG
	}
	if !codefile.ExtFits(path, p.job.saveFormat(path)) && path != p.save.extKept {
		right := codefile.WithFormatExt(path, f)
		p.save.extKept = path
		p.input.SetValue(right)
		p.input.CursorEnd()
		ext := filepath.Ext(path)
		if ext == "" {
			ext = "no extension"
		}
		p.save.note, p.save.noteLevel = fmt.Sprintf("the code is a %s, not %s: now %s; enter saves it (type %s again to keep it)",
			strings.ToUpper(string(f)), ext, filepath.Ext(right), filepath.Base(path)), levelWarn
		return p, nil
	}
	p.save.note = ""
	return p, answer(modeSaveName, true, path)
}

// View is the prompt's line (it takes the status line's place): the name
// being edited, or the question being asked; "" when it has none (the
// limited confirmation is drawn in the pane).
func (p prompt) View(s Styles) string {
	name := strings.TrimSpace(p.input.Value())
	switch p.mode {
	case modeSaveName:
		return p.input.View()
	case modeConfirmOverwrite:
		return s.Warn.Render(symWarn + fmt.Sprintf("%s exists. Overwrite it (and %s)? y / n", name, filepath.Base(codefile.SidecarPath(name))))
	case modeConfirmMkdir:
		return s.Warn.Render(symWarn + fmt.Sprintf("the folder %s does not exist. Create it and save? y / n", p.save.mkdir))
	}
	return ""
}

// Note is what the save prompt says under the name (a problem with it, or
// what became of it) and its level; "" when it says nothing.
func (p prompt) Note() (string, level) {
	if p.mode != modeSaveName {
		return "", levelInfo
	}
	return p.save.note, p.save.noteLevel
}
