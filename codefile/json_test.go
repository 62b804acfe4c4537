package codefile

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/wechat"
)

// The sidecar and the manifest line are read by users' scripts: their JSON
// names are pinned here.
func TestOnDiskJSONNames(t *testing.T) {
	at := time.Date(2026, 11, 23, 21, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"sidecar", Sidecar{File: "a.png", Kind: wechat.KindUnlimited, Endpoint: "/wxa/getwxacodeunlimit",
			Request: json.RawMessage(`{"scene":"a"}`), Format: wechat.FormatPNG, Width: 430, Height: 430, Bytes: 9,
			SHA256: "ab", NumUsed: 3, Generated: at, Saved: at},
			`{"file":"a.png","kind":"unlimited","endpoint":"/wxa/getwxacodeunlimit","request":{"scene":"a"},"format":"png",` +
				`"width":430,"height":430,"bytes":9,"sha256":"ab","num_used":3,"generated":"2026-11-23T21:00:00Z","saved":"2026-11-23T21:00:00Z"}`},
		{"sidecar without Num-Used", Sidecar{Generated: at, Saved: at},
			`{"file":"","kind":"","endpoint":"","request":null,"format":"","width":0,"height":0,"bytes":0,"sha256":"",` +
				`"generated":"2026-11-23T21:00:00Z","saved":"2026-11-23T21:00:00Z"}`},
		{"manifest entry", ManifestEntry{Row: 7, Key: "13292c5a720c88ea", Kind: "unlimited", Params: json.RawMessage(`{"scene":"a"}`),
			File: "eecefef47f4c5d0a.jpg", SHA256: "cd", Bytes: 9, Format: "jpeg", Width: 430, Height: 430, Received: at},
			`{"row":7,"key":"13292c5a720c88ea","kind":"unlimited","params":{"scene":"a"},"file":"eecefef47f4c5d0a.jpg",` +
				`"sha256":"cd","bytes":9,"format":"jpeg","width":430,"height":430,"received":"2026-11-23T21:00:00Z"}`},
		{"flattened manifest entry", ManifestEntry{Row: 1, Key: "k", Kind: "unlimited", File: "a.jpg", SHA256: "ef", Bytes: 5, Format: "jpeg",
			Flattened: &Flattened{Background: "#ffffff", OriginalFormat: "png", OriginalBytes: 9, OriginalSHA256: "ab"}, Received: at},
			`{"row":1,"key":"k","kind":"unlimited","params":null,"file":"a.jpg","sha256":"ef","bytes":5,"format":"jpeg",` +
				`"flattened":{"background":"#ffffff","original_format":"png","original_bytes":9,"original_sha256":"ab"},"received":"2026-11-23T21:00:00Z"}`},
		{"flattened sidecar", Sidecar{File: "a.png", Format: wechat.FormatPNG, SHA256: "ef",
			Flattened: &Flattened{Background: "#fff8e7", OriginalFormat: "png", OriginalBytes: 9, OriginalSHA256: "ab"}, Generated: at, Saved: at},
			`{"file":"a.png","kind":"","endpoint":"","request":null,"format":"png","width":0,"height":0,"bytes":0,"sha256":"ef",` +
				`"flattened":{"background":"#fff8e7","original_format":"png","original_bytes":9,"original_sha256":"ab"},` +
				`"generated":"2026-11-23T21:00:00Z","saved":"2026-11-23T21:00:00Z"}`},
		{"manifest entry without size", ManifestEntry{Received: at},
			`{"row":0,"key":"","kind":"","params":null,"file":"","sha256":"","bytes":0,"format":"","received":"2026-11-23T21:00:00Z"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.v)
			require.NoError(t, err)
			assert.JSONEq(t, tc.want, string(b))
		})
	}
}

func TestSidecarPath(t *testing.T) {
	for in, want := range map[string]string{
		"codes/a.png":     "codes/a.png.json",
		"codes/a.jpg":     "codes/a.jpg.json", // two formats of one name never share a sidecar
		"a.b.jpg":         "a.b.jpg.json",
		"noext":           "noext.json",
		"dir.d/code.jpeg": "dir.d/code.jpeg.json",
	} {
		assert.Equal(t, want, SidecarPath(in), in)
	}
}
