package scene

import (
	"bytes"
	"encoding/json"

	"wxacode/wechat"
)

// ProblemJSON is a wechat.Problem with stable snake_case JSON names.
type ProblemJSON struct {
	Field   string `json:"field"`
	Pos     int    `json:"pos"`
	Message string `json:"message"`
	Fix     string `json:"fix"`
	Code    int    `json:"code"`
}

// ProblemsJSON converts problems for JSON output; never nil.
func ProblemsJSON(ps []wechat.Problem) []ProblemJSON {
	out := make([]ProblemJSON, len(ps))
	for i, p := range ps {
		out[i] = ProblemJSON{Field: p.Field, Pos: p.Pos, Message: p.Message, Fix: p.Fix, Code: p.Code}
	}
	return out
}

// MarshalJSON gives problems snake_case names.
func (l Launch) MarshalJSON() ([]byte, error) {
	type alias Launch
	return marshalJSON(struct {
		alias
		Problems []ProblemJSON `json:"problems"`
	}{alias(l), ProblemsJSON(l.Problems)})
}

// marshalJSON is json.Marshal without HTML escaping: scenes are full of & and = .
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
