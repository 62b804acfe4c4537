package verify

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"wxacode/codefile"
)

// ManifestTargets streams the targets of a manifest (batch's manifest.jsonl,
// read by codefile.ReadManifest) to yield: each entry's file at baseURL
// joined with its name as a path, or, with no baseURL, the local file beside
// the manifest (in dir). A line that is no entry, or names a file outside
// the folder, is a target with Entry set (the line and why), so it is
// reported, never skipped; a torn last line that is no entry (a killed
// batch) and an entry repeated with the same sha256 (a resumed run) are left
// out. The error is the manifest's own (unreadable, a line over 1 MiB: not
// a manifest at all).
func ManifestTargets(r io.Reader, dir, baseURL string, yield func(Target) bool) error {
	seen := map[string]bool{}
	for l, err := range codefile.ReadManifest(r, "") {
		var le *codefile.ManifestLineError
		switch {
		case err != nil:
			return err
		case errors.Is(l.Err, codefile.ErrManifestLineTooLong):
			return fmt.Errorf("%w: not a manifest", l.Err)
		case l.Err != nil && l.Torn:
			return nil // killed mid-write: batch drops it too
		case errors.As(l.Err, &le):
			if !yield(Target{Path: fmt.Sprintf("manifest line %d", l.Line), Entry: "not a manifest entry: " + le.Reason}) {
				return nil
			}
			continue
		}
		e := l.Entry
		if seen[e.File+"\x00"+e.SHA256] {
			continue
		}
		seen[e.File+"\x00"+e.SHA256] = true
		t := Target{Want: WantOf(e)}
		name := filepath.FromSlash(e.File)
		if !filepath.IsLocal(name) || strings.Contains(e.File, `\`) {
			t.Path, t.Entry = e.File, fmt.Sprintf("manifest line %d names a file outside its folder; not checked", l.Line)
		} else if baseURL != "" {
			u, err := url.JoinPath(baseURL, e.File)
			if err != nil {
				t.Path, t.Entry = e.File, fmt.Sprintf("manifest line %d: %v", l.Line, err)
			}
			t.URL = u
		} else {
			t.Path = filepath.Join(dir, name)
		}
		if !yield(t) {
			return nil
		}
	}
	return nil
}

// CheckURL is the base URL check of --base-url: http or https, a host.
func CheckURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL with a host", s)
	}
	return nil
}
