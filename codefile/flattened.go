package codefile

// Flattened says a transparent (is_hyaline) code was drawn onto a solid
// colour before it was saved (--flatten): the file's bytes, format and
// sha256 are then not what WeChat sent, and these fields keep what it did,
// so the original can still be matched against WeChat's answer. The JSON
// names are a contract (README: Sidecar, Manifest, get --json).
type Flattened struct {
	Background     string `json:"background"`      // #rrggbb
	OriginalFormat string `json:"original_format"` // as WeChat sent it: png
	OriginalBytes  int    `json:"original_bytes"`
	OriginalSHA256 string `json:"original_sha256"` // hex, of WeChat's bytes
}

// FlattenedFrom records WeChat's bytes (in format) before they were flattened onto bg (#rrggbb).
func FlattenedFrom(bg, format string, original []byte) *Flattened {
	return &Flattened{Background: bg, OriginalFormat: format, OriginalBytes: len(original), OriginalSHA256: ContentSHA256(original)}
}
