package codefile

import (
	"encoding/json"
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
