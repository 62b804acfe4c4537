package codefile

import (
	"encoding/json"
	"time"

	"wxacode/wechat"
)

// Sidecar is the JSON the designer writes next to a saved code: enough to
// regenerate or audit it. It never holds the token. The JSON names are a
// contract (README, "Saving").
type Sidecar struct {
	File     string          `json:"file"` // the image's base name
	Kind     wechat.Kind     `json:"kind"`
	Endpoint string          `json:"endpoint"` // the API path
	Request  json.RawMessage `json:"request"`  // the body as sent
	Format   wechat.Format   `json:"format"`
	Width    int             `json:"width"`
	Height   int             `json:"height"`
	Bytes    int             `json:"bytes"`
	SHA256   string          `json:"sha256"` // of the image bytes, hex
	NumUsed  int             `json:"num_used,omitempty"`
	// Flattened is set when the image was drawn onto a colour (--flatten):
	// SHA256 is then the saved file's, Flattened.OriginalSHA256 WeChat's.
	Flattened *Flattened `json:"flattened,omitempty"`
	Generated time.Time  `json:"generated"`
	Saved     time.Time  `json:"saved"`
}

// SidecarPath is where the sidecar of the image at path goes: the image's
// whole name with .json added (code.jpg.json), so mycode.png and mycode.jpg
// in one folder each keep their own. Only the designer writes sidecars (get
// and batch do not; batch's record is its manifest), so this is the one rule.
func SidecarPath(path string) string { return path + ".json" }
