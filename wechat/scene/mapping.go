package scene

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"wxacode/atomicfile"
)

// MapFormat is the format of a mapping file, chosen by its extension.
type MapFormat string

// Mapping file formats: CSV with an id,payload header, or JSON lines {"id","payload"}.
const (
	MapCSV   MapFormat = "csv"
	MapJSONL MapFormat = "jsonl"
)

// MapFormatFor picks the format from the file name: .csv, or .jsonl/.ndjson.
func MapFormatFor(path string) (MapFormat, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return MapCSV, nil
	case ".jsonl", ".ndjson":
		return MapJSONL, nil
	}
	return "", fmt.Errorf("mapping file %s: unknown extension; name it .csv (id,payload) or .jsonl ({\"id\",\"payload\"} per line)", path)
}

// Mapping is the content of a mapping file: id → payload, and the reverse.
type Mapping struct {
	ByID      map[string]string
	ByPayload map[string]string
}

// ReadMapping reads a mapping file; a missing file is an empty mapping.
func ReadMapping(path string) (Mapping, error) {
	m := Mapping{ByID: map[string]string{}, ByPayload: map[string]string{}}
	format, err := MapFormatFor(path)
	if err != nil {
		return m, err
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return m, fmt.Errorf("read mapping file: %w", err)
	}
	add := func(line int, id, payload string) error {
		if prev, ok := m.ByID[id]; ok && prev != payload {
			return fmt.Errorf("mapping file %s line %d: id %q already maps to another payload; fix the file", path, line, id)
		}
		m.ByID[id] = payload
		if _, ok := m.ByPayload[payload]; !ok {
			m.ByPayload[payload] = id
		}
		return nil
	}
	if format == MapCSV {
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		for first := true; ; first = false {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return m, fmt.Errorf("mapping file %s: %w; fix the file or use another", path, err)
			}
			line, _ := r.FieldPos(0)
			if first && len(rec) >= 2 && rec[0] == "id" && rec[1] == "payload" {
				continue
			}
			if len(rec) < 2 {
				return m, fmt.Errorf("mapping file %s line %d: want id,payload", path, line)
			}
			if err := add(line, rec[0], rec[1]); err != nil {
				return m, err
			}
		}
		return m, nil
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), len(data)+1)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var row struct {
			ID      *string `json:"id"`
			Payload *string `json:"payload"`
		}
		if err := json.Unmarshal([]byte(text), &row); err != nil || row.ID == nil || row.Payload == nil {
			return m, fmt.Errorf("mapping file %s line %d: want {\"id\":…,\"payload\":…}; fix the file or use another", path, line)
		}
		if err := add(line, *row.ID, *row.Payload); err != nil {
			return m, err
		}
	}
	return m, sc.Err()
}

// MapRow is the row AppendMapping writes for id → payload, newline included.
func MapRow(format MapFormat, id, payload string) string {
	if format == MapJSONL {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(struct {
			ID      string `json:"id"`
			Payload string `json:"payload"`
		}{id, payload})
		return b.String()
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{id, payload})
	w.Flush()
	return b.String()
}

const csvHeader = "id,payload\n"

// AppendMapping adds the row id → payload to a mapping file, never rewriting
// it: a new file is created whole (temp file, fsync, link), an existing one is
// appended to with one O_APPEND write and fsync. added is false when the
// payload is already there (under any id), so re-running adds no duplicate.
// Two processes appending the same new payload at the same instant may both
// add it; the rows are identical, so an import keyed on id stays correct.
func AppendMapping(path, id, payload string) (added bool, err error) {
	format, err := MapFormatFor(path)
	if err != nil {
		return false, err
	}
	m, err := ReadMapping(path)
	if err != nil {
		return false, err
	}
	if _, ok := m.ByPayload[payload]; ok {
		return false, nil
	}
	if prev, ok := m.ByID[id]; ok && prev != payload {
		return false, fmt.Errorf("mapping file %s: id %q is taken by another payload; run fit again to get a longer id", path, id)
	}
	row := MapRow(format, id, payload)
	header := ""
	if format == MapCSV {
		header = csvHeader
	}
	created, err := createWhole(path, header+row)
	if err != nil || created {
		return created, err
	}
	if st, err := os.Stat(path); err == nil && st.Size() == 0 {
		row = header + row // an empty file: start it properly
	}
	return true, appendRow(path, row)
}

// createWhole creates path with content unless it exists (created false,
// nil), with the one atomic writer: a reader never sees half a file, and a
// second writer that got there first makes this one append instead.
func createWhole(path, content string) (created bool, err error) {
	err = atomicfile.WriteNew(path, []byte(content), 0o644)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, atomicfile.ErrExists):
		return false, nil
	}
	return false, fmt.Errorf("mapping file: %w", err)
}

func appendRow(path, row string) error {
	f, _, err := atomicfile.OpenAppend(path, 0o644)
	if err != nil {
		return fmt.Errorf("mapping file: %w", err)
	}
	defer f.Close()
	if needsNewline(path) {
		row = "\n" + row // a hand-edited file without a final newline
	}
	if _, err := f.WriteString(row); err != nil {
		return fmt.Errorf("mapping file %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("mapping file %s: %w", path, err)
	}
	return f.Close()
}

func needsNewline(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return false
	}
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, st.Size()-1); err != nil {
		return false
	}
	return b[0] != '\n'
}
