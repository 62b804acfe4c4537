package verify

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"wxacode/codefile"
)

// maxLine bounds one manifest line: an entry is a few hundred bytes.
const maxLine = 1 << 20

// ManifestTargets streams the targets of a manifest (batch's manifest.jsonl)
// to yield: each entry's file at baseURL joined with its name as a path, or,
// with no baseURL, the local file beside the manifest (in dir). A line that
// is no entry, or names a file outside the folder, is a target with Entry
// set, so it is reported, never skipped; a torn last line (a killed batch)
// and an entry repeated with the same sha256 (a resumed run) are left out.
// The error is the manifest's own (unreadable, a line over 1 MiB).
func ManifestTargets(r io.Reader, dir, baseURL string, yield func(Target) bool) error {
	br := bufio.NewReaderSize(r, 64<<10)
	seen := map[string]bool{}
	for lineNo := 1; ; lineNo++ {
		line, err := readLine(br)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("manifest line %d: %w", lineNo, err)
		}
		torn := !bytes.HasSuffix(line, []byte("\n"))
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var e codefile.ManifestEntry
		if json.Unmarshal(line, &e) != nil || e.File == "" {
			if torn {
				return nil // killed mid-write: batch drops it too
			}
			if !yield(Target{Path: fmt.Sprintf("manifest line %d", lineNo), Entry: "not a manifest entry"}) {
				return nil
			}
			continue
		}
		if seen[e.File+"\x00"+e.SHA256] {
			continue
		}
		seen[e.File+"\x00"+e.SHA256] = true
		t := Target{Want: WantOf(e)}
		name := filepath.FromSlash(e.File)
		if !filepath.IsLocal(name) || strings.Contains(e.File, `\`) {
			t.Path, t.Entry = e.File, fmt.Sprintf("manifest line %d names a file outside its folder; not checked", lineNo)
		} else if baseURL != "" {
			u, err := url.JoinPath(baseURL, e.File)
			if err != nil {
				t.Path, t.Entry = e.File, fmt.Sprintf("manifest line %d: %v", lineNo, err)
			}
			t.URL = u
		} else {
			t.Path = filepath.Join(dir, name)
		}
		if !yield(t) {
			return nil
		}
	}
}

// readLine reads one line, newline included, of at most maxLine bytes.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxLine {
			return nil, fmt.Errorf("longer than %d bytes: not a manifest", maxLine)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(line) > 0:
			return line, nil
		}
		return line, err
	}
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
