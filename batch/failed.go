package batch

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"

	"wxacode/atomicfile"
	"wxacode/wechat"
)

// FailedName is the failed-rows file in the output folder, in the input's format.
func FailedName(f Format) string { return "failed" + f.Ext() }

// failure is why a row failed, as written next to its columns.
type failure struct {
	Code int // errcode; 0 when the failure is not a WeChat answer
	Msg  string
	Hint string
}

// failedWriter writes failed rows with their own columns plus errcode, errmsg
// and hint, in the input's format, so the file can be fixed and fed back as
// input. It streams to a temporary file in the folder (the failed rows of a
// large run need not fit in memory, so not atomicfile.WriteFile, whose steps
// it repeats: fsync, rename, fsync of the folder) and renames it into place at
// the end of a complete run, so a killed or interrupted run leaves the
// previous failed file whole.
type failedWriter struct {
	dir    string
	format Format
	header []string // CSV/TSV input header
	f      *os.File
	w      *bufio.Writer
	csv    *csv.Writer
	redact func(string) string // never nil
}

func newFailedWriter(dir string, format Format, header []string, redact func(string) string) *failedWriter {
	if redact == nil {
		redact = wechat.Redact
	}
	return &failedWriter{dir: dir, format: format, header: header, redact: redact}
}

func (fw *failedWriter) open() error {
	f, err := os.CreateTemp(fw.dir, "."+FailedName(fw.format)+".*.tmp")
	if err != nil {
		return err
	}
	fw.f = f
	fw.w = bufio.NewWriter(f)
	if fw.format != JSONL {
		fw.csv = csv.NewWriter(fw.w)
		if fw.format == TSV {
			fw.csv.Comma = '\t'
		}
		var cols []string
		for _, c := range fw.header {
			if !ignoredColumns[canonical(c)] {
				cols = append(cols, c)
			}
		}
		return fw.csv.Write(append(cols, "errcode", "errmsg", "hint"))
	}
	return nil
}

// Write adds one failed row.
func (fw *failedWriter) Write(rec *Record, why failure) error {
	if fw.f == nil {
		if err := fw.open(); err != nil {
			return err
		}
	}
	// errmsg is the server's text: one sink of the redactor (the client
	// scrubbed it already; this file is read by other people and tools).
	why.Msg, why.Hint = fw.redact(why.Msg), fw.redact(why.Hint)
	code := ""
	if why.Code != 0 {
		code = strconv.Itoa(why.Code)
	}
	if fw.format != JSONL {
		var vals []string
		for i, c := range fw.header {
			if ignoredColumns[canonical(c)] {
				continue
			}
			v := ""
			if i < len(rec.Vals) {
				v = rec.Vals[i]
			}
			vals = append(vals, v)
		}
		return fw.csv.Write(append(vals, code, why.Msg, why.Hint))
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range rec.Cols {
		if ignoredColumns[canonical(c)] {
			continue
		}
		k, _ := json.Marshal(c)
		b.Write(k)
		b.WriteByte(':')
		if i < len(rec.Raw) {
			b.Write(rec.Raw[i])
		} else {
			v, _ := json.Marshal(rec.Vals[i])
			b.Write(v)
		}
		b.WriteByte(',')
	}
	if why.Code != 0 {
		b.WriteString(`"errcode":` + code + `,`)
	} else {
		b.WriteString(`"errcode":null,`)
	}
	m, _ := json.Marshal(why.Msg)
	h, _ := json.Marshal(why.Hint)
	b.WriteString(`"errmsg":`)
	b.Write(m)
	b.WriteString(`,"hint":`)
	b.Write(h)
	b.WriteString("}\n")
	_, err := fw.w.Write(b.Bytes())
	return err
}

// Close finishes the file. Only a complete run (one that went through every
// row) touches the failed file: its temporary file is renamed into place
// when rows failed, else an old failed file from an earlier run is removed,
// since nothing failed now. An incomplete run, or any error here, removes the
// temporary file and leaves the previous failed file as it was.
func (fw *failedWriter) Close(complete bool) (path string, err error) {
	final := filepath.Join(fw.dir, FailedName(fw.format))
	if fw.f == nil {
		if !complete {
			return "", nil
		}
		if err := os.Remove(final); err != nil && !os.IsNotExist(err) {
			return "", err
		}
		return "", atomicfile.SyncDir(fw.dir)
	}
	tmp := fw.f.Name()
	defer func() {
		if err != nil || !complete {
			fw.f.Close()
			os.Remove(tmp)
		}
	}()
	if !complete {
		return "", nil
	}
	if fw.csv != nil {
		fw.csv.Flush()
		if err := fw.csv.Error(); err != nil {
			return "", err
		}
	}
	if err := fw.w.Flush(); err != nil {
		return "", err
	}
	if err := fw.f.Sync(); err != nil {
		return "", err
	}
	if err := fw.f.Close(); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, final); err != nil {
		return "", err
	}
	return final, atomicfile.SyncDir(fw.dir)
}
