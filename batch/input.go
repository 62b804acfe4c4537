// Package batch pre-generates many codes from a CSV, TSV or JSONL file:
// validated before any call, within one shared rate limit, written atomically,
// recorded in a manifest as they land, and resumable after a kill.
package batch

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// Format is the input (and failed-rows) file format.
type Format string

// The input formats.
const (
	CSV   Format = "csv"
	TSV   Format = "tsv"
	JSONL Format = "jsonl"
)

// Ext is the file extension for f, with its dot.
func (f Format) Ext() string { return "." + string(f) }

// DetectFormat tells the format by the file's extension, and by its first
// bytes when the extension says nothing: '{' is JSONL, a tab before any comma
// on the first line is TSV, anything else CSV.
func DetectFormat(name string, head []byte) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return CSV
	case ".tsv", ".tab":
		return TSV
	case ".jsonl", ".ndjson", ".json":
		return JSONL
	}
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(head) > 0 && head[0] == '{' {
		return JSONL
	}
	line, _, _ := bytes.Cut(head, []byte("\n"))
	if t, c := bytes.IndexByte(line, '\t'), bytes.IndexByte(line, ','); t >= 0 && (c < 0 || t < c) {
		return TSV
	}
	return CSV
}

// Columns are the input columns batch understands. errcode, errmsg and hint
// (added to failed rows) are accepted and ignored, so a failed file can be fed
// back as input.
var Columns = []string{"kind", "scene", "page", "path", "width", "env_version", "check_path",
	"auto_color", "line_color", "hyaline", "file"}

var ignoredColumns = map[string]bool{"errcode": true, "errmsg": true, "hint": true}

// columnAliases maps accepted spellings to the canonical column.
var columnAliases = map[string]string{"is_hyaline": "hyaline"}

// Record is one input row as read: its number, its columns and values in
// order (for writing it back to the failed file), and for JSONL the raw values.
type Record struct {
	Row  int // 1-based data row (the header of a CSV is not a row)
	Line int // line in the file where the row starts
	Cols []string
	Vals []string
	Raw  []json.RawMessage // JSONL only
	Err  error             // the row could not be read at all
}

func canonical(col string) string {
	col = strings.ToLower(strings.TrimSpace(col))
	if a, ok := columnAliases[col]; ok {
		return a
	}
	return col
}

// knownColumn reports whether batch reads col or deliberately ignores it.
func knownColumn(col string) bool {
	c := canonical(col)
	if ignoredColumns[c] {
		return true
	}
	for _, k := range Columns {
		if k == c {
			return true
		}
	}
	return false
}

// reader yields records from an input stream, one at a time.
type reader struct {
	format Format
	csv    *csv.Reader
	header []string
	lines  *bufio.Reader
	line   int
	row    int
}

// newReader starts reading r in format f. For CSV and TSV it reads the header
// and rejects unknown columns (a misspelt "pgae" would otherwise be silently
// replaced by the default page).
func newReader(r io.Reader, f Format) (*reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && string(b) == "\xef\xbb\xbf" {
		br.Discard(3)
	}
	rd := &reader{format: f}
	if f == JSONL {
		rd.lines = br
		return rd, nil
	}
	cr := csv.NewReader(br)
	if f == TSV {
		cr.Comma = '\t'
		cr.LazyQuotes = true
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	rd.csv = cr
	head, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("the input is empty: give a header line naming the columns, for example scene,page")
	}
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	if err := checkHeader(head, f); err != nil {
		return nil, err
	}
	rd.header = head
	return rd, nil
}

// checkHeader rejects a header batch cannot read for sure: a NUL (not a
// text file), an unknown column (a misspelt "pgae" would silently become the
// default page), another separator, or a column named twice (one value would
// silently win).
func checkHeader(head []string, f Format) error {
	var unknown []string
	seen := map[string]int{}
	for i, c := range head {
		if strings.IndexByte(c, 0) >= 0 {
			return errors.New("header: line 1 holds a NUL byte, so the file is not UTF-8 text (a UTF-16 export, or a binary file?); save it as UTF-8 CSV")
		}
		head[i] = strings.TrimSpace(c)
		if !knownColumn(head[i]) {
			unknown = append(unknown, fmt.Sprintf("%q", head[i]))
			continue
		}
		k := canonical(head[i])
		if j, ok := seen[k]; ok {
			return fmt.Errorf("header: line 1 names the column %q twice (columns %d and %d); keep one", k, j+1, i+1)
		}
		seen[k] = i
	}
	if len(unknown) == 0 {
		return nil
	}
	msg := fmt.Sprintf("header: line 1: unknown column %s; known columns: %s", strings.Join(unknown, ", "), strings.Join(Columns, ", "))
	if len(head) == 1 {
		for _, sep := range []struct{ name, char string }{{"semicolons", ";"}, {"pipes", "|"}, {"tabs", "\t"}, {"commas", ","}} {
			if strings.Contains(head[0], sep.char) {
				want := "commas (CSV)"
				if f == TSV {
					want = "tabs (TSV)"
				}
				msg += fmt.Sprintf("; the columns look separated by %s: use %s, or name the file .csv or .tsv by its separator", sep.name, want)
				break
			}
		}
	}
	return errors.New(msg)
}

// Header is the CSV/TSV header, nil for JSONL.
func (rd *reader) Header() []string { return rd.header }

// next returns the next record, or io.EOF. A record whose text cannot be
// parsed comes back with Err set; reading goes on after it.
func (rd *reader) next() (*Record, error) {
	if rd.format == JSONL {
		return rd.nextJSON()
	}
	vals, err := rd.csv.Read()
	if err == io.EOF {
		return nil, io.EOF
	}
	rd.row++
	rec := &Record{Row: rd.row, Cols: rd.header, Vals: vals}
	if err == nil && len(vals) > 0 {
		rec.Line, _ = rd.csv.FieldPos(0)
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rec.Line = pe.StartLine
			if pe.StartLine == 0 {
				rec.Line = pe.Line
			}
			rec.Err = pe.Err
		} else {
			return nil, err
		}
		return rec, nil
	}
	if len(vals) > len(rd.header) {
		rec.Err = fmt.Errorf("has %d fields but the header names %d columns", len(vals), len(rd.header))
	}
	for i, v := range vals {
		if strings.IndexByte(v, 0) >= 0 && rec.Err == nil {
			rec.Err = fmt.Errorf("field %d holds a NUL byte; the file is not text there", i+1)
		}
	}
	return rec, nil
}

// maxLine bounds one JSONL line so a file without newlines cannot eat memory.
const maxLine = 1 << 20

func (rd *reader) nextJSON() (*Record, error) {
	for {
		line, err := readLine(rd.lines)
		if err == io.EOF && len(line) == 0 {
			return nil, io.EOF
		}
		rd.line++
		if err != nil && err != io.EOF {
			if errors.Is(err, errLineTooLong) {
				rd.row++
				return &Record{Row: rd.row, Line: rd.line, Err: err}, nil
			}
			return nil, err
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue // blank lines are not rows
		}
		rd.row++
		rec := &Record{Row: rd.row, Line: rd.line}
		if i := bytes.IndexByte(line, 0); i >= 0 {
			rec.Err = fmt.Errorf("holds a NUL byte at column %d; the file is not text there", i+1)
			return rec, nil
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		tok, err := dec.Token()
		if err != nil || tok != json.Delim('{') {
			rec.Err = errors.New(`is not a JSON object; write one object per line, for example {"scene":"id=1"}`)
			return rec, nil
		}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				rec.Err = fmt.Errorf("is not valid JSON: %v", err)
				return rec, nil
			}
			key, _ := kt.(string)
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				rec.Err = fmt.Errorf("is not valid JSON: %v", err)
				return rec, nil
			}
			if !knownColumn(key) {
				rec.Err = fmt.Errorf("has unknown key %q; known keys: %s", key, strings.Join(Columns, ", "))
				return rec, nil
			}
			for _, c := range rec.Cols {
				if canonical(c) == canonical(key) {
					rec.Err = fmt.Errorf("has the key %q twice; keep one (JSON readers differ on which wins)", canonical(key))
					return rec, nil
				}
			}
			rec.Cols = append(rec.Cols, key)
			rec.Raw = append(rec.Raw, raw)
			rec.Vals = append(rec.Vals, jsonText(raw))
		}
		if _, err := dec.Token(); err != nil {
			rec.Err = fmt.Errorf("is not valid JSON: %v", err)
			return rec, nil
		}
		// One object a line: a second object or anything else after the
		// first would otherwise be dropped without a word.
		if rest := bytes.TrimSpace(line[dec.InputOffset():]); len(rest) > 0 {
			what := "text"
			if rest[0] == '{' {
				what = "a second object"
			}
			rec.Err = fmt.Errorf("has %s after the object at column %d; write one object per line", what, int(dec.InputOffset())+1)
		}
		return rec, nil
	}
}

// jsonText is a JSON value as the text a CSV cell would hold: strings
// unquoted, null empty, numbers, booleans and objects as written.
func jsonText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	if string(raw) == "null" {
		return ""
	}
	return string(raw)
}

var errLineTooLong = fmt.Errorf("is longer than %d bytes", maxLine)

// readLine reads one line of at most maxLine bytes, skipping the rest of a longer one.
func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	tooLong := false
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > maxLine {
				tooLong = true
				buf = nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if tooLong && (err == nil || err == io.EOF) {
			return nil, errLineTooLong
		}
		return buf, err
	}
}
