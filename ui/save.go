package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"image/color"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"wxacode/atomicfile"
	"wxacode/codefile"
	"wxacode/codeimage"
	"wxacode/wechat"
)

// saveJob is everything a save needs, captured by value when the prompt opens.
type saveJob struct {
	Data      []byte
	Params    wechat.Params
	Format    wechat.Format
	Width     int
	Height    int
	NumUsed   int
	Generated time.Time
	// Flatten, when set, draws a transparent code onto this colour as it
	// is saved, in the format the name asks for (JPEG or PNG, no alpha):
	// what survives a phone album (Deps.Flatten, --flatten).
	Flatten *color.RGBA
}

// flattens reports whether job's code is drawn onto a colour when saved:
// a transparent (is_hyaline, PNG) code, with Deps.Flatten set.
func (job saveJob) flattens() bool {
	return job.Flatten != nil && job.Format == wechat.FormatPNG && job.Params.Hyaline
}

// saveFormat is the format job is saved in under path: WeChat's, or for a
// flattened code the one the name asks for (PNG when it asks for none).
func (job saveJob) saveFormat(path string) wechat.Format {
	if !job.flattens() {
		return job.Format
	}
	return codefile.FlattenFormat(path)
}

// fileName expands a template such as {page}_{scene}_{width}.{ext} with
// codefile's renderer and {hash}, both shared with batch, for the request the
// code was made from (codefile.FieldsFor: a limited code is named from its
// path, whatever else the form holds): every part is sanitised and ext comes
// from the real bytes. A template the renderer refuses falls back to the
// default one.
func fileName(tmpl string, job saveJob) string {
	if tmpl == "" {
		tmpl = defaultTemplate
	}
	f := codefile.FieldsFor(job.Params, job.Width, job.Format)
	name, err := codefile.RenderName(tmpl, f)
	if err != nil {
		name, _ = codefile.RenderName(defaultTemplate, f)
	}
	return name
}

// writeCode writes the image and its sidecar atomically. Without overwrite an
// existing image is left alone and atomicfile.ErrExists returned.
func writeCode(path string, job saveJob, overwrite bool, now time.Time) error {
	req := job.Params.Request()
	body, err := req.Body()
	if err != nil {
		return err
	}
	data, format := job.Data, job.Format
	var flattened *codefile.Flattened
	if job.flattens() {
		fc, fl, err := codefile.Flatten(&wechat.Code{Bytes: job.Data, Format: job.Format}, *job.Flatten, path)
		if err != nil {
			return fmt.Errorf("cannot flatten the code: %w", err)
		}
		data, format, flattened = fc.Bytes, fc.Format, fl
	}
	sc := codefile.Sidecar{File: filepath.Base(path), Kind: req.Kind(), Endpoint: req.Kind().Path(), Request: body,
		Format: format, Width: job.Width, Height: job.Height, Bytes: len(data),
		SHA256: codefile.ContentSHA256(data), Flattened: flattened, Generated: job.Generated.UTC(), Saved: now.UTC()}
	if job.NumUsed > 0 {
		sc.NumUsed = job.NumUsed
	}
	meta, err := json.MarshalIndent(sc, "", "  ")
	if err != nil {
		return err
	}
	// Both targets first, so a sidecar name that is a pipe or a folder does
	// not leave an image without its sidecar.
	for _, p := range []string{path, codefile.SidecarPath(path)} {
		if err := atomicfile.CheckKind(p); err != nil {
			return err
		}
	}
	write := atomicfile.WriteNew
	if overwrite {
		write = atomicfile.WriteFile
	}
	if err := write(path, data, 0o644); err != nil {
		return err
	}
	// The image is new (or confirmed), so a sidecar already there describes
	// something else: replace it so the pair always matches.
	if err := atomicfile.WriteFile(codefile.SidecarPath(path), append(meta, '\n'), 0o644); err != nil {
		return fmt.Errorf("saved the image but not its sidecar: %w", err)
	}
	return nil
}

func isExists(err error) bool { return errors.Is(err, atomicfile.ErrExists) }

// savePrompt is what the save prompt says besides the name being edited.
type savePrompt struct {
	note      string // shown under the prompt, where the eye is
	noteLevel level
	// extKept is a name whose extension does not fit the format, already
	// corrected once: entered again, it is saved as typed.
	extKept string
	// mkdir is the missing folder that y creates before saving.
	mkdir string
}

// gotSaved shows how a save ended: asked to overwrite or create the folder,
// the problem and its fix under the prompt, or saved.
func (m *Model) gotSaved(msg savedMsg) tea.Cmd {
	switch {
	case msg.exists:
		m.prompt.AskOverwrite()
		return nil
	case msg.missingDir != "":
		m.prompt.AskMkdir(msg.missingDir)
		return nil
	case msg.err != nil:
		m.prompt.Fail(saveProblem(msg.err))
		return nil
	}
	job := m.prompt.job
	format := job.saveFormat(msg.path)
	m.prompt.Close()
	// The name first, the folder last: a long folder is what the line cuts.
	name, dir := filepath.Base(msg.path), filepath.Dir(msg.path)
	text := fmt.Sprintf("saved %s (+ %s) in %s", name, filepath.Base(codefile.SidecarPath(name)), dir)
	if job.flattens() {
		text = fmt.Sprintf("saved %s onto %s, no transparency (+ %s) in %s", name, codeimage.Hex(*job.Flatten),
			filepath.Base(codefile.SidecarPath(name)), dir)
	}
	lvl := levelOK
	if !codefile.ExtFits(msg.path, format) {
		text = fmt.Sprintf("saved %s with %s bytes under %s, as asked (+ %s) in %s", name,
			strings.ToUpper(string(format)), orDash(filepath.Ext(name)), filepath.Base(codefile.SidecarPath(name)), dir)
		lvl = levelWarn
	}
	return m.setStatusAt(lvl, text)
}

// saveProblem is a failed save in words, the fix included: the name is on
// the prompt line just above, so a target's problem is said without it.
func saveProblem(err error) string {
	var te *atomicfile.TargetError
	if errors.As(err, &te) {
		return "not saved: " + te.Reason
	}
	return "not saved: " + err.Error()
}
