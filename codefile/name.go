package codefile

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"wxacode/wechat"
)

// NameFields are the values a file-name template can use. Batch and the UI
// fill it from the request and the received code, so both name files alike.
type NameFields struct {
	Kind       string // unlimited, limited, qrcode
	Page       string // unlimited: the page; "" for the others (taken from Path)
	Scene      string // unlimited: the scene; "" for the others (taken from Path's query)
	Path       string // limited and qrcode
	Width      int    // pixels of the received image; 0 renders as 430, WeChat's default
	EnvVersion string
	Hash       string // short hash of the parameters
	Row        int    // batch row number, 0 outside batch
	Ext        string // jpg or png, without the dot: from the bytes, never the Content-Type
}

// DefaultNameTemplate names a file by the hash of its parameters: the same
// request always lands on the same name, different requests never collide, and
// nothing is overwritten to change a code (which CDNs and NFS caches punish).
const DefaultNameTemplate = "{hash}.{ext}"

// maxPart bounds one placeholder's value; maxNameBytes the whole name, under
// every common file-system limit (255 bytes).
const (
	maxPart      = 80
	maxNameBytes = 200
)

// RenderName fills a template such as "{page}_{scene}_{width}.{ext}" and
// returns a safe base name. Placeholders: {kind} {page} {scene} {path}
// {width} {env} {hash} {row} {ext}. For limited and qrcode codes {page} and
// {scene} are the path before and after its '?'. Each value is sanitised
// (SanitizePart): a scene like "a/b" cannot climb out of the folder. An empty
// page reads "home"; separators left doubled or dangling by empty values are
// tidied; the extension is always the real format's.
func RenderName(tmpl string, f NameFields) (string, error) {
	if tmpl == "" {
		tmpl = DefaultNameTemplate
	}
	page, sc := f.Page, f.Scene
	if f.Kind != "" && f.Kind != "unlimited" && page == "" && sc == "" {
		page, sc, _ = strings.Cut(f.Path, "?")
	}
	if page == "" {
		page = "home"
	}
	width := f.Width
	if width == 0 {
		width = 430
	}
	env := f.EnvVersion
	if env == "" {
		env = "release"
	}
	values := map[string]string{
		"kind": f.Kind, "page": page, "scene": sc, "path": f.Path,
		"width": fmt.Sprint(width), "env": env, "hash": f.Hash, "row": fmt.Sprint(f.Row), "ext": f.Ext,
	}
	var b strings.Builder
	rest := tmpl
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return "", fmt.Errorf("name template %q: a { is not closed; write placeholders as {page}", tmpl)
		}
		key := rest[open+1 : open+end]
		v, ok := values[key]
		if !ok {
			return "", fmt.Errorf("name template %q: unknown placeholder {%s}; use {kind} {page} {scene} {path} {width} {env} {hash} {row} {ext}", tmpl, key)
		}
		b.WriteString(SanitizePart(rest[:open]))
		if key != "ext" {
			v = SanitizePart(v)
		}
		b.WriteString(v)
		rest = rest[open+end+1:]
	}
	name := tidy(SanitizeName(b.String()))
	if f.Ext != "" && !strings.HasSuffix(name, "."+f.Ext) {
		switch strings.ToLower(filepath.Ext(name)) {
		case ".jpg", ".jpeg", ".png": // the template guessed the format wrong
			name = strings.TrimSuffix(name, filepath.Ext(name))
		}
		name = tidy(name) + "." + f.Ext
	}
	if name == "" || name == "."+f.Ext {
		return "", fmt.Errorf("name template %q renders an empty name for this code; add {hash} or {row}", tmpl)
	}
	return SanitizeName(name), nil
}

// tidy collapses the separators empty values leave behind ("a__b", "a_.jpg").
func tidy(name string) string {
	for strings.Contains(name, "__") {
		name = strings.ReplaceAll(name, "__", "_")
	}
	name = strings.ReplaceAll(name, "_.", ".")
	return strings.Trim(name, "_- ")
}

// replaceUnsafe turns '/' and '\\' into '-' and anything outside
// [A-Za-z0-9._=-] into '_'.
func replaceUnsafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '/' || r == '\\':
			b.WriteByte('-')
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._=-", r):
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// SanitizePart keeps one part of a file name portable: '/' and '\' become
// '-', anything outside [A-Za-z0-9._=-] becomes '_', and it is cut to 80 bytes.
func SanitizePart(s string) string {
	out := replaceUnsafe(s)
	if len(out) > maxPart {
		out = out[:maxPart]
	}
	return out
}

// SanitizeName turns s into a base name that stays inside its folder: path
// separators and unsafe characters are replaced (SanitizePart's rules, without
// its length cut), leading dots are dropped (no hidden files, no ".."), and
// the name is cut to 200 bytes keeping its extension.
func SanitizeName(s string) string {
	s = strings.TrimLeft(replaceUnsafe(s), ".")
	s = strings.TrimRight(s, ". ")
	if len(s) > maxNameBytes {
		ext := filepath.Ext(s)
		if len(ext) > 16 {
			ext = ""
		}
		cut := maxNameBytes - len(ext)
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + ext
	}
	return s
}

// FieldsFor is what a template can say about the code generated from p: the
// request as sent (fields its endpoint does not take are dropped, so a
// limited or qrcode code is named from its path, never from a page or scene
// left over in the form), its {hash}, the received width and the real
// format's extension.
func FieldsFor(p wechat.Params, width int, f wechat.Format) NameFields {
	sent := wechat.ParamsOf(p.Request())
	if sent.Kind == wechat.KindLinkQR {
		// A link QR is named from its link: host and path as {page}, the
		// query as {scene}, the whole link as {path}.
		rest := sent.URL
		if _, after, ok := strings.Cut(rest, "://"); ok {
			rest = after
		}
		rest, _, _ = strings.Cut(rest, "#")
		sent.Page, sent.Scene, _ = strings.Cut(rest, "?")
		sent.Page, sent.Path = strings.TrimRight(sent.Page, "/"), sent.URL
	}
	return NameFields{Kind: string(sent.Kind), Page: sent.Page, Scene: sent.Scene, Path: sent.Path, Width: width,
		EnvVersion: sent.EnvVersion, Hash: Hash(p), Ext: strings.TrimPrefix(f.Ext(), ".")}
}

// ExtFits reports whether path's extension names the format f: .jpg or
// .jpeg for JPEG, .png for PNG, in any letter case.
func ExtFits(path string, f wechat.Format) bool {
	g, ok := FormatForName(path)
	return ok && g == f
}

// FormatForName is the format a file name asks for by its extension (.jpg
// and .jpeg: JPEG, .png: PNG, in any case); ok is false for any other. A
// flattened code is saved in it (--flatten), since its bytes are made here.
func FormatForName(path string) (wechat.Format, bool) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jpg", ".jpeg":
		return wechat.FormatJPEG, true
	case ".png":
		return wechat.FormatPNG, true
	}
	return "", false
}

// WithFormatExt is path named for the format f: its extension replaced by
// f's (code.jpg → code.png), or f's added when it has none.
func WithFormatExt(path string, f wechat.Format) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + f.Ext()
}

// ExtWarning is "" when path's extension fits the real format f, else what
// is wrong and the name to use instead: the one wording for get and the
// designer.
func ExtWarning(path string, f wechat.Format) string {
	if ExtFits(path, f) {
		return ""
	}
	shown := filepath.Ext(path)
	if shown == "" {
		shown = "no extension"
	}
	return fmt.Sprintf("%s has %s but the code is a %s (WeChat sends PNG only for hyaline codes); name it %s",
		path, strings.ToLower(shown), strings.ToUpper(string(f)), WithFormatExt(path, f))
}
