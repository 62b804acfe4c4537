package codefile

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"time"
)

// ManifestEntry is one line of batch's manifest.jsonl: a file that landed,
// and what it was made from. The JSON names are a contract (README,
// "Manifest"); resuming a run reads them back.
type ManifestEntry struct {
	Row    int             `json:"row"`
	Key    string          `json:"key"` // 16 hex digits: identity of the row (parameters and file column)
	Kind   string          `json:"kind"`
	Params json.RawMessage `json:"params"` // the request body as sent
	File   string          `json:"file"`   // relative to the output folder
	SHA256 string          `json:"sha256"`
	Bytes  int             `json:"bytes"`
	Format string          `json:"format"`
	Width  int             `json:"width,omitempty"`
	Height int             `json:"height,omitempty"`
	// Flattened is set when batch --flatten drew a transparent code onto a
	// colour: SHA256 is the file's, Flattened.OriginalSHA256 WeChat's.
	Flattened *Flattened `json:"flattened,omitempty"`
	Received  time.Time  `json:"received"`
}

// MaxManifestLine bounds one manifest line: an entry is a few hundred bytes,
// so a longer line is none, and a file without newlines cannot fill memory.
const MaxManifestLine = 1 << 20

// ErrManifestLineTooLong marks a line over MaxManifestLine.
var ErrManifestLineTooLong = fmt.Errorf("longer than %d bytes", MaxManifestLine)

// ManifestLine is one line of a manifest as ReadManifest found it.
type ManifestLine struct {
	Line  int   // its number, from 1
	Start int64 // the offset of its first byte: where to cut it off
	// Torn says the line is the last and has no newline: its writer was
	// killed mid-line, or is still writing. Entry and Err are set as for
	// any line; what a torn line is worth is the caller's to say.
	Torn  bool
	Entry ManifestEntry // the entry, when Err is nil
	Err   error         // a *ManifestLineError: why the line is no entry
}

// ManifestLineError is a manifest line that holds no entry.
type ManifestLineError struct {
	File   string // the manifest's name as given to ReadManifest ("" reads "manifest")
	Line   int
	Reason string // `not JSON (…)`, `no "file"`, `longer than 1048576 bytes`
	Err    error  // the JSON error, or ErrManifestLineTooLong
}

func (e *ManifestLineError) Error() string {
	name := e.File
	if name == "" {
		name = "manifest"
	}
	return fmt.Sprintf("%s line %d: %s", name, e.Line, e.Reason)
}

func (e *ManifestLineError) Unwrap() error { return e.Err }

// ReadManifest reads a manifest (batch's manifest.jsonl), the one reader of
// it for batch's resume and verify: every line but blank ones, each with its
// entry or why it has none (a *ManifestLineError naming file, the line and
// the reason), then, when the last line has no newline, that line marked
// Torn. A line over MaxManifestLine is skipped to its end and reported. The
// sequence's error is r's own (a read failed); it ends the sequence. Lines
// are not checked against the folder, nor repeats against each other: that
// is the caller's.
func ReadManifest(r io.Reader, file string) iter.Seq2[ManifestLine, error] {
	return func(yield func(ManifestLine, error) bool) {
		br := bufio.NewReaderSize(r, 64<<10)
		var off int64
		for n := 1; ; n++ {
			line, size, err := readBounded(br)
			if err != nil && err != io.EOF {
				yield(ManifestLine{}, err)
				return
			}
			if size == 0 {
				return
			}
			l := ManifestLine{Line: n, Start: off, Torn: err == io.EOF}
			off += size
			body := bytes.TrimSpace(line)
			switch {
			case line == nil:
				l.Err = &ManifestLineError{File: file, Line: n, Reason: ErrManifestLineTooLong.Error(), Err: ErrManifestLineTooLong}
			case len(body) == 0 && !l.Torn:
				continue // blank lines are no entries, and no mistakes
			default:
				if reason, jerr := parseEntry(body, &l.Entry); reason != "" {
					l.Entry = ManifestEntry{}
					l.Err = &ManifestLineError{File: file, Line: n, Reason: reason, Err: jerr}
				}
			}
			if !yield(l, nil) || l.Torn {
				return
			}
		}
	}
}

// parseEntry decodes one line into e; reason says why it is no entry.
func parseEntry(body []byte, e *ManifestEntry) (reason string, err error) {
	if len(body) == 0 {
		return "cut short before any entry", nil
	}
	err = json.Unmarshal(body, e)
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("not JSON (%v, at column %d)", syn, syn.Offset), err
	case errors.As(err, &typ) && typ.Field == "":
		return fmt.Sprintf("not a JSON object but %s", article(typ.Value)), err
	case errors.As(err, &typ):
		return fmt.Sprintf("%q is %s, not %s", typ.Field, article(typ.Value), typ.Type), err
	case err != nil:
		return fmt.Sprintf("not a manifest entry (%v)", err), err
	case e.File == "":
		return `no "file": an entry names the file it records`, nil
	}
	return "", nil
}

// article is a JSON value kind with its article: "an array", "a string".
func article(kind string) string {
	switch kind {
	case "array", "object":
		return "an " + kind
	}
	return "a " + kind
}

// readBounded reads one line, its newline included, of at most
// MaxManifestLine bytes; a longer one is read to its end and line is nil.
// size is every byte consumed; err is io.EOF for a last line without its
// newline (and for the end, with size 0).
func readBounded(br *bufio.Reader) (line []byte, size int64, err error) {
	tooLong := false
	for {
		chunk, err := br.ReadSlice('\n')
		size += int64(len(chunk))
		if !tooLong {
			if len(line)+len(chunk) > MaxManifestLine {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if tooLong {
			line = nil
		}
		return line, size, err
	}
}
