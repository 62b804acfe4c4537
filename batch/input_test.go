package batch

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/codefile"
	"wxacode/wechat"
)

func TestDetectFormat(t *testing.T) {
	for _, tc := range []struct {
		name, head string
		want       Format
	}{
		{"a.csv", "{", CSV},
		{"a.TSV", "", TSV},
		{"a.jsonl", "scene", JSONL},
		{"a.ndjson", "", JSONL},
		{"rows", `{"scene":"a"}`, JSONL},
		{"rows", "\xef\xbb\xbf  {\"scene\":1}", JSONL},
		{"rows", "scene\tpage\n", TSV},
		{"rows", "scene,page\tx\n", CSV},
		{"rows.txt", "scene,page", CSV},
	} {
		assert.Equal(t, tc.want, DetectFormat(tc.name, []byte(tc.head)), "%s %q", tc.name, tc.head)
	}
}

func readAll(t *testing.T, in string, f Format) []*Record {
	t.Helper()
	rd, err := newReader(strings.NewReader(in), f)
	require.NoError(t, err)
	var out []*Record
	for {
		r, err := rd.next()
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		out = append(out, r)
	}
}

func TestReaderCSVRowsAndLines(t *testing.T) {
	recs := readAll(t, "\xef\xbb\xbfscene,page\na,\"pages/x\ny\"\nb,c\n", CSV)
	require.Len(t, recs, 2)
	assert.Equal(t, 1, recs[0].Row)
	assert.Equal(t, 2, recs[0].Line)
	assert.Equal(t, 2, recs[1].Row)
	assert.Equal(t, 4, recs[1].Line, "a quoted line break moves the line, not the row")
	assert.Equal(t, []string{"b", "c"}, recs[1].Vals)
}

func TestReaderRejectsUnknownColumns(t *testing.T) {
	_, err := newReader(strings.NewReader("scene,pgae\n"), CSV)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown column "pgae"`)
	_, err = newReader(strings.NewReader(""), CSV)
	assert.ErrorContains(t, err, "empty")
	// A failed file fed back keeps its errcode, errmsg and hint columns: accepted.
	_, err = newReader(strings.NewReader("scene,is_hyaline,errcode,errmsg,hint\n"), CSV)
	assert.NoError(t, err)
}

func TestReaderJSONL(t *testing.T) {
	recs := readAll(t, "{\"scene\":\"a\",\"width\":300,\"line_color\":{\"r\":1,\"g\":2,\"b\":3}}\n\n[1]\n{\"sceen\":1}\n{\"scene\":null}", JSONL)
	require.Len(t, recs, 4)
	assert.NoError(t, recs[0].Err)
	assert.Equal(t, []string{"a", "300", `{"r":1,"g":2,"b":3}`}, recs[0].Vals)
	assert.Equal(t, 3, recs[1].Line, "blank lines are skipped but counted")
	assert.ErrorContains(t, recs[1].Err, "not a JSON object")
	assert.ErrorContains(t, recs[2].Err, `unknown key "sceen"`)
	assert.NoError(t, recs[3].Err)
	assert.Equal(t, []string{""}, recs[3].Vals)
}

func TestParseRecord(t *testing.T) {
	base := wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Width: 430}
	for _, tc := range []struct {
		name, header, row string
		want              func(p *wechat.Params)
		problem           string
	}{
		{name: "defaults fill gaps", header: "scene", row: "id=1",
			want: func(p *wechat.Params) { p.Scene = "id=1" }},
		{name: "row overrides", header: "scene,page,width,check_path,hyaline,env_version",
			row: "a,pages/x,600,false,yes,trial",
			want: func(p *wechat.Params) {
				p.Scene, p.Page, p.Width, p.CheckPath, p.Hyaline, p.EnvVersion = "a", "pages/x", 600, wechat.Bool(false), true, "trial"
			}},
		{name: "colour", header: "scene,line_color", row: "a,#010203",
			want: func(p *wechat.Params) { p.Scene, p.LineColor = "a", &wechat.Color{R: 1, G: 2, B: 3} }},
		{name: "kind column", header: "kind,path", row: "qrcode,pages/a?x=1",
			want: func(p *wechat.Params) { p.Kind, p.Path = wechat.KindQRCode, "pages/a?x=1" }},
		{name: "bad width", header: "scene,width", row: "a,big", problem: `width: "big" is not a whole number`},
		{name: "bad bool", header: "scene,auto_color", row: "a,maybe", problem: `"maybe" is not true or false`},
		{name: "bad kind", header: "scene,kind", row: "a,round", problem: "unknown kind"},
		{name: "validator", header: "scene", row: "a%20b", problem: "do not URL-encode"},
		{name: "file escapes", header: "scene,file", row: "a,../x.jpg", problem: "is not a plain file name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs := readAll(t, tc.header+"\n"+tc.row+"\n", CSV)
			require.Len(t, recs, 1)
			it, ps := parseRecord(recs[0], base)
			if tc.problem != "" {
				require.NotEmpty(t, ps)
				var all []string
				for _, p := range ps {
					all = append(all, p.String())
				}
				assert.Contains(t, strings.Join(all, "\n"), tc.problem)
				return
			}
			require.Empty(t, ps)
			want := base
			tc.want(&want)
			assert.Equal(t, want, it.Params)
		})
	}
}

func TestKeysSeparateParametersAndFiles(t *testing.T) {
	recs := readAll(t, "scene,file,width\na,,\na,,\na,f,\na,,431\n", CSV)
	var keys []uint64
	var hashes []string
	for _, r := range recs {
		it, ps := parseRecord(r, wechat.Params{Kind: wechat.KindUnlimited})
		require.Empty(t, ps)
		keys = append(keys, it.Key)
		hashes = append(hashes, it.Hash)
	}
	assert.Equal(t, keys[0], keys[1])
	assert.NotEqual(t, keys[0], keys[2], "another file is another row")
	assert.Equal(t, hashes[0], hashes[2], "but the same parameters")
	assert.NotEqual(t, keys[0], keys[3])
}

func TestKeySet(t *testing.T) {
	var s keySet
	for i := range uint64(5000) {
		assert.True(t, s.Add(i*7))
	}
	for i := range uint64(5000) {
		assert.False(t, s.Add(i*7))
		assert.True(t, s.Has(i*7))
		assert.False(t, s.Has(i*7+1))
	}
	assert.Equal(t, 5000, s.Len())
}

// FuzzReadAndParse: whatever the input, reading never panics, a header
// problem says so, every problem of a row names its line (a line that is in
// the input), and a row that passes is a valid request.
func FuzzReadAndParse(f *testing.F) {
	f.Add("scene,page\nid=1,pages/a\n", false)
	f.Add("scene\tfile\n\"a\tb\n", false)
	f.Add(`{"scene":"a","width":"x","line_color":{"r":"300"}}`, true)
	f.Add("{\"scene\":[1,2]}\n{", true)
	f.Add("scene;page\na;b\n", false)
	f.Add("scene,scene\na,b\n", false)
	f.Add("sc\x00ene\n", false)
	f.Add("scene\na\x00\n", false)
	f.Add(`{"scene":"a"}{"scene":"b"}`, true)
	f.Add(`{"scene":"a","scene":"b"}`+"\n"+`{"scene":"a"} x`, true)
	f.Add("{\"scene\":\"a\x00\"}\n\n\n{", true)
	f.Fuzz(func(t *testing.T, in string, jsonl bool) {
		format := CSV
		if jsonl {
			format = JSONL
		}
		lines := strings.Count(in, "\n") + 1
		rd, err := newReader(strings.NewReader(in), format)
		if err != nil {
			require.Regexp(t, `^(header: |the input is empty)`, err.Error(), "a header problem says so")
			return
		}
		for range 200 {
			r, err := rd.next()
			if errors.Is(err, io.EOF) {
				return
			}
			require.NoError(t, err, "reading a string fails only per row")
			it, ps := parseRecord(r, wechat.Params{Kind: wechat.KindUnlimited})
			if len(ps) == 0 {
				require.NoError(t, it.Params.Validate(), "a row that passes is a valid request")
				continue
			}
			require.Positive(t, r.Line, "row %d: a problem names its line", r.Row)
			require.LessOrEqual(t, r.Line, lines, "row %d: line %d is in the input", r.Row, r.Line)
		}
	})
}

// The hash and the row key are in users' output folders (file names,
// manifest lines): pinned, and the hash is codefile's, the designer's too.
func TestRowHashAndKeyGolden(t *testing.T) {
	base := wechat.Params{Kind: wechat.KindUnlimited}
	for _, tc := range []struct {
		name, header, row string
		hash, key         string
	}{
		{"unlimited", "page,scene", "pages/index/index,id=42", "eecefef47f4c5d0a", "13292c5a720c88ea"},
		{"limited", "kind,path,width", "limited,pages/item/item?id=42,600", "2c27367d7eab3244", "c894efc467478d06"},
		{"qrcode ignores hyaline", "kind,path,width,hyaline", "qrcode,pages/a,280,true", "b12728e02cb0629c", "4074dfb5b4b29d64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs := readAll(t, tc.header+"\n"+tc.row+"\n", CSV)
			it, ps := parseRecord(recs[0], base)
			require.Empty(t, ps)
			assert.Equal(t, tc.hash, it.Hash)
			assert.Equal(t, codefile.Hash(it.Params), it.Hash)
			assert.Equal(t, tc.key, it.KeyHex())
		})
	}
}
