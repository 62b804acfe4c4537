package save

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NameFields are the values a file-name template can use. Batch and the UI
// fill it from the request and the received code, so both name files alike.
type NameFields struct {
	Kind       string // unlimited, limited, qrcode
	Page       string
	Scene      string
	Path       string
	Width      int // 0 renders as 430, WeChat's default
	EnvVersion string
	Hash       string // short hash of the parameters
	Row        int    // batch row number, 0 outside batch
	Ext        string // jpg or png, without the dot
}

// DefaultNameTemplate names a file by the hash of its parameters: the same
// request always lands on the same name, different requests never collide, and
// nothing is overwritten to change a code (which CDNs and NFS caches punish).
const DefaultNameTemplate = "{hash}.{ext}"

// maxNameBytes keeps names under every common file-system limit (255 bytes).
const maxNameBytes = 200

// RenderName fills a template such as "{page}_{scene}_{width}.{ext}" and
// returns a safe base name. Placeholders: {kind} {page} {scene} {path} {width}
// {env} {hash} {row} {ext}. Each value is sanitised (see SanitizeName) so a
// scene like "a/b" cannot climb out of the folder. A template without {ext}
// gets ".ext" appended when the result has no extension.
func RenderName(tmpl string, f NameFields) (string, error) {
	if tmpl == "" {
		tmpl = DefaultNameTemplate
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
		"kind": f.Kind, "page": f.Page, "scene": f.Scene, "path": f.Path,
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
		b.WriteString(rest[:open])
		b.WriteString(sanitizePart(v))
		rest = rest[open+end+1:]
	}
	name := SanitizeName(b.String())
	if !strings.Contains(tmpl, "{ext}") && filepath.Ext(name) == "" && f.Ext != "" {
		name += "." + f.Ext
	}
	if name == "" || name == "."+f.Ext {
		return "", fmt.Errorf("name template %q renders an empty name for this row; add {hash} or {row}", tmpl)
	}
	return name, nil
}

// sanitizePart makes one placeholder value safe inside a name: separators and
// characters that are special on common file systems become '_'.
func sanitizePart(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\' || r == ':' || r == '*' || r == '?' || r == '"' ||
			r == '<' || r == '>' || r == '|' || r == '%' || r == '&' || r == '=':
			return '_'
		case r == utf8.RuneError, unicode.IsControl(r), unicode.IsSpace(r):
			return '_'
		}
		return r
	}, s)
}

// SanitizeName turns s into a base name that stays inside its folder: path
// separators and unsafe characters become '_', leading dots are dropped (no
// hidden files, no ".."), and the name is cut to 200 bytes keeping its extension.
func SanitizeName(s string) string {
	s = sanitizePart(s)
	s = strings.TrimLeft(s, ".")
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
